import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rmsDbfs } from '../audio/level.js';
import { parseWav } from '../wav/wav-format.js';
import {
  CATALOGUE_FILE,
  loadCatalogue,
  promptHash,
  RENDER_PIPELINE,
  RENDERED_FILE,
  validateCatalogue,
} from './prompt-catalogue.js';
import { BUNDLED_PROMPTS_DIRECTORY, PromptLibrary } from './prompt-library.js';

const languages = readdirSync(BUNDLED_PROMPTS_DIRECTORY).filter((name) =>
  existsSync(join(BUNDLED_PROMPTS_DIRECTORY, name, CATALOGUE_FILE)),
);

describe('prompt catalogues', () => {
  it('include English', () => {
    expect(languages).toContain('en');
  });

  for (const language of languages) {
    it(`${language}: every prompt is rendered, current, 8 kHz mono 16-bit and audible`, async () => {
      const catalogue = await loadCatalogue(BUNDLED_PROMPTS_DIRECTORY, language);
      const directory = join(BUNDLED_PROMPTS_DIRECTORY, language);
      const rendered = JSON.parse(readFileSync(join(directory, RENDERED_FILE), 'utf8')) as Record<
        string,
        string
      >;
      const stale: string[] = [];
      for (const id of Object.keys(catalogue.prompts)) {
        if (rendered[id] !== promptHash(catalogue, id, RENDER_PIPELINE)) stale.push(id);
        const parsed = parseWav(readFileSync(join(directory, `${id}.wav`)));
        if (!parsed.ok) throw new Error(`${id}: ${parsed.reason}`);
        const { sampleRate, channels, encoding, samples } = parsed.audio;
        expect([sampleRate, channels, encoding], id).toEqual([8000, 1, 'pcm16']);
        expect(samples.length, id).toBeGreaterThan(2000);
        expect(samples.length, id).toBeLessThan(8000 * 30);
        expect(rmsDbfs(samples), id).toBeGreaterThan(-30);
      }
      expect(stale, 'run npm run prompts').toEqual([]);
      const files = readdirSync(directory).filter((f) => f.endsWith('.wav'));
      expect(files.length).toBe(Object.keys(catalogue.prompts).length);
    });
  }

  it('cover what the PBX needs', async () => {
    const { prompts } = await loadCatalogue(BUNDLED_PROMPTS_DIRECTORY, 'en');
    for (const id of [
      'vm-enter-pin',
      'vm-wrong-pin',
      'vm-locked-out',
      'vm-main-menu',
      'vm-leave-message',
      'vm-pin-changed',
      'ivr-invalid-option',
      'ivr-no-input',
      'ivr-transferring',
      'ivr-directory-intro',
      'fc-forward-all-enabled',
      'fc-dnd-disabled',
      'fc-echo-test',
      'err-not-in-service',
      'goodbye',
      'star',
      'pound',
    ]) {
      expect(prompts[id], id).toBeTruthy();
    }
  });

  it('rejects bad catalogues', () => {
    expect(validateCatalogue(null)).toEqual([{ problem: 'catalogue is not an object' }]);
    const problems = validateCatalogue({
      language: 'en',
      voice: 'en-us; rm -rf /',
      wordsPerMinute: 1000,
      prompts: { 'Bad Id': 'x', '../etc': 'y', ok: '', long: 'z'.repeat(700) },
    });
    expect(problems.map((p) => p.id ?? p.problem)).toEqual([
      'bad voice',
      'wordsPerMinute must be 80-300',
      'Bad Id',
      '../etc',
      'ok',
      'long',
    ]);
  });
});

describe('PromptLibrary', () => {
  it('loads prompts once, falls back to English, and refuses path tricks', async () => {
    const library = new PromptLibrary();
    const five = await library.load('digit-5', 'en');
    expect(five.length).toBeGreaterThan(2000);
    expect(await library.load('digit-5', 'en')).toBe(five);
    expect(await library.load('digit-5', 'xx')).toEqual(five);
    await expect(library.load('../../etc/passwd', 'en')).rejects.toThrow(/bad prompt id/);
    await expect(library.load('digit-5', '../en')).rejects.toThrow(/bad language/);
    await expect(library.load('no-such-prompt', 'en')).rejects.toThrow();
  });

  it('evicts least recently used prompts past its budget', async () => {
    const library = new PromptLibrary({ maxCacheSamples: 8000 });
    const first = await library.load('digit-1');
    await library.load('digit-2');
    await library.load('vm-main-menu');
    expect(await library.load('digit-1')).not.toBe(first);
  });
});
