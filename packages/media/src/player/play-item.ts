import type { TonePlan } from '../tone/tone-plan.js';

/** One thing to play: a voice prompt by id, a WAV file, raw PCM, silence or a tone. */
export type PlayItem =
  | { readonly kind: 'prompt'; readonly id: string }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'pcm'; readonly samples: Int16Array }
  | { readonly kind: 'silence'; readonly durationMs: number }
  | { readonly kind: 'tone'; readonly plan: TonePlan; readonly durationMs: number };

/** A bare string is a prompt id. */
export type PlayInput = PlayItem | string;

export function toPlayItem(input: PlayInput): PlayItem {
  return typeof input === 'string' ? { kind: 'prompt', id: input } : input;
}

/** Turns an item into 8 kHz mono PCM (prompt lookup, file read and decode). */
export type ClipResolver = (item: PlayItem) => Promise<Int16Array>;
