import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
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

/** Each store lives in its own schema, so parallel test files never collide. */
export function postgresFactory(url: string): StoreFactory {
  const opened: { store: Store; schema: string }[] = [];
  return {
    name: 'PostgreSQL',
    async open() {
      const schema = `tk_test_${randomBytes(6).toString('hex')}`;
      const store = openStore({ url, pgSchema: schema, pgPoolSize: 4 });
      await migrateToLatest(store);
      opened.push({ store, schema });
      return store;
    },
    async cleanup() {
      for (const { store, schema } of opened.splice(0)) {
        await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(store.db);
        await store.close();
      }
    },
  };
}
