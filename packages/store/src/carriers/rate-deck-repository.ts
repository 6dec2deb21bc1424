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
import type { Store } from '../open-store.js';
import { decodeRateChunk, encodeRateChunk } from './rate-deck-codec.js';
import type { RateDecksTable } from './schema-carriers.js';

/** Rows per stored chunk: about 4 MB of binary each. */
const chunkRows = 100_000;

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
      for (let start = 0, seq = 0; start < table.size; start += chunkRows, seq++) {
        const end = Math.min(table.size, start + chunkRows);
        await trx
          .insertInto('rate_deck_chunks')
          .values({ deck_id: id, seq, row_count: end - start, data: encodeRateChunk(table, start, end) })
          .execute();
        onProgress?.(end);
      }
      const old = await trx
        .selectFrom('rate_decks')
        .select('id')
        .where('owner', '=', owner)
        .executeTakeFirst();
      if (old) {
        await trx.deleteFrom('rate_deck_chunks').where('deck_id', '=', old.id).execute();
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
    const chunks = await this.store.db
      .selectFrom('rate_deck_chunks')
      .select(['seq', 'row_count'])
      .where('deck_id', '=', deck.id)
      .orderBy('seq')
      .execute();
    // One chunk in memory at a time besides the table being built.
    for (const chunk of chunks) {
      const row = await this.store.db
        .selectFrom('rate_deck_chunks')
        .select('data')
        .where('deck_id', '=', deck.id)
        .where('seq', '=', chunk.seq)
        .executeTakeFirstOrThrow();
      if (decodeRateChunk(row.data, table) !== chunk.row_count) {
        throw new Error(`rate deck ${info.id}: chunk ${chunk.seq} has the wrong row count`);
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
      await trx.deleteFrom('rate_deck_chunks').where('deck_id', '=', deck.id).execute();
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
