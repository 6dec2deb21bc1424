import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { migrateToLatest, openStore, type Store } from '../src/index.js';

export interface StoreFactory {
  readonly name: string;
  /** A new, migrated, empty store; closed and dropped by `cleanup`. */
  open(): Promise<Store>;
  cleanup(): Promise<void>;
}

export function sqliteFactory(): StoreFactory {
  const opened: Store[] = [];
  return {
    name: 'SQLite',
    async open() {
      const store = openStore({ url: ':memory:' });
      await migrateToLatest(store);
      opened.push(store);
      return store;
    },
    async cleanup() {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    },
  };
}

/** The advisory lock that keeps test schemas from being dropped while another test migrates. */
const SCHEMA_LOCK = 7_340_001;

/**
 * Runs `work` holding the test-schema lock, shared (migrating) or exclusive
 * (dropping). Kysely's migrator introspects the tables of every schema in
 * the database, and PostgreSQL raises "schema ... does not exist" when
 * another test process drops its schema during that scan; the lock keeps
 * drops and migrations of concurrent test processes apart. Ending the
 * session releases it.
 */
async function withSchemaLock<T>(
  url: string,
  mode: 'shared' | 'exclusive',
  work: () => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      mode === 'shared' ? 'select pg_advisory_lock_shared($1)' : 'select pg_advisory_lock($1)',
      [SCHEMA_LOCK],
    );
    return await work();
  } finally {
    await client.end();
  }
}

/** Each store lives in its own schema, so parallel test files never collide. */
export function postgresFactory(url: string): StoreFactory {
  const opened: { store: Store; schema: string }[] = [];
  return {
    name: 'PostgreSQL',
    async open() {
      const schema = `tk_test_${randomBytes(6).toString('hex')}`;
      const store = openStore({ url, pgSchema: schema, pgPoolSize: 4 });
      opened.push({ store, schema });
      await withSchemaLock(url, 'shared', () => migrateToLatest(store));
      return store;
    },
    async cleanup() {
      const stores = opened.splice(0);
      await withSchemaLock(url, 'exclusive', async () => {
        for (const { store, schema } of stores) {
          await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(store.db);
        }
      });
      await Promise.all(stores.map(({ store }) => store.close()));
    },
  };
}
