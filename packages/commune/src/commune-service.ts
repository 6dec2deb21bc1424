/**
 * The commune behind its storage port: the engine's state is a cache of the
 * log. Every command is decided against a state caught up with the log,
 * appended with optimistic concurrency (the entry must follow the head it was
 * decided on), and applied only once it is stored. Commands are handled one at
 * a time per process; several processes may share one log.
 */
import { type AuditOptions, Auditor, type AuditReport } from './audit.js';
import type { AppendOutcome, CommuneLog } from './commune-log.js';
import { CommuneEngine, type EngineOptions, type Outcome, type PreparedMany } from './engine.js';
import type { CommuneEvent } from './events.js';
import type { LogEntry } from './hash-chain.js';
import type { Rejection } from './rejection.js';
import { stateDigest } from './snapshot.js';

export interface ServiceOptions extends EngineOptions {
  /** Entries read per page while catching up (default 1,000: a page is garbage young, before the next one). */
  readonly readPage?: number;
  /** Attempts when another writer keeps appending first. */
  readonly maxConflictRetries?: number;
  /** Commands stored together at most, when they arrive while others are being stored. */
  readonly maxGroup?: number;
}

export interface BatchResult {
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: readonly { readonly index: number; readonly rejection: Rejection }[];
  /** Index of the command the batch stopped at (a rejection, with `stopOnRejection`). */
  readonly stoppedAt: number | null;
}

interface Waiting {
  readonly input: unknown;
  resolve(outcome: Outcome): void;
  reject(fault: unknown): void;
}

export class CommuneService {
  #engine: CommuneEngine;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #waiting: Waiting[] = [];
  #draining = false;
  readonly #maxGroup: number;
  readonly #readPage: number;
  readonly #retries: number;

  constructor(
    readonly log: CommuneLog,
    options: ServiceOptions = {},
  ) {
    this.#engine = new CommuneEngine(options);
    this.#readPage = options.readPage ?? 1_000;
    this.#retries = options.maxConflictRetries ?? 5;
    this.#maxGroup = options.maxGroup ?? 256;
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

  /**
   * Decide, store, then apply one command. Commands that arrive while others
   * are being stored are decided together and stored in one transaction
   * (group commit); each still gets its own outcome.
   */
  submit(input: unknown): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      this.#waiting.push({ input, resolve, reject });
      if (!this.#draining) {
        this.#draining = true;
        void this.#serial(() => this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#waiting.length > 0) {
        const group = this.#waiting.splice(0, this.#maxGroup);
        await this.#submitGroup(group);
      }
    } finally {
      this.#draining = false;
    }
  }

  async #submitGroup(group: readonly Waiting[]): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      let prepared: PreparedMany;
      try {
        await this.#catchUp();
        prepared = this.#engine.prepareMany(group.map((w) => w.input));
      } catch (fault) {
        for (const w of group) w.reject(fault);
        return;
      }
      const settle = () => {
        group.forEach((w, i) => {
          w.resolve(prepared.outcomes[i]!);
        });
      };
      if (prepared.entries.length === 0) {
        prepared.rollback();
        settle();
        return;
      }
      let stored: AppendOutcome;
      try {
        stored = await this.log.append(prepared.entries[0]!.seq - 1, prepared.entries);
      } catch (fault) {
        prepared.rollback();
        for (const w of group) w.reject(fault);
        return;
      }
      if (stored.ok) {
        prepared.commit();
        settle();
        return;
      }
      prepared.rollback();
      if (attempt >= this.#retries) {
        const rejection = {
          code: 'CONCURRENCY_CONFLICT' as const,
          message: `other writers kept appending first (${this.#retries + 1} attempts): ${stored.message}; try again`,
        };
        for (const w of group) w.resolve({ status: 'rejected', rejection });
        return;
      }
    }
  }

  /**
   * Many commands in order (a journal import): decided one by one, stored in
   * batches of one transaction each. Stops at the first rejection unless
   * `stopOnRejection` is false. A batch that cannot be stored is undone in
   * memory as well, and the error thrown.
   */
  submitMany(
    inputs: Iterable<unknown>,
    options: { stopOnRejection?: boolean; batchSize?: number } = {},
  ): Promise<BatchResult> {
    return this.#serial(async () => {
      await this.#catchUp();
      const stop = options.stopOnRejection ?? true;
      const batchSize = options.batchSize ?? 1_000;
      const rejected: { index: number; rejection: Rejection }[] = [];
      let accepted = 0;
      let duplicates = 0;
      let stoppedAt: number | null = null;
      let next = 0;
      let batch: unknown[] = [];
      const flush = async () => {
        const first = next - batch.length;
        let prepared = this.#engine.prepareMany(batch);
        const refused = prepared.outcomes.findIndex((o) => o.status === 'rejected');
        if (stop && refused >= 0) {
          // Nothing after the first refused command is stored: decide again up to it.
          const outcome = prepared.outcomes[refused]!;
          if (outcome.status === 'rejected')
            rejected.push({ index: first + refused, rejection: outcome.rejection });
          stoppedAt = first + refused;
          prepared.rollback();
          prepared = this.#engine.prepareMany(batch.slice(0, refused));
        } else {
          prepared.outcomes.forEach((o, i) => {
            if (o.status === 'rejected') rejected.push({ index: first + i, rejection: o.rejection });
          });
        }
        batch = [];
        await this.#store(prepared);
        for (const o of prepared.outcomes) {
          if (o.status === 'accepted') accepted += 1;
          else if (o.status === 'duplicate') duplicates += 1;
        }
      };
      for (const input of inputs) {
        batch.push(input);
        next += 1;
        if (batch.length >= batchSize) {
          await flush();
          if (stoppedAt !== null) break;
        }
      }
      if (stoppedAt === null && batch.length > 0) await flush();
      return { accepted, duplicates, rejected, stoppedAt };
    });
  }

  /** Store prepared entries; commit them, or undo them and throw. */
  async #store(prepared: PreparedMany): Promise<void> {
    if (prepared.entries.length === 0) {
      prepared.rollback();
      return;
    }
    let outcome: AppendOutcome;
    try {
      outcome = await this.log.append(prepared.entries[0]!.seq - 1, prepared.entries);
    } catch (fault) {
      prepared.rollback();
      throw fault;
    }
    if (!outcome.ok) {
      prepared.rollback();
      throw new Error(`storing the batch failed (${outcome.reason}): ${outcome.message}`);
    }
    prepared.commit();
  }

  /** Every entry of the log, in order, read in pages. */
  async *entries(through = Number.POSITIVE_INFINITY): AsyncGenerator<LogEntry> {
    let after = 0;
    while (after < through) {
      const page = await this.log.read(after, Math.min(this.#readPage, through - after));
      if (page.length === 0) return;
      yield* page;
      after = page.at(-1)!.seq;
    }
  }

  /**
   * The audit (audit.ts) of the log up to this service's head, read page by
   * page so memory stays bounded, against this service's state unless
   * `expected_digest` names another. Entries others append meanwhile are
   * left for the next audit.
   */
  async audit(options: AuditOptions = {}): Promise<AuditReport> {
    const { through, expected_digest } = await this.#serial(async () => {
      await this.#catchUp();
      return {
        through: this.#engine.seq,
        expected_digest: options.expected_digest ?? stateDigest(this.#engine.state),
      };
    });
    const auditor = new Auditor({ ...options, expected_digest });
    for await (const entry of this.entries(through)) auditor.add(entry);
    return auditor.finish();
  }
}
