import type { Kysely } from 'kysely';

/**
 * The Venture Commune (venture-commune.md §11, §12): an append-only log with
 * a unique idempotency key and a hash chain, and the ledger projections
 * (postings and balances) written in the same transaction as each append.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('commune_log')
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('idempotency_key', 'varchar(128)', (c) => c.notNull())
    .addColumn('command_type', 'varchar(40)', (c) => c.notNull())
    .addColumn('effective_date', 'varchar(10)', (c) => c.notNull())
    .addColumn('command', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('recorded_at', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('commune_log_pk', ['seq'])
    .addUniqueConstraint('commune_log_idempotency_key', ['idempotency_key'])
    .execute();
  await db.schema
    .createTable('commune_postings')
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('event_index', 'integer', (c) => c.notNull())
    .addColumn('transaction_index', 'integer', (c) => c.notNull())
    .addColumn('line_index', 'integer', (c) => c.notNull())
    .addColumn('effective_date', 'varchar(10)', (c) => c.notNull())
    .addColumn('currency', 'varchar(3)', (c) => c.notNull())
    .addColumn('account', 'varchar(300)', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('commune_postings_pk', ['seq', 'event_index', 'transaction_index', 'line_index'])
    .execute();
  await db.schema
    .createIndex('commune_postings_account')
    .on('commune_postings')
    .columns(['account', 'currency', 'effective_date'])
    .execute();
  await db.schema
    .createTable('commune_balances')
    .addColumn('currency', 'varchar(3)', (c) => c.notNull())
    .addColumn('account', 'varchar(300)', (c) => c.notNull())
    .addColumn('balance_minor', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('commune_balances_pk', ['currency', 'account'])
    .execute();
}
