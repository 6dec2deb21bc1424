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

export interface PromptMatch {
  /** Sample offset in the recording where the prompt starts (best alignment). */
  readonly offset: number;
  /** Share of the prompt's sounding 100 ms chunks found at that place (0 to 1). */
  readonly score: number;
}

const CHUNK = 800;
const ENVELOPE = 80;

function envelope(samples: Int16Array): Float64Array {
  const out = new Float64Array(Math.floor(samples.length / ENVELOPE));
  for (let i = 0; i < out.length; i++) {
    let sum = 0;
    for (let j = i * ENVELOPE; j < (i + 1) * ENVELOPE; j++) sum += (samples[j] ?? 0) ** 2;
    out[i] = Math.log10(1 + Math.sqrt(sum / ENVELOPE));
  }
  return out;
}

/** Pearson correlation of `a` against `b` starting at `at` (same length as `a`). */
function correlate(a: ArrayLike<number>, b: ArrayLike<number>, at: number): number {
  const n = a.length;
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < n; i++) {
    sa += a[i] ?? 0;
    sb += b[at + i] ?? 0;
  }
  const ma = sa / n;
  const mb = sb / n;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    const x = (a[i] ?? 0) - ma;
    const y = (b[at + i] ?? 0) - mb;
    num += x * y;
    da += x * x;
    db += y * y;
  }
  return da === 0 || db === 0 ? 0 : num / Math.sqrt(da * db);
}

/**
 * Where a known prompt (8 kHz PCM) was heard in a recording of a call, and
 * how surely: the loudness envelopes (10 ms) find candidate places, then
 * each sounding 100 ms chunk of the prompt is looked for sample by sample
 * within ±50 ms of its place (a jitter buffer may slip a frame). G.711
 * keeps the waveform, so a chunk that was really heard correlates above
 * 0.9; other speech does not.
 */
export function findPrompt(heard: Int16Array, prompt: Int16Array, from = 0, to = heard.length): PromptMatch {
  const region = heard.subarray(from, to);
  const pe = envelope(prompt);
  const he = envelope(region);
  if (pe.length === 0 || he.length < pe.length) return { offset: -1, score: 0 };
  const candidates: { at: number; r: number }[] = [];
  for (let at = 0; at + pe.length <= he.length; at++) candidates.push({ at, r: correlate(pe, he, at) });
  candidates.sort((x, y) => y.r - x.r);
  let best: PromptMatch = { offset: -1, score: 0 };
  const tried: number[] = [];
  for (const candidate of candidates) {
    if (tried.length >= 5) break;
    if (tried.some((t) => Math.abs(t - candidate.at) < 10)) continue;
    tried.push(candidate.at);
    const base = candidate.at * ENVELOPE;
    let sounding = 0;
    let found = 0;
    for (let c = 0; c + CHUNK <= prompt.length; c += CHUNK) {
      const chunk = prompt.subarray(c, c + CHUNK);
      if (rmsDbfs(chunk) < -40) continue;
      sounding++;
      let r = 0;
      for (let shift = -400; shift <= 400 && r < 0.9; shift++) {
        const at = base + c + shift;
        if (at < 0 || at + CHUNK > region.length) continue;
        r = Math.max(r, correlate(chunk, region, at));
      }
      if (r >= 0.9) found++;
    }
    const score = sounding === 0 ? 0 : found / sounding;
    if (score > best.score) best = { offset: from + base, score };
  }
  return best;
}

/** A bundled prompt's audio (prompts/en/NAME.wav) at 8 kHz. */
export function promptPath(name: string, language = 'en'): string {
  return new URL(`../../prompts/${language}/${name}.wav`, import.meta.url).pathname;
}

/** Runs of 100 ms windows in which `frequencyHz` dominates: [startSample, endSample) each. */
export function toneRuns(samples: Int16Array, frequencyHz: number, minWindows = 3): [number, number][] {
  const runs: [number, number][] = [];
  let start = -1;
  const others = [300, 600, 1000, 1400, 2000].filter((f) => Math.abs(f - frequencyHz) > 100);
  for (let at = 0; at + CHUNK <= samples.length + CHUNK; at += CHUNK) {
    const chunk = samples.subarray(at, at + CHUNK);
    const isTone =
      chunk.length === CHUNK &&
      rmsDbfs(chunk) > -50 &&
      goertzelPower(chunk, frequencyHz, 8000) >
        20 * Math.max(...others.map((f) => goertzelPower(chunk, f, 8000)));
    if (isTone && start < 0) start = at;
    if (!isTone && start >= 0) {
      if ((at - start) / CHUNK >= minWindows) runs.push([start, at]);
      start = -1;
    }
  }
  return runs;
}
