import type { Kysely } from 'kysely';

/** Call detail records: one row per call attempt. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('cdrs')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('call_id', 'varchar(256)', (c) => c.notNull())
    .addColumn('direction', 'varchar(16)', (c) => c.notNull())
    .addColumn('caller', 'varchar(64)', (c) => c.notNull())
    .addColumn('caller_name', 'varchar(128)')
    .addColumn('callee', 'varchar(64)', (c) => c.notNull())
    .addColumn('answered_by', 'varchar(64)')
    .addColumn('did', 'varchar(32)')
    .addColumn('carrier_id', 'varchar(32)')
    .addColumn('started_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('answered_at_ms', 'bigint')
    .addColumn('ended_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('disposition', 'varchar(16)', (c) => c.notNull())
    .addColumn('hangup_side', 'varchar(8)')
    .addColumn('sip_status', 'integer', (c) => c.notNull())
    .addColumn('forwarding_path', 'text', (c) => c.notNull())
    .addColumn('cost_minor', 'bigint')
    .addColumn('price_minor', 'bigint')
    .addColumn('currency', 'varchar(3)')
    .execute();
  await db.schema
    .createIndex('cdrs_tenant_started')
    .on('cdrs')
    .columns(['tenant_id', 'started_at_ms'])
    .execute();
  await db.schema.createIndex('cdrs_started').on('cdrs').column('started_at_ms').execute();
}
