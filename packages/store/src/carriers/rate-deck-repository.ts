import { randomUUID } from 'node:crypto';
import {
  ownerKey,
  parseOwnerKey,
  type RateDeckInfo,
  type RateDeckOwner,
  type RateDeckRepository,
  RateTable,
} from '@telekommune/pbx';
import { type Selectable, sql } from 'kysely';
import { int8ToBigInt, int8ToNumber } from '../int8.js';
import type { Store } from '../open-store.js';
import type { RateDecksTable } from './schema-carriers.js';

/** Rows per INSERT: 9 parameters each, inside SQLite's 32,766 and PostgreSQL's 65,535 parameter limits. */
const insertBatch = 3000;
/** Rows per SELECT page when loading a deck. */
const readPage = 50_000;

function toInfo(row: Selectable<RateDecksTable>): RateDeckInfo {
  const owner = parseOwnerKey(row.owner);
  if (!owner) throw new Error(`corrupt rate deck ${row.id}: owner ${row.owner}`);
  return {
    owner,
    id: row.id,
    currency: row.currency,
    rows: Number(row.row_count),
    sha256: row.sha256,
    source: row.source,
    importedAt: row.imported_at,
  };
}

/** Rate decks as rows; a replacement is one transaction, so a failed import leaves the old deck. */
export class SqlRateDeckRepository implements RateDeckRepository {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async replaceDeck(
    info: Omit<RateDeckInfo, 'id' | 'rows'>,
    table: RateTable,
    onProgress?: (rowsWritten: number) => void,
  ): Promise<RateDeckInfo> {
    const id = randomUUID();
    const owner = ownerKey(info.owner);
    const importedAt = info.importedAt || this.now().toISOString();
    await this.store.db.transaction().execute(async (trx) => {
      // Written under a pending owner, switched at the end: the unique owner index never sees two decks.
      await trx
        .insertInto('rate_decks')
        .values({
          id,
          owner: `~${id}`,
          currency: info.currency,
          row_count: table.size,
          sha256: info.sha256,
          source: info.source.slice(0, 255),
          imported_at: importedAt,
        })
        .execute();
      for (let start = 0; start < table.size; start += insertBatch) {
        const end = Math.min(table.size, start + insertBatch);
        const values = [];
        for (let i = start; i < end; i++) {
          values.push({
            deck_id: id,
            seq: i,
            prefix: table.prefixes[i] as string,
            destination: table.destinations[i] as string,
            rate_micro: (table.rateMicro[i] as bigint).toString(),
            connect_micro: (table.connectMicro[i] as bigint).toString(),
            initial_s: table.initial[i] as number,
            increment_s: table.increment[i] as number,
            effective_ms: table.effectiveMs[i] as number,
          });
        }
        await trx.insertInto('rate_deck_rows').values(values).execute();
        onProgress?.(end);
      }
      const old = await trx
        .selectFrom('rate_decks')
        .select('id')
        .where('owner', '=', owner)
        .executeTakeFirst();
      if (old) {
        await trx.deleteFrom('rate_deck_rows').where('deck_id', '=', old.id).execute();
        await trx.deleteFrom('rate_decks').where('id', '=', old.id).execute();
      }
      await trx.updateTable('rate_decks').set({ owner }).where('id', '=', id).execute();
      // Running processes notice through the configuration revision and reload the deck.
      await trx
        .updateTable('config_revision')
        .set({ revision: sql<number>`revision + 1` })
        .where('id', '=', 1)
        .execute();
    });
    return { ...info, id, rows: table.size, importedAt };
  }

  async loadDeck(owner: RateDeckOwner): Promise<{ info: RateDeckInfo; table: RateTable } | undefined> {
    const deck = await this.store.db
      .selectFrom('rate_decks')
      .selectAll()
      .where('owner', '=', ownerKey(owner))
      .executeTakeFirst();
    if (!deck) return undefined;
    const info = toInfo(deck);
    const table = new RateTable(Math.max(16, info.rows));
    for (let start = 0; start < info.rows; start += readPage) {
      const rows = await this.store.db
        .selectFrom('rate_deck_rows')
        .select([
          'prefix',
          'destination',
          'rate_micro',
          'connect_micro',
          'initial_s',
          'increment_s',
          'effective_ms',
        ])
        .where('deck_id', '=', deck.id)
        .where('seq', '>=', start)
        .where('seq', '<', start + readPage)
        .orderBy('seq')
        .execute();
      for (const row of rows) {
        table.push({
          prefix: row.prefix,
          destination: row.destination,
          rate_micro_per_min: int8ToBigInt(row.rate_micro),
          connect_micro: int8ToBigInt(row.connect_micro),
          initial_s: row.initial_s,
          increment_s: row.increment_s,
          effective_ms: int8ToNumber(row.effective_ms),
        });
      }
    }
    if (table.size !== info.rows)
      throw new Error(`rate deck ${info.id}: expected ${info.rows} rows, read ${table.size}`);
    return { info, table };
  }

  async listDecks(): Promise<RateDeckInfo[]> {
    const rows = await this.store.db
      .selectFrom('rate_decks')
      .selectAll()
      .where('owner', 'not like', '~%')
      .orderBy('owner')
      .execute();
    return rows.map(toInfo);
  }

  async deleteDeck(owner: RateDeckOwner): Promise<boolean> {
    return this.store.db.transaction().execute(async (trx) => {
      const deck = await trx
        .selectFrom('rate_decks')
        .select('id')
        .where('owner', '=', ownerKey(owner))
        .executeTakeFirst();
      if (!deck) return false;
      await trx.deleteFrom('rate_deck_rows').where('deck_id', '=', deck.id).execute();
      await trx.deleteFrom('rate_decks').where('id', '=', deck.id).execute();
      await trx
        .updateTable('config_revision')
        .set({ revision: sql<number>`revision + 1` })
        .where('id', '=', 1)
        .execute();
      return true;
    });
  }
}
