/**
 * The commune's log on SQLite and PostgreSQL (the `CommuneLog` port of
 * `@telekommune/commune`). An append inserts the entries, their ledger lines
 * and the balance changes in one transaction, after checking that the log is
 * still at the head the entries were decided on; the primary key on `seq` and
 * the unique idempotency key settle any race between writers.
 */
import {
  type AppendOutcome,
  type CommuneLog,
  commandJsonOf,
  EncodedEntry,
  entryFingerprint,
  eventsJsonOf,
  type LogEntry,
  type LogHead,
} from '@telekommune/commune';
import type SqliteDatabase from 'better-sqlite3';
import { type Kysely, sql, type Transaction } from 'kysely';
import { int8ToBigInt } from '../int8.js';
import type { Store } from '../open-store.js';
import type { Database } from '../schema.js';
import type { CommunePostingsTable } from './schema-commune.js';

/** Rows per INSERT statement (SQLite binds at most 32 766 parameters). */
const rowsPerInsert = 500;

export interface StoredBalance {
  readonly currency: string;
  readonly account: string;
  readonly balance_minor: bigint;
}

function chunks<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** Which unique constraint an insert broke, if that is what failed. */
function uniqueViolation(error: unknown): 'seq' | 'key' | null {
  const e = error as { code?: string; constraint?: string; message?: string };
  const text = `${e.constraint ?? ''} ${e.message ?? ''}`;
  const unique = e.code === '23505' || /UNIQUE constraint failed|PRIMARY KEY/i.test(e.message ?? '');
  if (!unique) return null;
  return /idempotency_key/.test(text) ? 'key' : 'seq';
}

/** A log row as SQLite's prepared statement returns it in raw mode. */
type RawLogRow = [
  seq: number,
  idempotency_key: string,
  effective_date: string,
  fingerprint: string | null,
  command: string,
  events: string,
  prev_hash: string,
  hash: string,
];

export class SqlCommuneLog implements CommuneLog {
  #readStatement: SqliteDatabase.Statement<[number, number], RawLogRow> | undefined;

  constructor(private readonly store: Store) {}

  private get db(): Kysely<Database> {
    return this.store.db;
  }

  async head(): Promise<LogHead | null> {
    const row = await this.db
      .selectFrom('commune_log')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? { seq: Number(row.seq), hash: row.hash } : null;
  }

  async read(afterSeq: number, limit: number): Promise<LogEntry[]> {
    const sqlite = this.store.sqlite;
    if (sqlite !== undefined) {
      // Replay reads the whole log: one prepared statement returning arrays, no
      // query building and no row objects. Through `connection()`, so a
      // transaction of another writer in this process is waited for, not read.
      // The key, date and fingerprint columns spare decoding and hashing each
      // command (EncodedEntry).
      return this.db.connection().execute(async () => {
        this.#readStatement ??= sqlite
          .prepare<[number, number], RawLogRow>(
            'select seq, idempotency_key, effective_date, fingerprint, command, events, prev_hash, hash from commune_log where seq > ? order by seq limit ?',
          )
          .raw(true);
        const rows = this.#readStatement.all(afterSeq, limit);
        const entries = new Array<LogEntry>(rows.length);
        for (let i = 0; i < rows.length; i += 1) {
          const [seq, idempotency_key, effective_date, fingerprint, command, events, prev_hash, hash] =
            rows[i]!;
          entries[i] = EncodedEntry.parse(seq, command, events, prev_hash, hash, {
            idempotency_key,
            effective_date,
            fingerprint,
          });
        }
        return entries;
      });
    }
    const rows = await this.db
      .selectFrom('commune_log')
      .select([
        'seq',
        'idempotency_key',
        'effective_date',
        'fingerprint',
        'command',
        'events',
        'prev_hash',
        'hash',
      ])
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((row) =>
      EncodedEntry.parse(Number(row.seq), row.command, row.events, row.prev_hash, row.hash, row),
    );
  }

