import { createHash } from 'node:crypto';
import { type PlayInput, parseWav, serializeWav, toTelephonyPcm } from '@telekommune/media';
import type { VoiceRepository } from '../voicemail/voicemail-repository.js';
import type { Greeting } from './ivr-config.js';

/** Renders text to 8 kHz PCM (the media package's espeak-ng synthesiser). */
export type Synthesizer = (text: string) => Promise<Int16Array>;

const MAX_CACHED = 256;

/**
 * The audio of a tenant's menu greetings: uploaded WAVs from the store,
 * text rendered once by the synthesiser and kept in the store as a
 * `speech-...` prompt (so every node plays the same audio without
 * rendering it again), bundled prompts by id. Decoded audio is cached.
 */
export class TenantPrompts {
  private readonly cache = new Map<string, Int16Array>();

  constructor(
    private readonly repository: VoiceRepository,
    private readonly synthesize: Synthesizer | undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** What to play for a greeting; empty when it cannot be had (a missing upload, no synthesiser). */
  async resolve(tenantId: string, greeting: Greeting | undefined): Promise<PlayInput[]> {
    if (!greeting) return [];
    if ('say' in greeting) return [...greeting.say];
    if ('prompt' in greeting) {
      const samples = await this.load(tenantId, greeting.prompt);
      return samples ? [{ kind: 'pcm', samples }] : [];
    }
    const name = speechPromptName(greeting.text);
    const cached = await this.load(tenantId, name);
    if (cached) return [{ kind: 'pcm', samples: cached }];
    if (!this.synthesize) return [];
    const samples = await this.synthesize(greeting.text);
    const wav = serializeWav(samples);
    await this.repository.putPrompt(
      {
        tenantId,
        name,
        source: 'speech',
        text: greeting.text,
        duration_ms: Math.round(samples.length / 8),
        sha256: createHash('sha256').update(wav).digest('hex'),
        createdAt: this.now().toISOString(),
      },
      wav,
    );
    this.remember(`${tenantId}/${name}`, samples);
    return [{ kind: 'pcm', samples }];
  }

  /** Forgets a prompt after an upload replaced it or it was deleted. */
  forget(tenantId: string, name: string): void {
    this.cache.delete(`${tenantId}/${name}`);
  }

  private async load(tenantId: string, name: string): Promise<Int16Array | undefined> {
    const key = `${tenantId}/${name}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const bytes = await this.repository.getPromptAudio(tenantId, name);
    if (!bytes) return undefined;
    const parsed = parseWav(Buffer.from(bytes));
    if (!parsed.ok) return undefined;
    const samples = toTelephonyPcm(parsed.audio);
    this.remember(key, samples);
    return samples;
  }

  private remember(key: string, samples: Int16Array): void {
    this.cache.set(key, samples);
    if (this.cache.size > MAX_CACHED) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }
}

/** The store name of a text greeting's rendering. */
export function speechPromptName(text: string): string {
  return `speech-${createHash('sha256').update(text.trim()).digest('hex').slice(0, 32)}`;
}
