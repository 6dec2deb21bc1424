import { describe, expect, it } from 'vitest';
import { goertzelPower, rmsDbfs } from '../audio/level.js';
import { HOLD_MUSIC_LEVEL_DBFS, renderHoldMusic } from './hold-music.js';

describe('the built-in hold music', () => {
  const music = renderHoldMusic();

  it('lasts 16 s, peaks at its level and never goes silent', () => {
    expect(music).toHaveLength(16 * 8000);
    let peak = 0;
    for (const sample of music) peak = Math.max(peak, Math.abs(sample));
    expect(20 * Math.log10(peak / 32767)).toBeCloseTo(HOLD_MUSIC_LEVEL_DBFS, 1);
    for (let start = 0; start < music.length; start += 800) {
      expect(rmsDbfs(music, start, start + 800)).toBeGreaterThan(-45);
    }
  });

  it('plays each bar in its chord: C major first (C4 261.6 Hz), A minor second (A3 220 Hz)', () => {
    const bar = 2 * 8000;
    const c = music.subarray(1000, bar);
    const am = music.subarray(bar + 1000, 2 * bar);
    expect(goertzelPower(c, 261.63, 8000)).toBeGreaterThan(10 * goertzelPower(c, 220, 8000));
    expect(goertzelPower(am, 220, 8000)).toBeGreaterThan(
      10 * goertzelPower(am, 261.63 * 2 ** (4 / 12), 8000),
    );
  });

  it('loops without a seam and renders the same samples every time', () => {
    const jump = Math.abs(music[0]! - music.at(-1)!);
    let largest = 0;
    for (let i = 1; i < music.length; i++) largest = Math.max(largest, Math.abs(music[i]! - music[i - 1]!));
    expect(jump).toBeLessThanOrEqual(largest);
    expect(renderHoldMusic()).toEqual(music);
  });
});
