import type { Kysely } from 'kysely';

/**
 * Console accounts and their browser sessions; API tokens gain an owning
 * account and an expiry. Range 0400-0499: accounts and console.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('accounts')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('username', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('password_hash', 'varchar(255)', (c) => c.notNull())
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addColumn('tenant_id', 'varchar(32)', (c) => c.references('tenants.id').onDelete('cascade'))
    .addColumn('extension', 'varchar(6)')
    .addColumn('person_id', 'varchar(64)')
    .addColumn('display_name', 'varchar(120)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('password_changed_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('accounts_tenant_idx').on('accounts').column('tenant_id').execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('secret_sha256', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('account_id', 'varchar(32)', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('csrf_token', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('last_seen_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('source_address', 'varchar(64)', (c) => c.notNull())
    .addColumn('user_agent', 'varchar(255)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_account_idx').on('sessions').column('account_id').execute();

  await db.schema
    .alterTable('api_tokens')
    .addColumn('account_id', 'varchar(32)', (c) => c.references('accounts.id').onDelete('cascade'))
    .execute();
  await db.schema.alterTable('api_tokens').addColumn('expires_at', 'varchar(32)').execute();
}
