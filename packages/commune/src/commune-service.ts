/**
 * The commune behind its storage port: the engine's state is a cache of the
 * log. Every command is decided against a state caught up with the log,
 * appended with optimistic concurrency (the entry must follow the head it was
 * decided on), and applied only once it is stored. Commands are handled one at
 * a time per process; several processes may share one log.
 */
import type { CommuneLog } from './commune-log.js';
import { CommuneEngine, type EngineOptions, type Outcome } from './engine.js';
import type { CommuneEvent } from './events.js';
import type { LogEntry } from './hash-chain.js';
import type { Rejection } from './rejection.js';

export interface ServiceOptions extends EngineOptions {
  /** Entries read per page while catching up. */
  readonly readPage?: number;
  /** Attempts when another writer keeps appending first. */
  readonly maxConflictRetries?: number;
}

export interface BatchResult {
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: readonly { readonly index: number; readonly rejection: Rejection }[];
  /** Index of the command the batch stopped at (a rejection, with `stopOnRejection`). */
  readonly stoppedAt: number | null;
}

export class CommuneService {
  #engine: CommuneEngine;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #readPage: number;
  readonly #retries: number;

  constructor(
    readonly log: CommuneLog,
    private readonly options: ServiceOptions = {},
  ) {
    this.#engine = new CommuneEngine(options);
    this.#readPage = options.readPage ?? 5_000;
    this.#retries = options.maxConflictRetries ?? 5;
  }

  /** The engine, caught up as of the last call (read-only use: reports). */
  get engine(): CommuneEngine {
    return this.#engine;
  }

  /** Run `work` after every earlier call has finished. */
  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #catchUp(): Promise<void> {
    for (;;) {
      const page = await this.log.read(this.#engine.seq, this.#readPage);
      if (page.length === 0) return;
      for (const entry of page) this.#engine.load(entry);
    }
  }

  /** Load entries others appended; returns the engine. */
  sync(): Promise<CommuneEngine> {
    return this.#serial(async () => {
      await this.#catchUp();
      return this.#engine;
    });
  }

  /** What a command would do now, recording nothing (between other commands, never during one). */
  preview(
    input: unknown,
  ): Promise<{ readonly events: readonly CommuneEvent[] } | { readonly rejection: Rejection }> {
    return this.#serial(async () => {
      await this.#catchUp();
      return this.#engine.decide(input);
    });
  }

  /** Decide, store, then apply one command. */
  submit(input: unknown): Promise<Outcome> {
    return this.#serial(() => this.#submit(input));
  }

  async #submit(input: unknown): Promise<Outcome> {
    for (let attempt = 0; ; attempt += 1) {
      await this.#catchUp();
      const preparation = this.#engine.prepare(input);
      if (preparation.status !== 'prepared') return preparation;
      const { prepared } = preparation;
      let stored: Awaited<ReturnType<CommuneLog['append']>>;
      try {
        stored = await this.log.append(prepared.entry.seq - 1, [prepared.entry]);
      } catch (fault) {
        prepared.rollback();
        throw fault;
      }
      if (stored.ok) {
        prepared.commit();
        return { status: 'accepted', entry: prepared.entry };
      }
      prepared.rollback();
      if (attempt >= this.#retries) {
        return {
          status: 'rejected',
          rejection: {
            code: 'CONCURRENCY_CONFLICT',
            message: `other writers kept appending first (${this.#retries + 1} attempts): ${stored.message}; try again`,
          },
        };
      }
    }
  }

  /**
   * Many commands in order (a journal import): decided one by one, stored in
   * batches. Stops at the first rejection unless `stopOnRejection` is false.
   * If storing fails, the state is rebuilt from the log and the error thrown.
   */
  submitMany(
    inputs: Iterable<unknown>,
    options: { stopOnRejection?: boolean; batchSize?: number } = {},
  ): Promise<BatchResult> {
    return this.#serial(async () => {
      await this.#catchUp();
      const stop = options.stopOnRejection ?? true;
      const batchSize = options.batchSize ?? 1_000;
      const pending: LogEntry[] = [];
      const rejected: { index: number; rejection: Rejection }[] = [];
      let accepted = 0;
      let duplicates = 0;
      let stoppedAt: number | null = null;
      const flush = async () => {
        if (pending.length === 0) return;
        const first = pending[0]!.seq - 1;
        let outcome: Awaited<ReturnType<CommuneLog['append']>>;
        try {
          outcome = await this.log.append(first, pending);
        } catch (fault) {
          await this.#rebuild();
          throw fault;
        }
        if (!outcome.ok) {
          await this.#rebuild();
          throw new Error(`storing the batch failed (${outcome.reason}): ${outcome.message}`);
        }
        accepted += pending.length;
        pending.length = 0;
      };
      let index = 0;
      for (const input of inputs) {
        const outcome = this.#engine.execute(input);
        if (outcome.status === 'accepted') pending.push(outcome.entry);
        else if (outcome.status === 'duplicate') duplicates += 1;
        else {
          rejected.push({ index, rejection: outcome.rejection });
          if (stop) {
            stoppedAt = index;
            break;
          }
        }
        if (pending.length >= batchSize) await flush();
        index += 1;
      }
      await flush();
      return { accepted, duplicates, rejected, stoppedAt };
    });
  }

  async #rebuild(): Promise<void> {
    this.#engine = new CommuneEngine(this.options);
    await this.#catchUp();
  }

  /** Every entry of the log, in order, read in pages. */
  async *entries(): AsyncGenerator<LogEntry> {
    let after = 0;
    for (;;) {
      const page = await this.log.read(after, this.#readPage);
      if (page.length === 0) return;
      yield* page;
      after = page.at(-1)!.seq;
    }
  }
}
