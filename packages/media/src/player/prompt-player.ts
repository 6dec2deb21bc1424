import type { AudioSource } from '../audio/audio-frame.js';
import { type G711Law, g711SilenceCode } from '../codec/g711.js';
import { G711Clip } from '../codec/g711-clip.js';
import type { DtmfDigit } from '../dtmf/dtmf-digit.js';
import type { ClipResolver, PlayInput, PlayItem } from './play-item.js';
import { toPlayItem } from './play-item.js';

export type PlaybackEndReason = 'finished' | 'interrupted' | 'stopped';

export interface PlaybackResult {
  readonly reason: PlaybackEndReason;
  /** The key that interrupted playback (barge-in). */
  readonly digit?: DtmfDigit;
  /** Items that could not be loaded and were skipped. */
  readonly failedItems: number;
  /** Audio actually played, in samples. */
  readonly playedSamples: number;
}

export interface PlayOptions {
  /** A DTMF key stops this playback (and every queued interruptible one). Default true. */
  readonly interruptible?: boolean;
}

export const MAX_QUEUED_ITEMS = 256;

interface Clip {
  samples: Int16Array | undefined;
  /** The samples' shared G.711 encoding, once a stream asked for it. */
  encoded: G711Clip | undefined;
  failed: boolean;
  ready: Promise<void>;
}

interface Batch {
  readonly clips: Clip[];
  readonly interruptible: boolean;
  readonly resolve: (result: PlaybackResult) => void;
  clipIndex: number;
  position: number;
  played: number;
  failed: number;
}

/**
 * A queue of prompts played frame by frame as an AudioSource. Items are
 * loaded as soon as they are queued (in parallel) and played in order; a
 * frame whose item is still loading is an underrun (the sender then sends
 * silence). Each `play` call is a batch with its own promise; a DTMF key
 * interrupts the playing batch and the interruptible batches queued after
 * it ("barge-in"); the caller collects the digit.
 */
export class PromptPlayer implements AudioSource {
  private readonly batches: Batch[] = [];
  private queuedItems = 0;
  /** Frames that found the head item still loading. */
  underruns = 0;

  constructor(private readonly resolver: ClipResolver) {}

  get playing(): boolean {
    return this.batches.length > 0;
  }

  play(inputs: readonly PlayInput[], options: PlayOptions = {}): Promise<PlaybackResult> {
    if (this.queuedItems + inputs.length > MAX_QUEUED_ITEMS) {
      return Promise.resolve({ reason: 'stopped', failedItems: inputs.length, playedSamples: 0 });
    }
    const clips = inputs.map((input) => this.load(toPlayItem(input)));
    this.queuedItems += clips.length;
    return new Promise((resolve) => {
      this.batches.push({
        clips,
        interruptible: options.interruptible ?? true,
        resolve,
        clipIndex: 0,
        position: 0,
        played: 0,
        failed: 0,
      });
    });
  }

  /** Handles a key press: interrupts interruptible playback; returns whether it did. */
  interrupt(digit: DtmfDigit): boolean {
    return this.flush((batch) => batch.interruptible, 'interrupted', digit) > 0;
  }

  /** Stops everything queued. */
  stop(): void {
    this.flush(() => true, 'stopped');
  }

  read(frame: Int16Array): boolean {
    const filled = this.take(frame, undefined);
    if (filled < 0) return false;
    frame.fill(0, filled);
    return true;
  }

  /**
   * `read`, G.711-encoded into `out` (one octet per sample): octets are
   * copied from each clip's shared encoding (G711Clip), so a prompt is
   * encoded once however many streams play it; what is not audio is the
   * law's silence code. Byte for byte what encoding `read`'s frame gives.
   */
  readEncoded(law: G711Law, out: Uint8Array): boolean {
    const filled = this.take(out, law);
    if (filled < 0) return false;
    out.fill(g711SilenceCode(law), filled);
    return true;
  }

  /** Fills the start of `out` (PCM, or G.711 of `law`); how many samples, or -1 when nothing plays. */
  private take(out: Int16Array | Uint8Array, law: G711Law | undefined): number {
    if (this.batches.length === 0) return -1;
    const length = out.length;
    let filled = 0;
    while (filled < length) {
      const batch = this.batches[0];
      if (!batch) break;
      const clip = batch.clips[batch.clipIndex];
      if (!clip) {
        this.finish(batch);
        continue;
      }
      if (clip.failed) {
        batch.failed++;
        this.advance(batch);
        continue;
      }
      const samples = clip.samples;
      if (!samples) {
        if (filled === 0) this.underruns++;
        break; // still loading: the rest of this frame is silence
      }
      const n = Math.min(length - filled, samples.length - batch.position);
      const from = batch.position;
      if (law === undefined) {
        const frame = out as Int16Array;
        for (let k = 0; k < n; k++) frame[filled + k] = samples[from + k]!;
      } else {
        let encoded = clip.encoded;
        if (encoded?.law !== law) {
          encoded = G711Clip.of(law, samples);
          clip.encoded = encoded;
        }
        encoded.copy(from, n, out as Uint8Array, filled);
      }
      filled += n;
      batch.position += n;
      batch.played += n;
      if (batch.position >= samples.length) this.advance(batch);
    }
    return filled === 0 && this.batches.length === 0 ? -1 : filled;
  }

  private advance(batch: Batch): void {
    batch.clipIndex++;
    batch.position = 0;
    this.queuedItems--;
    if (batch.clipIndex >= batch.clips.length) this.finish(batch);
  }

  private finish(batch: Batch): void {
    const index = this.batches.indexOf(batch);
    if (index >= 0) this.batches.splice(index, 1);
    batch.resolve({ reason: 'finished', failedItems: batch.failed, playedSamples: batch.played });
  }

  private flush(predicate: (batch: Batch) => boolean, reason: PlaybackEndReason, digit?: DtmfDigit): number {
    let count = 0;
    for (const batch of [...this.batches]) {
      if (!predicate(batch)) continue;
      this.batches.splice(this.batches.indexOf(batch), 1);
      this.queuedItems -= batch.clips.length - batch.clipIndex;
      batch.resolve({
        reason,
        failedItems: batch.failed,
        playedSamples: batch.played,
        ...(digit ? { digit } : {}),
      });
      count++;
    }
    return count;
  }

  private load(item: PlayItem): Clip {
    const clip: Clip = { samples: undefined, encoded: undefined, failed: false, ready: Promise.resolve() };
    if (item.kind === 'pcm') {
      clip.samples = item.samples;
      return clip;
    }
    clip.ready = this.resolver(item).then(
      (samples) => {
        clip.samples = samples;
      },
      () => {
        clip.failed = true;
      },
    );
    return clip;
  }
}
