/**
 * The storage port of the commune (ARCHITECTURE.md: "storage via a port"):
 * an append-only, hash-chained log of accepted commands with their events.
 * `packages/store` implements it on SQLite and PostgreSQL; `MemoryCommuneLog`
 * here serves tests and tools.
 */
import type { LogEntry } from './hash-chain.js';

export interface LogHead {
  readonly seq: number;
  readonly hash: string;
}

export type AppendOutcome =
  | { readonly ok: true }
  /** Another writer appended first (optimistic concurrency): catch up and decide again. */
  | { readonly ok: false; readonly reason: 'conflict'; readonly message: string }
  /** An idempotency key is already in the log. */
  | { readonly ok: false; readonly reason: 'duplicate-key'; readonly message: string };

export interface CommuneLog {
  /** The last entry, or null while the log is empty. */
  head(): Promise<LogHead | null>;
  /** Entries with `seq > afterSeq`, in order, at most `limit` of them. */
  read(afterSeq: number, limit: number): Promise<LogEntry[]>;
  /**
   * Append entries that directly follow entry `afterSeq`, all or none. Fails
   * with `conflict` when the log has moved past `afterSeq`.
   */
  append(afterSeq: number, entries: readonly LogEntry[]): Promise<AppendOutcome>;
}

/** The log in memory. */
export class MemoryCommuneLog implements CommuneLog {
  readonly #entries: LogEntry[] = [];
  readonly #keys = new Set<string>();

  async head(): Promise<LogHead | null> {
    const last = this.#entries.at(-1);
    return last ? { seq: last.seq, hash: last.hash } : null;
  }

  async read(afterSeq: number, limit: number): Promise<LogEntry[]> {
    return this.#entries.slice(afterSeq, afterSeq + limit);
  }

  async append(afterSeq: number, entries: readonly LogEntry[]): Promise<AppendOutcome> {
    if (afterSeq !== this.#entries.length) {
      return {
        ok: false,
        reason: 'conflict',
        message: `the log is at ${this.#entries.length}, not ${afterSeq}`,
      };
    }
    const keys = new Set<string>();
    for (const [i, entry] of entries.entries()) {
      if (entry.seq !== afterSeq + i + 1)
        return { ok: false, reason: 'conflict', message: `entry ${entry.seq} out of sequence` };
      const key = entry.command.idempotency_key;
      if (this.#keys.has(key) || keys.has(key))
        return { ok: false, reason: 'duplicate-key', message: `key "${key}" is in the log` };
      keys.add(key);
    }
    this.#entries.push(...entries);
    for (const key of keys) this.#keys.add(key);
    return { ok: true };
  }
}
