import { type FileHandle, open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { MediaError } from '../errors.js';
import { fsyncDirectory, unlinkIfExists, writeFileAtomic } from './atomic-file.js';
import { PCM16_HEADER_SIZE, pcm16ToBytes, writePcm16Header } from './wav-format.js';

/** Suffix of the file being written; renamed to the final name when done. */
export const PARTIAL_SUFFIX = '.partial';
/** Suffix of the metadata sidecar kept until the caller acknowledges the recording. */
export const PENDING_SUFFIX = '.pending.json';

export interface FinishedRecording {
  readonly path: string;
  readonly samples: number;
  readonly durationMs: number;
  readonly metadata?: unknown;
  /** Removes the sidecar: call once the recording is recorded elsewhere (the store). */
  acknowledge(): Promise<void>;
}

/**
 * An 8 kHz 16-bit mono WAV written so that a crash (kill -9, power loss)
 * loses at most the audio since the last flush and never leaves a broken
 * file under the final name:
 *
 * 1. The caller's metadata goes first into `<path>.pending.json` (written
 *    atomically), so recovery knows what the audio belongs to.
 * 2. Audio is written to `<path>.partial`. Each `flush` appends the buffered
 *    samples, then rewrites the header's sizes, then fdatasyncs: the file is
 *    a valid WAV up to the last flush at every instant (a header that lags
 *    the data only hides the unflushed tail).
 * 3. `finish` flushes, fsyncs, renames to `<path>` and fsyncs the directory.
 *    The sidecar stays until `acknowledge()`: between the rename and the
 *    caller's own commit a crash leaves a sidecar next to a finished file,
 *    which recovery reports again (at-least-once; callers upsert by id).
 *
 * `recoverRecordings` (recording-recovery.ts) finishes or removes what a
 * crash left behind.
 */
export class DurableWavWriter {
  private pending: Int16Array[] = [];
  private pendingSamples = 0;
  private writtenSamples = 0;
  private queue: Promise<void> = Promise.resolve();
  private state: 'open' | 'finishing' | 'closed' = 'open';
  private readonly header = Buffer.alloc(PCM16_HEADER_SIZE);

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    private readonly metadata: unknown,
  ) {}

  /** Creates the sidecar (when metadata is given) and the partial file with an empty data chunk. */
  static async create(path: string, metadata?: unknown): Promise<DurableWavWriter> {
    if (metadata !== undefined) await writeFileAtomic(path + PENDING_SUFFIX, JSON.stringify(metadata));
    const handle = await open(path + PARTIAL_SUFFIX, 'w', 0o640);
    try {
      await handle.write(writePcm16Header(Buffer.alloc(PCM16_HEADER_SIZE), 0), 0, PCM16_HEADER_SIZE, 0);
      await handle.sync();
      await fsyncDirectory(dirname(path));
    } catch (error) {
      await handle.close();
      throw new MediaError('io-error', `cannot create ${path}${PARTIAL_SUFFIX}`, { cause: error });
    }
    return new DurableWavWriter(path, handle, metadata);
  }

  /** Samples accepted so far (flushed or not). */
  get samples(): number {
    return this.writtenSamples + this.pendingSamples;
  }

  /** Buffers samples in memory (copied); they reach the disk at the next flush. */
  append(samples: Int16Array): void {
    if (this.state !== 'open') throw new MediaError('closed', 'recording already finished');
    this.pending.push(samples.slice());
    this.pendingSamples += samples.length;
  }

  /** Writes buffered samples and a header that covers them, then syncs. Serialised. */
  flush(): Promise<void> {
    return this.enqueue(() => this.flushNow());
  }

  /**
   * Drops everything after the first `keepSamples` (trailing silence, the
   * tail of a '#' key press), on disk as well as in memory.
   */
  truncate(keepSamples: number): Promise<void> {
    return this.enqueue(async () => {
      await this.flushNow();
      const keep = Math.max(0, Math.min(this.writtenSamples, Math.floor(keepSamples)));
      if (keep === this.writtenSamples) return;
      this.writtenSamples = keep;
      await this.writeHeader();
      await this.handle.truncate(PCM16_HEADER_SIZE + keep * 2);
      await this.handle.sync();
    });
  }

  /** Flushes, closes and renames to the final name. */
  async finish(): Promise<FinishedRecording> {
    if (this.state !== 'open') throw new MediaError('closed', 'recording already finished');
    this.state = 'finishing';
    await this.enqueue(async () => {
      await this.flushNow();
      await this.handle.sync();
      await this.handle.close();
      await rename(this.path + PARTIAL_SUFFIX, this.path);
      await fsyncDirectory(dirname(this.path));
    });
    this.state = 'closed';
    const path = this.path;
    return {
      path,
      samples: this.writtenSamples,
      durationMs: this.writtenSamples / 8,
      ...(this.metadata === undefined ? {} : { metadata: this.metadata }),
      acknowledge: () => unlinkIfExists(path + PENDING_SUFFIX),
    };
  }

  /** Closes and removes the partial file and the sidecar. */
  async abort(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    await this.queue.catch(() => {});
    await this.handle.close().catch(() => {});
    await unlinkIfExists(this.path + PARTIAL_SUFFIX);
    await unlinkIfExists(this.path + PENDING_SUFFIX);
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => {});
    return run;
  }

  private async flushNow(): Promise<void> {
    if (this.pendingSamples === 0) return;
    const chunks = this.pending;
    const count = this.pendingSamples;
    this.pending = [];
    this.pendingSamples = 0;
    const joined = new Int16Array(count);
    let offset = 0;
    for (const chunk of chunks) {
      joined.set(chunk, offset);
      offset += chunk.length;
    }
    const bytes = pcm16ToBytes(joined);
    await this.handle.write(bytes, 0, bytes.length, PCM16_HEADER_SIZE + this.writtenSamples * 2);
    this.writtenSamples += count;
    await this.writeHeader();
    await this.handle.datasync();
  }

  private async writeHeader(): Promise<void> {
    writePcm16Header(this.header, this.writtenSamples * 2);
    await this.handle.write(this.header, 0, PCM16_HEADER_SIZE, 0);
  }
}
