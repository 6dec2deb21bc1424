import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { goertzelPower } from '../audio/level.js';
import { renderTone } from '../tone/tone-source.js';
import { downmixToMono, resample, toTelephonyPcm } from './resample.js';
import { parseWav, serializeWav } from './wav-format.js';

function header(
  format: number,
  channels: number,
  rate: number,
  bits: number,
  extra = Buffer.alloc(0),
): Buffer {
  const fmt = Buffer.alloc(16);
  fmt.writeUInt16LE(format, 0);
  fmt.writeUInt16LE(channels, 2);
  fmt.writeUInt32LE(rate, 4);
  fmt.writeUInt32LE((rate * channels * bits) / 8, 8);
  fmt.writeUInt16LE((channels * bits) / 8, 12);
  fmt.writeUInt16LE(bits, 14);
  return Buffer.concat([fmt, extra]);
}

function riff(chunks: [string, Buffer][]): Buffer {
  const parts = chunks.map(([id, body]) => {
    const head = Buffer.alloc(8);
    head.write(id, 0, 'latin1');
    head.writeUInt32LE(body.length, 4);
    return Buffer.concat([head, body, body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
  });
  const body = Buffer.concat([Buffer.from('WAVE'), ...parts]);
  const head = Buffer.alloc(8);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

describe('WAV', () => {
  const samples = Int16Array.from([0, 1, -1, 32767, -32768, 1234, -4321, 0]);

  it('round-trips 16-bit PCM', () => {
    const wav = serializeWav(samples);
    expect(wav.length).toBe(44 + 16);
    const parsed = parseWav(wav);
    expect(parsed.ok && parsed.audio).toMatchObject({
      encoding: 'pcm16',
      sampleRate: 8000,
      channels: 1,
      truncated: false,
    });
    expect(parsed.ok && [...parsed.audio.samples]).toEqual([...samples]);
  });

  it('writes and reads µ-law and A-law files (fmt of 18 octets and a fact chunk)', () => {
    for (const encoding of ['mulaw', 'alaw'] as const) {
      const wav = serializeWav(samples, { encoding });
      const parsed = parseWav(wav);
      if (!parsed.ok) throw new Error(parsed.reason);
      expect(parsed.audio.encoding).toBe(encoding);
      expect(parsed.audio.samples).toHaveLength(samples.length);
      expect(Math.abs(parsed.audio.samples[5]! - 1234)).toBeLessThan(64);
    }
  });

  it('reads 8-bit, 24-bit, float and extensible files, skipping unknown chunks', () => {
    const u8 = riff([
      ['fmt ', header(1, 1, 8000, 8)],
      ['LIST', Buffer.from('INFOxxx')], // odd size: padded
      ['data', Buffer.from([128, 255, 0])],
    ]);
    const r8 = parseWav(u8);
    expect(r8.ok && [...r8.audio.samples]).toEqual([0, 127 << 8, -128 << 8]);

    const d24 = Buffer.alloc(6);
    d24.writeIntLE(0x123456, 0, 3);
    d24.writeIntLE(-0x400000, 3, 3);
    const r24 = parseWav(
      riff([
        ['fmt ', header(1, 1, 16000, 24)],
        ['data', d24],
      ]),
    );
    expect(r24.ok && [...r24.audio.samples]).toEqual([0x1234, -0x4000]);

    const f32 = Buffer.alloc(8);
    f32.writeFloatLE(0.5, 0);
    f32.writeFloatLE(-2, 4);
    const rf = parseWav(
      riff([
        ['fmt ', header(3, 1, 8000, 32)],
        ['data', f32],
      ]),
    );
    expect(rf.ok && [...rf.audio.samples]).toEqual([16384, -32768]);

    const ext = Buffer.alloc(24);
    ext.writeUInt16LE(22, 0); // cbSize
    ext.writeUInt16LE(16, 2); // valid bits
    ext.writeUInt32LE(3, 4); // channel mask
    ext.writeUInt16LE(1, 8); // subformat PCM
    const stereo = Buffer.alloc(8);
    stereo.writeInt16LE(100, 0);
    stereo.writeInt16LE(300, 2);
    stereo.writeInt16LE(-100, 4);
    stereo.writeInt16LE(-300, 6);
    const re = parseWav(
      riff([
        ['fmt ', header(0xfffe, 2, 44100, 16, ext)],
        ['data', stereo],
      ]),
    );
    if (!re.ok) throw new Error(re.reason);
    expect(re.audio.channels).toBe(2);
    expect([...downmixToMono(re.audio.samples, 2)]).toEqual([200, -200]);
  });

  it('reads what is there when the data chunk claims more (a crashed writer)', () => {
    const wav = serializeWav(samples);
    wav.writeUInt32LE(0xffffffff, 40);
    const cut = wav.subarray(0, wav.length - 3); // and half a sample missing
    const parsed = parseWav(cut);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.audio.truncated).toBe(true);
    expect(parsed.audio.samples).toHaveLength(6);
  });

  it('rejects malformed files with a reason, never an exception', () => {
    expect(parseWav(Buffer.from('RIFX'))).toEqual({ ok: false, reason: 'not-riff' });
    expect(parseWav(Buffer.from('RIFF\0\0\0\0AVI '))).toEqual({ ok: false, reason: 'not-wave' });
    expect(parseWav(riff([['data', Buffer.alloc(4)]]))).toEqual({ ok: false, reason: 'no-fmt' });
    expect(parseWav(riff([['fmt ', header(1, 1, 8000, 16)]]))).toEqual({ ok: false, reason: 'no-data' });
    expect(
      parseWav(
        riff([
          ['fmt ', header(2, 1, 8000, 4)],
          ['data', Buffer.alloc(4)],
        ]),
      ),
    ).toEqual({
      ok: false,
      reason: 'unsupported-format',
    });
    expect(
      parseWav(
        riff([
          ['fmt ', header(1, 0, 8000, 16)],
          ['data', Buffer.alloc(4)],
        ]),
      ),
    ).toEqual({
      ok: false,
      reason: 'bad-fmt',
    });
    expect(parseWav(Buffer.alloc(100), 50)).toEqual({ ok: false, reason: 'too-large' });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), fc.nat(100), (bytes, cut) => {
        const base = serializeWav(samples);
        const mutated = Buffer.concat([base.subarray(0, cut), Buffer.from(bytes)]);
        parseWav(mutated);
      }),
    );
  });
});

