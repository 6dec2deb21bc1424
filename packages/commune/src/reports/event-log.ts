/**
 * The event log as an auditor reads it (venture-commune.md §12): one row per
 * accepted command, with its hash, and the verification of the whole chain.
 */
import type { IsoDate } from '../dates.js';
import { type ChainVerification, type LogEntry, verifyChain } from '../hash-chain.js';

export interface EventLogRow {
  readonly seq: number;
  readonly date: IsoDate;
  readonly command: string;
  readonly idempotency_key: string;
  readonly events: readonly string[];
  readonly prev_hash: string;
  readonly hash: string;
}

export interface EventLogReport {
  readonly verification: ChainVerification;
  readonly rows: readonly EventLogRow[];
}

export function eventLog(
  entries: readonly LogEntry[],
  options: { from?: number; limit?: number } = {},
): EventLogReport {
  const from = options.from ?? 1;
  const limit = options.limit ?? 1_000;
  const rows = entries
    .filter((entry) => entry.seq >= from)
    .slice(0, limit)
    .map((entry) => ({
      seq: entry.seq,
      date: entry.command.effective_date,
      command: entry.command.type,
      idempotency_key: entry.command.idempotency_key,
      events: entry.events.map((event) => event.type),
      prev_hash: entry.prev_hash,
      hash: entry.hash,
    }));
  return { verification: verifyChain(entries), rows };
}
