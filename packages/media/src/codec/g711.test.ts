import { describe, expect, it } from 'vitest';
import { g711Decode, g711DecodeSample, g711Encode, g711EncodeSample, g711SilenceCode } from './g711.js';

/**
 * Reference decoders written from the G.711 text (Tables 1a/1b and 2a/2b):
 * µ-law: invert the code; bit 7 is the sign (1 = negative), then a 3-bit
 *        segment and a 4-bit step; magnitude = ((step × 8 + 132) << segment) - 132
 *        (the 14-bit decision values scaled to 16 bits).
 * A-law: toggle the even bits (XOR 0x55); bit 7 is the sign (1 = positive);
 *        segment 0: step × 16 + 8; segment s > 0: (step × 16 + 264) << (s - 1).
 */
function referenceMulaw(code: number): number {
  const u = ~code & 0xff;
  const sign = u & 0x80;
  const segment = (u >> 4) & 0x07;
  const step = u & 0x0f;
  const magnitude = (((step << 3) + 0x84) << segment) - 0x84;
  return sign ? 0 - magnitude : magnitude; // 0 - 0 is +0, as the decoder returns
}

function referenceAlaw(code: number): number {
  const a = code ^ 0x55;
  const sign = a & 0x80;
  const segment = (a >> 4) & 0x07;
  const step = a & 0x0f;
  const magnitude = segment === 0 ? (step << 4) + 8 : ((step << 4) + 0x108) << (segment - 1);
  return sign ? magnitude : -magnitude;
}

describe('G.711', () => {
  it('decodes all 256 µ-law codes as G.711 specifies', () => {
    for (let code = 0; code < 256; code++) expect(g711DecodeSample('mulaw', code)).toBe(referenceMulaw(code));
  });

  it('decodes all 256 A-law codes as G.711 specifies', () => {
    for (let code = 0; code < 256; code++) expect(g711DecodeSample('alaw', code)).toBe(referenceAlaw(code));
  });

  it('encodes the known anchor values', () => {
    expect(g711EncodeSample('mulaw', 0)).toBe(0xff);
    expect(g711EncodeSample('mulaw', 32767)).toBe(0x80);
    expect(g711EncodeSample('mulaw', -32768)).toBe(0x00);
    expect(g711EncodeSample('alaw', 0)).toBe(0xd5);
    expect(g711EncodeSample('alaw', 32767)).toBe(0xaa);
    expect(g711EncodeSample('alaw', -32768)).toBe(0x2a);
    expect(g711SilenceCode('mulaw')).toBe(0xff);
    expect(g711SilenceCode('alaw')).toBe(0xd5);
  });

  it('re-encodes every decoded value to the same code (µ-law: except the second zero 0x7f)', () => {
    for (const law of ['mulaw', 'alaw'] as const) {
      for (let code = 0; code < 256; code++) {
        if (law === 'mulaw' && code === 0x7f) continue; // -0 and +0 both decode to 0
        expect(g711EncodeSample(law, g711DecodeSample(law, code))).toBe(code);
      }
    }
  });

  it('keeps the quantisation error within half a step of the segment', () => {
    for (const law of ['mulaw', 'alaw'] as const) {
      for (let sample = -32768; sample < 32768; sample += 7) {
        const decoded = g711DecodeSample(law, g711EncodeSample(law, sample));
        const error = Math.abs(decoded - sample);
        // The largest segment's step is 1024 (µ-law) / 1024 (A-law) in 16-bit units; clipping near full scale.
        expect(error).toBeLessThanOrEqual(Math.max(1100, Math.abs(sample) / 16));
      }
    }
  });

  it('converts whole frames both ways', () => {
    const pcm = Int16Array.from({ length: 160 }, (_, i) => Math.round(8000 * Math.sin(i / 5)));
    const codes = g711Encode('alaw', pcm);
    expect(codes).toHaveLength(160);
    const back = g711Decode('alaw', codes);
    for (let i = 0; i < 160; i++) expect(Math.abs(back[i]! - pcm[i]!)).toBeLessThan(300);
  });
});
