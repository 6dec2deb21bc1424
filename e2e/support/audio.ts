import { goertzelPower, readTelephonyPcm, rmsDbfs } from '@telekommune/media';

export interface ToneCheck {
  /** Share of 100 ms windows where the tone carries most of the energy. */
  readonly toneShare: number;
  /** Share of 100 ms windows that are not silence (above -50 dBFS). */
  readonly soundShare: number;
  readonly windows: number;
}

/**
 * How much of a recording is the expected tone (testing.md: a Goertzel
 * filter per window; the tone must dominate, and the call must not be
 * mostly silence).
 */
export async function checkTone(wavPath: string, frequencyHz: number): Promise<ToneCheck> {
  const samples = await readTelephonyPcm(wavPath);
  const window = 800;
  let windows = 0;
  let tone = 0;
  let sound = 0;
  for (let start = 0; start + window <= samples.length; start += window) {
    const chunk = samples.subarray(start, start + window);
    windows++;
    if (rmsDbfs(chunk) < -50) continue;
    sound++;
    const target = goertzelPower(chunk, frequencyHz, 8000);
    const others = [300, 600, 1000, 1400, 2000].filter((f) => Math.abs(f - frequencyHz) > 100);
    const strongestOther = Math.max(...others.map((f) => goertzelPower(chunk, f, 8000)));
    if (target > 20 * strongestOther) tone++;
  }
  return { toneShare: windows ? tone / windows : 0, soundShare: windows ? sound / windows : 0, windows };
}
