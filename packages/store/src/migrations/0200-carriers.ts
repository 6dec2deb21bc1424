import type { Kysely } from 'kysely';

/**
 * Carriers, DIDs, rate decks, call charges, tenant balances, revenue
 * bookings and fraud-guard state (pbx.md §5, §6). Money is bigint micro-units
 * (millionths of the currency's major unit); times are epoch milliseconds.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('carriers')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(120)', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('dids')
    // E.164: the primary key makes a number belong to one tenant only.
    .addColumn('number', 'varchar(16)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('destination', 'varchar(80)', (c) => c.notNull())
    .addColumn('name', 'varchar(80)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dids_tenant').on('dids').column('tenant_id').execute();
  await db.schema
    .createTable('rate_decks')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    // `carrier:ID` or `pricelist:ID`: one active deck per owner.
    .addColumn('owner', 'varchar(48)', (c) => c.notNull().unique())
    .addColumn('currency', 'varchar(3)', (c) => c.notNull())
    .addColumn('row_count', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('source', 'varchar(255)', (c) => c.notNull())
    .addColumn('imported_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('rate_deck_chunks')
    .addColumn('deck_id', 'varchar(36)', (c) => c.notNull().references('rate_decks.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('row_count', 'integer', (c) => c.notNull())
    // Rows in a compact binary form (store/src/carriers/rate-deck-codec.ts): a million-row deck
    // is a few dozen writes, not a million.
    .addColumn('data', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_deck_chunks_pk', ['deck_id', 'seq'])
    .execute();
  await db.schema
    .createTable('call_charges')
    .addColumn('call_id', 'varchar(256)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('extension', 'varchar(16)')
    .addColumn('carrier_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('destination', 'varchar(16)', (c) => c.notNull())
    .addColumn('destination_name', 'varchar(120)', (c) => c.notNull())
    .addColumn('prefix', 'varchar(15)', (c) => c.notNull())
    .addColumn('answered_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('duration_s', 'integer', (c) => c.notNull())
    .addColumn('billable_s', 'integer', (c) => c.notNull())
    .addColumn('cost_micro', 'bigint', (c) => c.notNull())
    .addColumn('price_micro', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'varchar(3)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('call_charges_tenant_answered')
    .on('call_charges')
    .columns(['tenant_id', 'answered_at_ms'])
    .execute();
  await db.schema
    .createTable('balance_entries')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('at_ms', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('amount_micro', 'bigint', (c) => c.notNull())
    .addColumn('note', 'varchar(200)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('balance_entries_tenant_at')
    .on('balance_entries')
    .columns(['tenant_id', 'at_ms'])
    .execute();
  await db.schema
    .createTable('revenue_bookings')
    .addColumn('period', 'varchar(7)', (c) => c.primaryKey())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'varchar(3)', (c) => c.notNull())
    .addColumn('booked_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('reference', 'varchar(200)', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('fraud_destinations')
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('destination_key', 'varchar(32)', (c) => c.notNull())
    .addColumn('first_called_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('fraud_destinations_pk', ['tenant_id', 'destination_key'])
    .execute();
  await db.schema
    .createTable('fraud_suspensions')
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull())
    // '' for the whole tenant.
    .addColumn('extension', 'varchar(16)', (c) => c.notNull())
    .addColumn('reason', 'varchar(400)', (c) => c.notNull())
    .addColumn('since_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('fraud_suspensions_pk', ['tenant_id', 'extension'])
    .execute();
}
