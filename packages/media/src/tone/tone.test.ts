import { describe, expect, it } from 'vitest';
import { goertzelPower, rmsDbfs } from '../audio/level.js';
import { renderDtmfTones } from '../dtmf/dtmf-tones.js';
import { BEEP, TONE_PLANS, TONE_REGIONS, tonePlan } from './tone-plan.js';
import { renderTone, ToneSource } from './tone-source.js';

/** Frequencies present in a chunk: power above a threshold at each candidate. */
function present(chunk: Int16Array, candidates: number[]): number[] {
  return candidates.filter((f) => goertzelPower(chunk, f, 8000) > 0.001);
}

describe('call-progress tones', () => {
  it('plays the US busy tone: 480+620 Hz, 0.5 s on, 0.5 s off', () => {
    const pcm = renderTone(tonePlan('us', 'busy'), 2000);
    expect(pcm).toHaveLength(16000);
    const on = pcm.subarray(400, 3600);
    const off = pcm.subarray(4400, 7600);
    expect(present(on, [350, 425, 440, 480, 620])).toEqual([480, 620]);
    expect(rmsDbfs(off)).toBe(Number.NEGATIVE_INFINITY);
    expect(present(pcm.subarray(8400, 11600), [480, 620])).toEqual([480, 620]);
  });

  it('plays the European dial tone at 425 Hz without gaps', () => {
    const pcm = renderTone(tonePlan('eu', 'dial'), 3000);
    for (let start = 0; start < pcm.length; start += 1600) {
      expect(present(pcm.subarray(start, start + 1600), [350, 425, 440])).toEqual([425]);
    }
  });

  it('has every tone in every region, at about -16 dBFS per component', () => {
    for (const region of TONE_REGIONS) {
      for (const [name, plan] of Object.entries(TONE_PLANS[region])) {
        expect(plan.segments.length, `${region} ${name}`).toBeGreaterThan(0);
        const first = plan.segments[0]!;
        const pcm = renderTone({ name: plan.name, segments: [first], repeat: false }, first.durationMs);
        const expected = -16 + 10 * Math.log10(first.frequencies.length);
        expect(Math.abs(rmsDbfs(pcm) - expected), `${region} ${name}`).toBeLessThan(0.5);
      }
    }
  });

  it('keeps the phase continuous across frames (no clicks)', () => {
    const source = new ToneSource(tonePlan('eu', 'dial'));
    const frame = new Int16Array(160);
    let previous: number | undefined;
    let maxStep = 0;
    for (let f = 0; f < 100; f++) {
      source.read(frame);
      for (const sample of frame) {
        if (previous !== undefined) maxStep = Math.max(maxStep, Math.abs(sample - previous));
        previous = sample;
      }
    }
    // A 425 Hz sine of amplitude A changes by at most A·2π·425/8000 per sample.
    const amplitude = 32767 * Math.SQRT2 * 10 ** (-16 / 20);
    expect(maxStep).toBeLessThanOrEqual(Math.ceil((amplitude * 2 * Math.PI * 425) / 8000) + 1);
  });

  it('ends a one-shot beep', () => {
    const source = new ToneSource(BEEP);
    const frame = new Int16Array(160);
    let frames = 0;
    while (source.read(frame)) frames++;
    expect(frames).toBe(25);
    expect(source.done).toBe(true);
  });

  it('renders in-band DTMF with the two Q.23 frequencies', () => {
    const pcm = renderDtmfTones(['5'], 100, 60);
    expect(present(pcm.subarray(0, 800), [697, 770, 852, 941, 1209, 1336, 1477, 1633])).toEqual([770, 1336]);
    expect(rmsDbfs(pcm.subarray(800))).toBe(Number.NEGATIVE_INFINITY);
  });
});
