import type { Int8 } from '../schema.js';

/**
 * The Venture Commune's tables (migration 0100): the hash-chained log of
 * accepted commands with their events, and the ledger projected from it.
 */
export interface CommuneLogTable {
  /** 1-based position in the log; the primary key makes appends optimistic. */
  seq: number;
  idempotency_key: string;
  command_type: string;
  effective_date: string;
  /** Canonical JSON of the command (amounts as decimal strings). */
  command: string;
  /** Canonical JSON of the events, with their ledger transactions. */
  events: string;
  prev_hash: string;
  hash: string;
  recorded_at: string;
  /** `fingerprintOf` the command JSON (migration 0101; null in rows written before it). */
  fingerprint: string | null;
}

/** One ledger line per row: the journal, queryable by account. */
export interface CommunePostingsTable {
  seq: number;
  event_index: number;
  transaction_index: number;
  line_index: number;
  effective_date: string;
  currency: string;
  account: string;
  /** Debit positive, credit negative, in minor units. */
  amount_minor: Int8;
}

/** Running balance of every account, per currency. */
export interface CommuneBalancesTable {
  currency: string;
  account: string;
  balance_minor: Int8;
}

export interface CommuneDatabase {
  commune_log: CommuneLogTable;
  commune_postings: CommunePostingsTable;
  commune_balances: CommuneBalancesTable;
}
