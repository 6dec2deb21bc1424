import { migrateToLatest, openStore } from '@telekommune/store';
import type { Command } from 'commander';
import { resolveSettings } from '../../settings.js';
import { addStorageOptions, type StorageFlags } from '../storage-options.js';

export function registerDbCommand(program: Command): void {
  const db = program.command('db').description('database administration');
  addStorageOptions(db.command('migrate').description('apply pending schema migrations'))
    .addHelpText(
      'after',
      `
start applies migrations by itself; run this to migrate ahead of a rolling upgrade.

Examples:
  $ telekommune db migrate
  $ telekommune db migrate --db postgres://telekommune@db.internal/telekommune`,
    )
    .action(async (flags: StorageFlags) => {
      const settings = resolveSettings({ dataDir: flags.dataDir, db: flags.db });
      const store = openStore({ url: settings.db });
      try {
        const applied = await migrateToLatest(store);
        process.stdout.write(
          applied.length > 0
            ? `applied ${applied.join(', ')} to ${store.description}\n`
            : `${store.description} is up to date\n`,
        );
      } finally {
        await store.close();
      }
    });
}
