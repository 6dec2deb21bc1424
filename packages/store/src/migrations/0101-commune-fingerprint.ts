import type { Kysely } from 'kysely';

/**
 * Each log entry's command fingerprint (the idempotency check of
 * venture-commune.md §11) stored beside it, so replay reads it instead of
 * hashing every command again. Rows written before this have none; replay
 * computes theirs, and the audit checks every stored one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('commune_log').addColumn('fingerprint', 'varchar(32)').execute();
}
