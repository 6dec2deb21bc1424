import alawmulaw from 'alawmulaw';

/**
 * G.711 (ITU-T G.711) µ-law and A-law, by table lookup. The tables are built
 * once from the `alawmulaw` package's sample functions, so the per-packet
 * cost is one array read per sample.
 */

export type G711Law = 'mulaw' | 'alaw';

const decodeTables: Record<G711Law, Int16Array> = {
  mulaw: buildDecodeTable(alawmulaw.mulaw.decodeSample),
  alaw: buildDecodeTable(alawmulaw.alaw.decodeSample),
};

// Indexed by the 16-bit sample's unsigned bit pattern (sample & 0xffff).
const encodeTables: Record<G711Law, Uint8Array> = {
  mulaw: buildEncodeTable(alawmulaw.mulaw.encodeSample),
  alaw: buildEncodeTable(alawmulaw.alaw.encodeSample),
};

function buildDecodeTable(decodeSample: (code: number) => number): Int16Array {
  const table = new Int16Array(256);
  for (let code = 0; code < 256; code++) table[code] = decodeSample(code);
  return table;
}

function buildEncodeTable(encodeSample: (sample: number) => number): Uint8Array {
  const table = new Uint8Array(65536);
  for (let sample = -32768; sample < 32768; sample++) table[sample & 0xffff] = encodeSample(sample) & 0xff;
  return table;
}

/** Encodes 16-bit linear PCM into `out` (one octet per sample); returns `out`. */
export function g711Encode(
  law: G711Law,
  samples: Int16Array,
  out: Uint8Array = new Uint8Array(samples.length),
): Uint8Array {
  const table = encodeTables[law];
  const n = Math.min(samples.length, out.length);
  for (let i = 0; i < n; i++) out[i] = table[samples[i]! & 0xffff]!;
  return out;
}

/** Encodes `samples` into `out` starting at `offset` (e.g. after an RTP header). */
export function g711EncodeInto(law: G711Law, samples: Int16Array, out: Uint8Array, offset: number): void {
  const table = encodeTables[law];
  const n = Math.min(samples.length, out.length - offset);
  for (let i = 0; i < n; i++) out[offset + i] = table[samples[i]! & 0xffff]!;
}

/** Decodes G.711 octets into `out` (16-bit linear PCM); returns `out`. */
export function g711Decode(
  law: G711Law,
  codes: Uint8Array,
  out: Int16Array = new Int16Array(codes.length),
): Int16Array {
  const table = decodeTables[law];
  const n = Math.min(codes.length, out.length);
  for (let i = 0; i < n; i++) out[i] = table[codes[i]!]!;
  return out;
}

export function g711EncodeSample(law: G711Law, sample: number): number {
  return encodeTables[law][sample & 0xffff]!;
}

export function g711DecodeSample(law: G711Law, code: number): number {
  return decodeTables[law][code & 0xff]!;
}

/** The code of digital silence: µ-law 0xFF, A-law 0xD5 (G.711 tables). */
export function g711SilenceCode(law: G711Law): number {
  return law === 'mulaw' ? 0xff : 0xd5;
}
