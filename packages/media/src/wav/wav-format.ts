import { type G711Law, g711Decode, g711Encode } from '../codec/g711.js';

/**
 * RIFF/WAVE files (Microsoft RIFF, WAVEFORMATEX / WAVEFORMATEXTENSIBLE):
 *
 *   "RIFF" size "WAVE"  then chunks: id(4) size(4, LE) data, padded to even
 *   "fmt " : format tag(2) channels(2) rate(4) byte rate(4) block align(2)
 *            bits(2) [cbSize(2) [valid bits(2) channel mask(4) subformat GUID(16)]]
 *   "data" : samples, interleaved
 *
 * Read: integer PCM of 8/16/24/32 bits, IEEE float 32, µ-law (7), A-law (6),
 * plain or in an extensible header. Written: PCM 16-bit, µ-law, A-law.
 */

export const WAVE_FORMAT_PCM = 1;
export const WAVE_FORMAT_IEEE_FLOAT = 3;
export const WAVE_FORMAT_ALAW = 6;
export const WAVE_FORMAT_MULAW = 7;
export const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/** Size of the header `serializeWav` writes for 16-bit PCM (RIFF + fmt + data headers). */
export const PCM16_HEADER_SIZE = 44;
/** Largest WAV file parsed: about 1 h of 8 kHz 16-bit mono, or 6 min of CD audio. */
export const DEFAULT_MAX_WAV_OCTETS = 64 * 1024 * 1024;
const MAX_CHANNELS = 8;
const MAX_CHUNKS = 64;

export type WavEncoding = 'pcm8' | 'pcm16' | 'pcm24' | 'pcm32' | 'float32' | 'mulaw' | 'alaw';

export interface WavAudio {
  readonly encoding: WavEncoding;
  readonly sampleRate: number;
  readonly channels: number;
  /** Decoded to 16-bit linear, interleaved when there are several channels. */
  readonly samples: Int16Array;
  /** The data chunk declared more octets than the file holds (e.g. a recording cut short). */
  readonly truncated: boolean;
}

export type WavParseFailure =
  | 'too-large'
  | 'not-riff'
  | 'not-wave'
  | 'no-fmt'
  | 'no-data'
  | 'bad-fmt'
  | 'unsupported-format'
  | 'too-many-chunks';

export type WavParseResult = { ok: true; audio: WavAudio } | { ok: false; reason: WavParseFailure };

export interface WavLayout {
  readonly encoding: WavEncoding;
  readonly sampleRate: number;
  readonly channels: number;
  readonly blockAlign: number;
  /** Offset of the first data octet. */
  readonly dataOffset: number;
  /** Octets of whole sample frames present in the buffer. */
  readonly dataLength: number;
  readonly truncated: boolean;
}

/** Finds the format and data chunk of a WAV file without decoding it. */
export function parseWavLayout(
  buffer: Buffer,
  maxOctets = DEFAULT_MAX_WAV_OCTETS,
): { ok: true; layout: WavLayout } | { ok: false; reason: WavParseFailure } {
  if (buffer.length > maxOctets) return { ok: false, reason: 'too-large' };
  if (buffer.length < 12 || buffer.toString('latin1', 0, 4) !== 'RIFF')
    return { ok: false, reason: 'not-riff' };
  if (buffer.toString('latin1', 8, 12) !== 'WAVE') return { ok: false, reason: 'not-wave' };
  let offset = 12;
  let fmt: { encoding: WavEncoding; sampleRate: number; channels: number; blockAlign: number } | undefined;
  for (let chunks = 0; offset + 8 <= buffer.length; chunks++) {
    if (chunks >= MAX_CHUNKS) return { ok: false, reason: 'too-many-chunks' };
    const id = buffer.toString('latin1', offset, offset + 4);
    const size = buffer.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (body + Math.min(size, 16) > buffer.length || size < 16) return { ok: false, reason: 'bad-fmt' };
      const parsed = parseFmt(buffer.subarray(body, body + Math.min(size, buffer.length - body)));
      if (typeof parsed === 'string') return { ok: false, reason: parsed };
      fmt = parsed;
    } else if (id === 'data') {
      if (!fmt) return { ok: false, reason: 'no-fmt' };
      const available = buffer.length - body;
      // A writer that died before fixing up its header leaves a size that is
      // too large (or 0xFFFFFFFF while streaming): read what is there.
      const truncated = size > available;
      const octets = Math.min(size, available);
      const dataLength = octets - (octets % fmt.blockAlign);
      return { ok: true, layout: { ...fmt, dataOffset: body, dataLength, truncated } };
    }
    offset = body + size + (size & 1);
  }
  return { ok: false, reason: fmt ? 'no-data' : 'no-fmt' };
}

function parseFmt(
  fmt: Buffer,
): { encoding: WavEncoding; sampleRate: number; channels: number; blockAlign: number } | WavParseFailure {
  let tag = fmt.readUInt16LE(0);
  const channels = fmt.readUInt16LE(2);
  const sampleRate = fmt.readUInt32LE(4);
  const blockAlign = fmt.readUInt16LE(12);
  const bits = fmt.readUInt16LE(14);
  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    if (fmt.length < 40) return 'bad-fmt';
    tag = fmt.readUInt16LE(24); // the subformat GUID starts with the format tag
  }
  if (channels < 1 || channels > MAX_CHANNELS || sampleRate < 1000 || sampleRate > 384_000) return 'bad-fmt';
  let encoding: WavEncoding;
  let bytesPerSample: number;
  if (tag === WAVE_FORMAT_PCM) {
    if (bits === 8) encoding = 'pcm8';
    else if (bits === 16) encoding = 'pcm16';
    else if (bits === 24) encoding = 'pcm24';
    else if (bits === 32) encoding = 'pcm32';
    else return 'unsupported-format';
    bytesPerSample = bits / 8;
  } else if (tag === WAVE_FORMAT_IEEE_FLOAT && bits === 32) {
    encoding = 'float32';
    bytesPerSample = 4;
  } else if ((tag === WAVE_FORMAT_MULAW || tag === WAVE_FORMAT_ALAW) && bits === 8) {
    encoding = tag === WAVE_FORMAT_MULAW ? 'mulaw' : 'alaw';
    bytesPerSample = 1;
  } else {
    return 'unsupported-format';
  }
  if (blockAlign !== bytesPerSample * channels) return 'bad-fmt';
  return { encoding, sampleRate, channels, blockAlign };
}

