import type { Kysely } from 'kysely';

/** Registrar bindings (RFC 3261 §10), so a restart keeps registrations. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('registrations')
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('aor', 'varchar(6)', (c) => c.notNull())
    .addColumn('contact', 'varchar(1024)', (c) => c.notNull())
    .addColumn('instance_id', 'varchar(256)')
    .addColumn('call_id', 'varchar(256)', (c) => c.notNull())
    .addColumn('cseq', 'bigint', (c) => c.notNull())
    .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('registered_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('q', 'real')
    .addColumn('user_agent', 'varchar(256)')
    .addColumn('flow', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('registrations_pk', ['tenant_id', 'aor', 'contact'])
    .execute();
  await db.schema.createIndex('registrations_expiry').on('registrations').column('expires_at_ms').execute();
}
