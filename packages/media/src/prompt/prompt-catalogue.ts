import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LANGUAGE_PATTERN, PROMPT_ID_PATTERN } from './prompt-library.js';

/**
 * The text catalogue of voice prompts, one per language:
 * `prompts/<language>/catalogue.json` =
 * `{ "language": "en", "voice": "en-us", "wordsPerMinute": 150, "prompts": { id: text } }`.
 * `npm run prompts` renders each entry to `prompts/<language>/<id>.wav` and
 * records what it rendered in `rendered.json` (id -> hash of text and
 * settings), so only changed prompts are rendered again.
 */
export interface PromptCatalogue {
  readonly language: string;
  /** espeak-ng voice name. */
  readonly voice: string;
  readonly wordsPerMinute: number;
  readonly prompts: Readonly<Record<string, string>>;
}

export const CATALOGUE_FILE = 'catalogue.json';
export const RENDERED_FILE = 'rendered.json';
const MAX_PROMPT_TEXT = 600;
const MAX_PROMPTS = 2000;

export type CatalogueProblem = { readonly id?: string; readonly problem: string };

/** Checks a parsed catalogue; returns the problems found (empty when valid). */
export function validateCatalogue(value: unknown, expectedLanguage?: string): CatalogueProblem[] {
  const problems: CatalogueProblem[] = [];
  if (typeof value !== 'object' || value === null) return [{ problem: 'catalogue is not an object' }];
  const c = value as Record<string, unknown>;
  if (typeof c.language !== 'string' || !LANGUAGE_PATTERN.test(c.language))
    problems.push({ problem: 'bad language' });
  else if (expectedLanguage && c.language !== expectedLanguage) {
    problems.push({ problem: `language ${c.language} in the ${expectedLanguage} directory` });
  }
  if (typeof c.voice !== 'string' || !/^[a-z0-9+_-]{2,40}$/i.test(c.voice))
    problems.push({ problem: 'bad voice' });
  if (typeof c.wordsPerMinute !== 'number' || c.wordsPerMinute < 80 || c.wordsPerMinute > 300) {
    problems.push({ problem: 'wordsPerMinute must be 80-300' });
  }
  if (typeof c.prompts !== 'object' || c.prompts === null) return [...problems, { problem: 'no prompts' }];
  const entries = Object.entries(c.prompts as Record<string, unknown>);
  if (entries.length > MAX_PROMPTS) problems.push({ problem: `more than ${MAX_PROMPTS} prompts` });
  for (const [id, text] of entries) {
    if (!PROMPT_ID_PATTERN.test(id))
      problems.push({ id, problem: 'id must be lower-case words joined by dashes' });
    if (typeof text !== 'string' || text.trim() === '') problems.push({ id, problem: 'empty text' });
    else if (text.length > MAX_PROMPT_TEXT)
      problems.push({ id, problem: `text longer than ${MAX_PROMPT_TEXT}` });
  }
  return problems;
}

export async function loadCatalogue(promptsDirectory: string, language: string): Promise<PromptCatalogue> {
  const text = await readFile(join(promptsDirectory, language, CATALOGUE_FILE), 'utf8');
  const value: unknown = JSON.parse(text);
  const problems = validateCatalogue(value, language);
  if (problems.length > 0) {
    const list = problems.map((p) => (p.id ? `${p.id}: ${p.problem}` : p.problem)).join('; ');
    throw new Error(`prompts/${language}/${CATALOGUE_FILE}: ${list}`);
  }
  return value as PromptCatalogue;
}

/** What a rendered prompt depends on: its text, the voice and speed, and the render pipeline. */
export function promptHash(catalogue: PromptCatalogue, id: string, pipeline: string): string {
  const text = catalogue.prompts[id];
  return createHash('sha256')
    .update(JSON.stringify([text, catalogue.voice, catalogue.wordsPerMinute, pipeline]))
    .digest('hex')
    .slice(0, 16);
}

/**
 * The render pipeline, part of every prompt's hash: espeak-ng at its native
 * rate, then sox: 100 Hz high-pass, leading and trailing silence trimmed
 * and padded back to 80/150 ms, peak-normalised to -3 dBFS, resampled to
 * 8 kHz with the very-high-quality filter, 16-bit mono, no dither (so the
 * output is reproducible).
 */
export const RENDER_PIPELINE =
  'espeak-ng -w | sox -D highpass 100 silence trim pad 0.08 0.15 norm -3 rate -v 8000 v1';