/** Parses and decodes a WAV file. Never throws on bad input. */
export function parseWav(buffer: Buffer, maxOctets = DEFAULT_MAX_WAV_OCTETS): WavParseResult {
  const result = parseWavLayout(buffer, maxOctets);
  if (!result.ok) return result;
  const { layout } = result;
  const data = buffer.subarray(layout.dataOffset, layout.dataOffset + layout.dataLength);
  return {
    ok: true,
    audio: {
      encoding: layout.encoding,
      sampleRate: layout.sampleRate,
      channels: layout.channels,
      samples: decodeData(layout.encoding, data),
      truncated: layout.truncated,
    },
  };
}

function decodeData(encoding: WavEncoding, data: Buffer): Int16Array {
  switch (encoding) {
    case 'pcm16': {
      const out = new Int16Array(data.length >> 1);
      for (let i = 0; i < out.length; i++) out[i] = data.readInt16LE(i * 2);
      return out;
    }
    case 'pcm8': {
      const out = new Int16Array(data.length);
      for (let i = 0; i < out.length; i++) out[i] = (data[i]! - 128) << 8;
      return out;
    }
    case 'pcm24': {
      const out = new Int16Array(Math.floor(data.length / 3));
      for (let i = 0; i < out.length; i++) out[i] = data.readIntLE(i * 3, 3) >> 8;
      return out;
    }
    case 'pcm32': {
      const out = new Int16Array(data.length >> 2);
      for (let i = 0; i < out.length; i++) out[i] = data.readInt32LE(i * 4) >> 16;
      return out;
    }
    case 'float32': {
      const out = new Int16Array(data.length >> 2);
      for (let i = 0; i < out.length; i++) {
        const v = data.readFloatLE(i * 4);
        out[i] = Number.isNaN(v) ? 0 : Math.max(-32768, Math.min(32767, Math.round(v * 32768)));
      }
      return out;
    }
    case 'mulaw':
    case 'alaw':
      return g711Decode(encoding, data);
  }
}

export type WavWriteEncoding = 'pcm16' | G711Law;

/** Builds a complete WAV file from 16-bit samples (interleaved if channels > 1). */
export function serializeWav(
  samples: Int16Array,
  options: { sampleRate?: number; channels?: number; encoding?: WavWriteEncoding } = {},
): Buffer {
  const sampleRate = options.sampleRate ?? 8000;
  const channels = options.channels ?? 1;
  const encoding = options.encoding ?? 'pcm16';
  if (encoding === 'pcm16') {
    const out = Buffer.alloc(PCM16_HEADER_SIZE + samples.length * 2);
    writePcm16Header(out, samples.length * 2, sampleRate, channels);
    for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i]!, PCM16_HEADER_SIZE + i * 2);
    return out;
  }
  // G.711 in WAV: an 18-octet WAVEFORMATEX (cbSize 0) and a fact chunk, as
  // the format requires for non-PCM data.
  const data = g711Encode(encoding, samples);
  const headerSize = 12 + 8 + 18 + 12 + 8;
  const padded = data.length + (data.length & 1);
  const out = Buffer.alloc(headerSize + padded);
  out.write('RIFF', 0, 'latin1');
  out.writeUInt32LE(out.length - 8, 4);
  out.write('WAVE', 8, 'latin1');
  out.write('fmt ', 12, 'latin1');
  out.writeUInt32LE(18, 16);
  out.writeUInt16LE(encoding === 'mulaw' ? WAVE_FORMAT_MULAW : WAVE_FORMAT_ALAW, 20);
  out.writeUInt16LE(channels, 22);
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * channels, 28);
  out.writeUInt16LE(channels, 32);
  out.writeUInt16LE(8, 34);
  out.writeUInt16LE(0, 36);
  out.write('fact', 38, 'latin1');
  out.writeUInt32LE(4, 42);
  out.writeUInt32LE(samples.length / channels, 46);
  out.write('data', 50, 'latin1');
  out.writeUInt32LE(data.length, 54);
  out.set(data, 58);
  return out;
}

/** Writes the 44-octet header of a 16-bit PCM file whose data is `dataOctets` long. */
export function writePcm16Header(out: Buffer, dataOctets: number, sampleRate = 8000, channels = 1): Buffer {
  out.write('RIFF', 0, 'latin1');
  out.writeUInt32LE(36 + dataOctets, 4);
  out.write('WAVE', 8, 'latin1');
  out.write('fmt ', 12, 'latin1');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(WAVE_FORMAT_PCM, 20);
  out.writeUInt16LE(channels, 22);
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * channels * 2, 28);
  out.writeUInt16LE(channels * 2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'latin1');
  out.writeUInt32LE(dataOctets, 40);
  return out;
}

/** 16-bit samples as little-endian octets (the WAV data layout). */
export function pcm16ToBytes(samples: Int16Array): Buffer {
  const out = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i]!, i * 2);
  return out;
}
