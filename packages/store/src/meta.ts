import type { Store } from './open-store.js';

/** Reads one installation fact. */
export async function getMeta(store: Store, key: string): Promise<string | undefined> {
  const row = await store.db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

/** Records one installation fact, replacing any earlier value. */
export async function setMeta(store: Store, key: string, value: string): Promise<void> {
  await store.db
    .insertInto('meta')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}
