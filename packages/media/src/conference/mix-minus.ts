import { FRAME_SAMPLES } from '../audio/audio-frame.js';

/**
 * The N-1 mix of a conference frame: each participant hears the sum of
 * everyone else's frame, never its own. `inputs[i]` is participant i's
 * frame this tick (undefined: nothing arrived, counted as silence);
 * `outputs[i]` receives what participant i hears, clipped to 16 bits.
 * `total` is scratch space of one frame.
 *
 * The sum of all inputs is formed once in 32 bits, then each output is the
 * sum minus the participant's own frame, clipped only at the end: O(N) per
 * sample instead of O(N²), and exact (32 bits hold 65,536 full-scale
 * frames). Returns how many inputs carried a frame.
 */
export function mixMinusOne(
  inputs: readonly (Int16Array | undefined)[],
  outputs: readonly Int16Array[],
  total: Int32Array,
  samples = FRAME_SAMPLES,
): number {
  if (outputs.length < inputs.length) throw new RangeError('fewer outputs than inputs');
  if (total.length < samples) throw new RangeError('total shorter than a frame');
  total.fill(0, 0, samples);
  let present = 0;
  for (const input of inputs) {
    if (!input) continue;
    present++;
    for (let s = 0; s < samples; s++) total[s] = total[s]! + input[s]!;
  }
  for (let i = 0; i < inputs.length; i++) {
    const own = inputs[i];
    const out = outputs[i]!;
    if (own) {
      for (let s = 0; s < samples; s++) out[s] = clamp16(total[s]! - own[s]!);
    } else {
      for (let s = 0; s < samples; s++) out[s] = clamp16(total[s]!);
    }
  }
  return present;
}

export function clamp16(value: number): number {
  return Math.max(-32768, Math.min(32767, value));
}
