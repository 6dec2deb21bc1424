import type { Cdr, CdrRepository } from './cdr.js';

export interface CdrWriterOptions {
  /** Records are written at most this long after their call ends. */
  readonly flush_ms: number;
  /** Records per transaction. */
  readonly maxBatch: number;
  /** Records held while the store is failing; past it, the oldest are dropped (and reported). */
  readonly maxQueued: number;
  readonly onError: (error: unknown, pending: number) => void;
}

export const defaultCdrWriterOptions: Omit<CdrWriterOptions, 'onError'> = {
  flush_ms: 100,
  maxBatch: 500,
  maxQueued: 100_000,
};

/**
 * Writes CDRs in batches, one transaction each, off the call path: at
 * hundreds of calls a second one INSERT per call costs more than the call's
 * signalling. A store failure keeps the records queued for the next flush;
 * `stop` writes what is left.
 */
export class BatchingCdrWriter {
  private queue: Cdr[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly options: CdrWriterOptions;

  constructor(
    private readonly repository: CdrRepository,
    options: Partial<CdrWriterOptions> & Pick<CdrWriterOptions, 'onError'>,
  ) {
    this.options = { ...defaultCdrWriterOptions, ...options };
  }

  write(cdr: Cdr): void {
    this.queue.push(cdr);
    if (this.queue.length > this.options.maxQueued) {
      const dropped = this.queue.splice(0, this.queue.length - this.options.maxQueued);
      this.options.onError(new Error(`CDR queue full: ${dropped.length} records dropped`), this.queue.length);
    }
    if (this.queue.length >= this.options.maxBatch) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.options.flush_ms);
      this.timer.unref();
    }
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Writes everything queued now, batch by batch. */
  async flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => (this.queue.length > 0 ? this.flush() : undefined));
    if (this.queue.length === 0) return;
    this.flushing = (async () => {
      while (this.queue.length > 0) {
        const batch = this.queue.slice(0, this.options.maxBatch);
        try {
          await this.repository.insertMany(batch);
          this.queue.splice(0, batch.length);
        } catch (error) {
          this.options.onError(error, this.queue.length);
          return;
        }
      }
    })().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
