import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MediaError } from '../errors.js';
import { readTelephonyPcm } from '../wav/wav-file.js';

/** Prompt ids are file names: lower-case words joined by dashes. */
export const PROMPT_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Language tags as directories: `en`, `de`, `pt-br`. */
export const LANGUAGE_PATTERN = /^[a-z]{2,3}(?:-[a-z0-9]{2,8})?$/;

/** The repository's rendered prompts (prompts/<language>/<id>.wav). */
export const BUNDLED_PROMPTS_DIRECTORY = fileURLToPath(new URL('../../../../prompts', import.meta.url));

export interface PromptLibraryOptions {
  /** Directory holding one sub-directory per language. */
  readonly directory?: string;
  /** Used when a prompt is missing in the requested language. */
  readonly fallbackLanguage?: string;
  /** Decoded audio kept in memory, in samples (default: about 10 minutes). */
  readonly maxCacheSamples?: number;
}

/**
 * Voice prompts by id and language, decoded once and kept in a bounded LRU
 * cache. A prompt missing in the caller's language falls back to the
 * fallback language (English).
 */
export class PromptLibrary {
  readonly directory: string;
  private readonly fallbackLanguage: string;
  private readonly maxCacheSamples: number;
  private readonly cache = new Map<string, Promise<Int16Array>>();
  private readonly sizes = new Map<string, number>();
  private cachedSamples = 0;

  constructor(options: PromptLibraryOptions = {}) {
    this.directory = options.directory ?? BUNDLED_PROMPTS_DIRECTORY;
    this.fallbackLanguage = options.fallbackLanguage ?? 'en';
    this.maxCacheSamples = options.maxCacheSamples ?? 8000 * 600;
  }

  pathOf(id: string, language: string): string {
    if (!PROMPT_ID_PATTERN.test(id))
      throw new MediaError('invalid-argument', `bad prompt id ${JSON.stringify(id)}`);
    if (!LANGUAGE_PATTERN.test(language)) {
      throw new MediaError('invalid-argument', `bad language ${JSON.stringify(language)}`);
    }
    return join(this.directory, language, `${id}.wav`);
  }

  /** The prompt's audio as 8 kHz mono PCM; rejects when it exists in neither language. */
  load(id: string, language = this.fallbackLanguage): Promise<Int16Array> {
    try {
      this.pathOf(id, language); // validates both before any fallback
    } catch (error) {
      return Promise.reject(error);
    }
    const key = `${language}/${id}`;
    const cached = this.cache.get(key);
    if (cached) {
      // LRU: move to the end.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const loading = this.read(id, language);
    this.cache.set(key, loading);
    loading.then(
      (samples) => {
        if (this.cache.get(key) !== loading) return;
        this.sizes.set(key, samples.length);
        this.cachedSamples += samples.length;
        this.evict();
      },
      () => {
        this.cache.delete(key);
      },
    );
    return loading;
  }

  private async read(id: string, language: string): Promise<Int16Array> {
    try {
      return await readTelephonyPcm(this.pathOf(id, language));
    } catch (error) {
      if (language === this.fallbackLanguage) throw error;
      return readTelephonyPcm(this.pathOf(id, this.fallbackLanguage));
    }
  }

  private evict(): void {
    for (const key of this.cache.keys()) {
      if (this.cachedSamples <= this.maxCacheSamples) break;
      const size = this.sizes.get(key);
      if (size === undefined) continue; // still loading
      this.cache.delete(key);
      this.sizes.delete(key);
      this.cachedSamples -= size;
    }
  }
}
