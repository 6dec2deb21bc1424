import { type AudioSource, SAMPLE_RATE, samplesForMs } from '../audio/audio-frame.js';
import type { TonePlan } from './tone-plan.js';

/**
 * Level of each frequency component: -16 dBFS RMS, about -13 dBm0 given
 * G.711's 0 dBm0 at -3.14 dBFS, the usual level of call-progress tones.
 */
export const DEFAULT_TONE_LEVEL_DBFS = -16;

/**
 * Generates a tone plan as PCM, frame by frame, with phase-continuous
 * oscillators (no clicks at frame edges). A non-repeating plan ends:
 * `read` returns false once it is over.
 */
export class ToneSource implements AudioSource {
  private segmentIndex = 0;
  private segmentSamplesLeft: number;
  private sampleClock = 0;
  private finished = false;
  private readonly amplitude: number;

  constructor(
    private readonly plan: TonePlan,
    levelDbfs = DEFAULT_TONE_LEVEL_DBFS,
  ) {
    if (plan.segments.length === 0) throw new RangeError('a tone plan needs at least one segment');
    this.amplitude = 32767 * Math.SQRT2 * 10 ** (levelDbfs / 20);
    this.segmentSamplesLeft = samplesForMs(plan.segments[0]!.durationMs);
  }

  get done(): boolean {
    return this.finished;
  }

  read(frame: Int16Array): boolean {
    if (this.finished) return false;
    for (let i = 0; i < frame.length; i++) {
      while (this.segmentSamplesLeft <= 0) {
        if (!this.advanceSegment()) {
          if (i === 0) return false;
          frame.fill(0, i);
          return true;
        }
      }
      const segment = this.plan.segments[this.segmentIndex]!;
      const n = Math.min(frame.length - i, this.segmentSamplesLeft);
      if (segment.frequencies.length === 0) {
        frame.fill(0, i, i + n);
      } else {
        const table = periodTable(segment.frequencies, this.amplitude);
        for (let k = 0; k < n; k++) frame[i + k] = table[(this.sampleClock + k) % SAMPLE_RATE]!;
      }
      i += n - 1;
      this.sampleClock = (this.sampleClock + n) % SAMPLE_RATE;
      this.segmentSamplesLeft -= n;
    }
    return true;
  }

  private advanceSegment(): boolean {
    this.segmentIndex++;
    if (this.segmentIndex >= this.plan.segments.length) {
      if (!this.plan.repeat) {
        this.finished = true;
        return false;
      }
      this.segmentIndex = 0;
    }
    this.segmentSamplesLeft = samplesForMs(this.plan.segments[this.segmentIndex]!.durationMs);
    return true;
  }
}

const MAX_CACHED_TABLES = 64;
const tableCache = new Map<string, Int16Array>();

/**
 * One second of the mixed sines. With whole-hertz frequencies at 8 kHz the
 * signal repeats exactly every second, so a tone costs a table read per
 * sample. (Fractional frequencies are rounded to whole hertz.)
 */
function periodTable(frequencies: readonly number[], amplitude: number): Int16Array {
  const key = `${frequencies.map((f) => Math.round(f)).join('+')}@${amplitude.toFixed(3)}`;
  let table = tableCache.get(key);
  if (table) return table;
  table = new Int16Array(SAMPLE_RATE);
  for (let n = 0; n < SAMPLE_RATE; n++) {
    let value = 0;
    for (const frequency of frequencies)
      value += Math.sin((2 * Math.PI * Math.round(frequency) * n) / SAMPLE_RATE);
    table[n] = clamp16(Math.round(value * amplitude));
  }
  if (tableCache.size >= MAX_CACHED_TABLES) tableCache.delete(tableCache.keys().next().value!);
  tableCache.set(key, table);
  return table;
}

function clamp16(value: number): number {
  return Math.max(-32768, Math.min(32767, value));
}

/** Renders `durationMs` of a plan (or the whole plan if it does not repeat and is shorter). */
export function renderTone(
  plan: TonePlan,
  durationMs: number,
  levelDbfs = DEFAULT_TONE_LEVEL_DBFS,
): Int16Array {
  const source = new ToneSource(plan, levelDbfs);
  const total = samplesForMs(durationMs);
  const out = new Int16Array(total);
  const chunk = new Int16Array(160);
  let written = 0;
  while (written < total && source.read(chunk)) {
    const n = Math.min(chunk.length, total - written);
    out.set(chunk.subarray(0, n), written);
    written += n;
    if (source.done) break;
  }
  return written === total ? out : out.subarray(0, written);
}
