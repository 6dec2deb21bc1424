import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  Kysely,
  type Migration,
  type MigrationProvider,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  sql,
} from 'kysely';
import pg from 'pg';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';

export type StoreDialect = 'sqlite' | 'postgres';

export interface OpenStoreOptions {
  /** A SQLite file path (`:memory:` for tests) or a `postgres://` / `postgresql://` URL. */
  readonly url: string;
  /** PostgreSQL only: the schema to use (created if missing); tests use one each. */
  readonly pgSchema?: string;
  /** PostgreSQL only: connection pool size (default 10). */
  readonly pgPoolSize?: number;
}

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: StoreDialect;
  /** A redacted description for logs (no passwords). */
  readonly description: string;
  /** PostgreSQL only: the schema every query runs in, when not the default. */
  readonly pgSchema?: string;
  /**
   * SQLite only: the one connection under `db`, for hot paths that read with
   * prepared statements. Use it only inside `db.connection().execute(...)`,
   * which waits for any transaction in flight, so a read never sees the
   * uncommitted rows of another writer of this process.
   */
  readonly sqlite?: SqliteDatabase.Database;
  close(): Promise<void>;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/**
 * Opens the database. SQLite runs in WAL mode with foreign keys on and a busy
 * timeout, so a CLI command and the running server can share the file.
 */
export function openStore(options: OpenStoreOptions): Store {
  if (isPostgresUrl(options.url)) {
    const schema = options.pgSchema;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new Error(`invalid PostgreSQL schema name: ${schema}`);
    }
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.pgPoolSize ?? 10,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      dialect: 'postgres',
      description: `PostgreSQL ${redact(options.url)}${schema ? ` (schema ${schema})` : ''}`,
      ...(schema ? { pgSchema: schema } : {}),
      close: () => db.destroy(),
    };
  }
  if (options.url !== ':memory:') mkdirSync(dirname(options.url), { recursive: true });
  const sqlite = new SqliteDatabase(options.url);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    db,
    dialect: 'sqlite',
    description: `SQLite ${options.url}`,
    sqlite,
    close: () => db.destroy(),
  };
}

class ListedMigrations implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

/** Creates the PostgreSQL schema named in the options, if any. */
export async function ensurePgSchema(store: Store): Promise<void> {
  const schema = store.pgSchema;
  if (store.dialect !== 'postgres' || schema === undefined) return;
  await sql`create schema if not exists ${sql.id(schema)}`.execute(store.db);
}

/** Applies every pending migration; returns the names applied now. */
export async function migrateToLatest(store: Store): Promise<string[]> {
  await ensurePgSchema(store);
  const migrator = new Migrator({
    db: store.db,
    provider: new ListedMigrations(),
    // Each area numbers its migrations in its own range (docs/development.md), so a
    // lower number can land after a higher one has run; each still runs exactly once.
    allowUnorderedMigrations: true,
    ...(store.pgSchema ? { migrationTableSchema: store.pgSchema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
