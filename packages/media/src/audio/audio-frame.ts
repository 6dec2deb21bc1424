/**
 * The engine's internal audio: 16-bit linear PCM, mono, 8 kHz, in frames of
 * one packetisation interval (20 ms = 160 samples).
 */
export const SAMPLE_RATE = 8000;
export const FRAME_MS = 20;
export const FRAME_SAMPLES = (SAMPLE_RATE * FRAME_MS) / 1000;

/** Samples for a duration at 8 kHz. */
export function samplesForMs(ms: number): number {
  return Math.round((ms * SAMPLE_RATE) / 1000);
}

/** Duration of a number of samples at 8 kHz. */
export function msForSamples(samples: number): number {
  return (samples * 1000) / SAMPLE_RATE;
}

/**
 * Something that produces audio one frame at a time, pulled by a paced
 * sender. `read` fills `frame` and returns true, or returns false when it has
 * nothing to say this tick (the sender then sends nothing, or silence).
 */
export interface AudioSource {
  read(frame: Int16Array): boolean;
}

/** Something that consumes received audio frames. */
export interface AudioSink {
  write(frame: Int16Array): void;
}