describe('resampling to 8 kHz', () => {
  it('keeps a 1 kHz tone and removes a 6 kHz one that would alias', () => {
    const rate = 44100;
    const n = rate; // one second
    const input = new Int16Array(n);
    for (let i = 0; i < n; i++) {
      input[i] = Math.round(
        8000 * Math.sin((2 * Math.PI * 1000 * i) / rate) + 8000 * Math.sin((2 * Math.PI * 6000 * i) / rate),
      );
    }
    const out = resample(input, rate, 8000);
    expect(out.length).toBe(8000);
    const middle = out.subarray(1000, 7000);
    const kept = goertzelPower(middle, 1000, 8000);
    const aliased = goertzelPower(middle, 2000, 8000); // 6 kHz folds to 2 kHz at 8 kHz
    expect(kept).toBeGreaterThan(0.02);
    expect(aliased).toBeLessThan(kept / 1000);
  });

  it('upsamples 8 kHz unchanged in content', () => {
    const tone = renderTone(
      { name: 't', segments: [{ frequencies: [440], durationMs: 500 }], repeat: false },
      500,
    );
    const up = toTelephonyPcm({ samples: resample(tone, 8000, 16000), channels: 1, sampleRate: 16000 });
    expect(Math.abs(up.length - tone.length)).toBeLessThanOrEqual(1);
    expect(goertzelPower(up.subarray(400, 3600), 440, 8000)).toBeGreaterThan(
      0.5 * goertzelPower(tone.subarray(400, 3600), 440, 8000),
    );
  });
});
