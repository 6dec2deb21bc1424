import type { Kysely } from 'kysely';

/**
 * Voicemail messages (their audio is a WAV file in the data directory),
 * voicemail PIN lockout state, and the prompts tenants upload or have
 * rendered for their auto-attendant menus (audio in the row: prompts are
 * small and every node must play them).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('voicemail_messages')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('box', 'varchar(16)', (c) => c.notNull())
    .addColumn('folder', 'varchar(8)', (c) => c.notNull())
    .addColumn('caller', 'varchar(64)')
    .addColumn('caller_name', 'varchar(128)')
    .addColumn('received_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('heard_at', 'varchar(32)')
    .addColumn('file', 'varchar(64)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('voicemail_messages_box')
    .on('voicemail_messages')
    .columns(['tenant_id', 'box', 'folder', 'received_at'])
    .execute();
  await db.schema
    .createTable('voicemail_pin_state')
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('box', 'varchar(16)', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('locked_until', 'varchar(32)')
    .addPrimaryKeyConstraint('voicemail_pin_state_pk', ['tenant_id', 'box'])
    .execute();
  await db.schema
    .createTable('tenant_prompts')
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'varchar(64)', (c) => c.notNull())
    .addColumn('source', 'varchar(8)', (c) => c.notNull())
    .addColumn('text', 'text')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('audio', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('tenant_prompts_pk', ['tenant_id', 'name'])
    .execute();
}
