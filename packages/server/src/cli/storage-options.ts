import { migrateToLatest, openStore, type Store } from '@telekommune/store';
import type { Command } from 'commander';
import { resolveSettings, type Settings } from '../settings.js';

export interface StorageFlags {
  readonly dataDir?: string;
  readonly db?: string;
}

/** Adds the flags that say where the database is. */
export function addStorageOptions(command: Command): Command {
  return command
    .option('--data-dir <dir>', 'data directory (env TK_DATA_DIR)', undefined)
    .option(
      '--db <url>',
      'SQLite file or postgres:// URL (env TK_DB; default <data-dir>/telekommune.db)',
      undefined,
    );
}

/** Opens and migrates the database named by the flags or environment, runs `work`, and closes it. */
export async function withStore<T>(
  flags: StorageFlags,
  work: (store: Store, settings: Settings) => Promise<T>,
): Promise<T> {
  const settings = resolveSettings({ dataDir: flags.dataDir, db: flags.db });
  const store = openStore({ url: settings.db });
  try {
    await migrateToLatest(store);
    return await work(store, settings);
  } finally {
    await store.close();
  }
}
