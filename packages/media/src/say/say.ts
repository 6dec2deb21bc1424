import { english } from './say-en.js';
import type { SayLanguage } from './say-language.js';

const languages = new Map<string, SayLanguage>([[english.code, english]]);

/** Adds (or replaces) a language's speaking rules. */
export function registerSayLanguage(language: SayLanguage): void {
  languages.set(language.code, language);
}

/**
 * The speaking rules for a language tag ("en", "en-gb", "de"): the exact
 * tag, else its primary language, else English (whose prompts always exist).
 */
export function sayLanguage(tag: string): SayLanguage {
  const lower = tag.toLowerCase();
  return languages.get(lower) ?? languages.get(lower.split('-')[0] ?? '') ?? english;
}