  async append(afterSeq: number, entries: readonly LogEntry[]): Promise<AppendOutcome> {
    if (entries.length === 0) return { ok: true };
    for (const [i, entry] of entries.entries()) {
      if (entry.seq !== afterSeq + i + 1)
        return { ok: false, reason: 'conflict', message: `entry ${entry.seq} out of sequence` };
    }
    try {
      return await this.db.transaction().execute(async (tx) => {
        const top = await tx
          .selectFrom('commune_log')
          .select(sql<number | null>`max(seq)`.as('top'))
          .executeTakeFirst();
        const at = top?.top === null || top?.top === undefined ? 0 : Number(top.top);
        if (at !== afterSeq) {
          return {
            ok: false,
            reason: 'conflict',
            message: `the log is at entry ${at}, not ${afterSeq}`,
          } as const;
        }
        await this.#insert(tx, entries);
        return { ok: true } as const;
      });
    } catch (error) {
      const violated = uniqueViolation(error);
      if (violated === 'key')
        return {
          ok: false,
          reason: 'duplicate-key',
          message: 'an idempotency key of the batch is already in the log',
        };
      if (violated === 'seq')
        return { ok: false, reason: 'conflict', message: 'another writer appended first' };
      throw error;
    }
  }

  async #insert(tx: Transaction<Database>, entries: readonly LogEntry[]): Promise<void> {
    const recorded_at = new Date().toISOString();
    const logRows = entries.map((entry) => ({
      seq: entry.seq,
      idempotency_key: entry.command.idempotency_key,
      command_type: entry.command.type,
      effective_date: entry.command.effective_date,
      command: commandJsonOf(entry),
      events: eventsJsonOf(entry),
      prev_hash: entry.prev_hash,
      hash: entry.hash,
      recorded_at,
      fingerprint: entryFingerprint(entry),
    }));
    for (const rows of chunks(logRows, 100)) await tx.insertInto('commune_log').values(rows).execute();

    const postings: CommunePostingsTable[] = [];
    const deltas = new Map<string, { currency: string; account: string; amount: bigint }>();
    for (const entry of entries) {
      entry.events.forEach((event, event_index) => {
        if (!('transactions' in event)) return;
        event.transactions.forEach((transaction, transaction_index) => {
          transaction.lines.forEach((line, line_index) => {
            postings.push({
              seq: entry.seq,
              event_index,
              transaction_index,
              line_index,
              effective_date: event.date,
              currency: transaction.currency,
              account: line.account,
              amount_minor: line.amount_minor.toString(),
            });
            const k = `${transaction.currency} ${line.account}`;
            const delta = deltas.get(k);
            if (delta) delta.amount += line.amount_minor;
            else
              deltas.set(k, {
                currency: transaction.currency,
                account: line.account,
                amount: line.amount_minor,
              });
          });
        });
      });
    }
    for (const rows of chunks(postings, rowsPerInsert))
      await tx.insertInto('commune_postings').values(rows).execute();
    const balanceRows = [...deltas.values()].map((d) => ({
      currency: d.currency,
      account: d.account,
      balance_minor: d.amount.toString(),
    }));
    for (const rows of chunks(balanceRows, rowsPerInsert)) {
      await tx
        .insertInto('commune_balances')
        .values(rows)
        .onConflict((oc) =>
          oc.columns(['currency', 'account']).doUpdateSet({
            balance_minor: sql`commune_balances.balance_minor + excluded.balance_minor`,
          }),
        )
        .execute();
    }
  }

  /** The balances projection, as stored. */
  async balances(): Promise<StoredBalance[]> {
    const rows = await this.db
      .selectFrom('commune_balances')
      .selectAll()
      .orderBy('currency')
      .orderBy('account')
      .execute();
    return rows.map((row) => ({
      currency: row.currency,
      account: row.account,
      balance_minor: int8ToBigInt(row.balance_minor),
    }));
  }

  /** An account's ledger lines, oldest first. */
  async postings(
    account: string,
    currency: string,
    limit = 1_000,
  ): Promise<{ seq: number; effective_date: string; amount_minor: bigint }[]> {
    const rows = await this.db
      .selectFrom('commune_postings')
      .select(['seq', 'effective_date', 'amount_minor'])
      .where('account', '=', account)
      .where('currency', '=', currency)
      .orderBy('seq')
      .orderBy('event_index')
      .orderBy('transaction_index')
      .orderBy('line_index')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      seq: Number(row.seq),
      effective_date: row.effective_date,
      amount_minor: int8ToBigInt(row.amount_minor),
    }));
  }

  /** Number of entries. */
  async count(): Promise<number> {
    return (await this.head())?.seq ?? 0;
  }
}
