import { SAMPLE_RATE } from '../audio/audio-frame.js';

/** Level of the built-in hold music's loudest moment, in dBFS (prompts are spoken at about -16). */
export const HOLD_MUSIC_LEVEL_DBFS = -18;

/** MIDI note numbers of each bar's chord, lowest first: C, A minor, F, G; twice, the second time an octave up on top. */
const BARS: readonly (readonly number[])[] = [
  [48, 55, 60, 64],
  [45, 52, 57, 60],
  [41, 48, 53, 57],
  [43, 50, 55, 59],
  [48, 55, 64, 67],
  [45, 52, 60, 64],
  [41, 48, 57, 60],
  [43, 50, 59, 62],
];

/** Each bar's arpeggio: indexes into its chord, one per eighth note. */
const PATTERN = [0, 1, 2, 3, 2, 1, 2, 3] as const;
const EIGHTH_MS = 250;

const frequency = (note: number) => 440 * 2 ** ((note - 69) / 12);

/**
 * Music on hold, made here rather than taken from a recording: a gentle
 * arpeggio over C, A minor, F and G (16 s, then it loops seamlessly), each
 * note a soft-attack decaying sine with its octave faintly above, under the
 * 3.4 kHz telephone band. Played to a party put on hold when the tenant has
 * no music of its own. Deterministic: the same samples every time.
 */
export function renderHoldMusic(): Int16Array {
  const noteSamples = (EIGHTH_MS * SAMPLE_RATE) / 1000;
  const ring = noteSamples * 3; // a note sounds on under the next two
  const total = BARS.length * PATTERN.length * noteSamples;
  const mix = new Float64Array(total);
  let start = 0;
  for (const chord of BARS) {
    for (const index of PATTERN) {
      const f = frequency(chord[index]!);
      for (let i = 0; i < ring; i++) {
        const t = i / SAMPLE_RATE;
        const attack = Math.min(1, i / 80); // 10 ms, no click
        const envelope = attack * Math.exp(-3.2 * t);
        const tone = Math.sin(2 * Math.PI * f * t) + 0.25 * Math.sin(4 * Math.PI * f * t);
        // Wraps around: the notes ringing past the end sound at the start, so the loop has no seam.
        mix[(start + i) % total]! += envelope * tone;
      }
      start += noteSamples;
    }
  }
  let peak = 0;
  for (const value of mix) peak = Math.max(peak, Math.abs(value));
  const scale = (32767 * 10 ** (HOLD_MUSIC_LEVEL_DBFS / 20)) / peak;
  const samples = new Int16Array(total);
  for (let i = 0; i < total; i++) samples[i] = Math.round(mix[i]! * scale);
  return samples;
}
