/** Signal level helpers over 16-bit PCM. */

/** RMS level of `samples` in dB relative to full scale (a full-scale sine is about -3 dBFS); -Infinity for digital silence. */
export function rmsDbfs(samples: Int16Array, start = 0, end = samples.length): number {
  if (end <= start) return Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (let i = start; i < end; i++) {
    const s = samples[i]!;
    sum += s * s;
  }
  const rms = Math.sqrt(sum / (end - start));
  return rms === 0 ? Number.NEGATIVE_INFINITY : 20 * Math.log10(rms / 32768);
}

/**
 * Relative power of one frequency in `samples` (Goertzel algorithm), scaled
 * so a full-scale sine at that frequency gives about 0.5 and silence 0.
 */
export function goertzelPower(samples: Int16Array, frequencyHz: number, sampleRate: number): number {
  const n = samples.length;
  if (n === 0) return 0;
  const coefficient = 2 * Math.cos((2 * Math.PI * frequencyHz) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const s0 = samples[i]! / 32768 + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
  return (2 * power) / (n * n);
}
