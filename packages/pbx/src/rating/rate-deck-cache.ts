import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { RateDecks } from '../carriers/least-cost-routing.js';
import {
  ownerKey,
  type RateDeckInfo,
  type RateDeckOwner,
  type RateDeckRepository,
} from './billing-repository.js';
import { parseRateDeck, type RateDeckError, type RateDeckParseOptions } from './rate-deck-csv.js';
import { RateIndex } from './rate-index.js';

export type RateDeckImport =
  | { readonly ok: true; readonly info: RateDeckInfo; readonly parse_ms: number; readonly write_ms: number }
  | { readonly ok: false; readonly errors: readonly RateDeckError[]; readonly truncated: boolean };

export interface RateDeckImportOptions {
  readonly currency: string;
  /** The file name or upload name, kept with the deck. */
  readonly source: string;
  readonly limits?: RateDeckParseOptions['limits'];
  readonly onParseProgress?: (rows: number, bytes: number) => void;
  readonly onWriteProgress?: (rows: number) => void;
}

/**
 * Every rate deck's longest-prefix index in memory, loaded from the store
 * and swapped whole on import, so LCR and rating read without touching the
 * database and never see half a deck.
 */
export class RateDeckCache {
  private readonly decks = new Map<string, { info: RateDeckInfo; index: RateIndex }>();

  constructor(private readonly repository: RateDeckRepository) {}

  /** Loads every stored deck (or reloads those whose stored version changed); returns how many were (re)loaded. */
  async refresh(): Promise<number> {
    const stored = await this.repository.listDecks();
    const wanted = new Set(stored.map((info) => ownerKey(info.owner)));
    for (const key of [...this.decks.keys()]) if (!wanted.has(key)) this.decks.delete(key);
    let loaded = 0;
    for (const info of stored) {
      const key = ownerKey(info.owner);
      if (this.decks.get(key)?.info.id === info.id) continue;
      const deck = await this.repository.loadDeck(info.owner);
      if (!deck) continue;
      this.decks.set(key, { info: deck.info, index: RateIndex.build(deck.table) });
      loaded++;
    }
    return loaded;
  }

  get(owner: RateDeckOwner): RateIndex | undefined {
    return this.decks.get(ownerKey(owner))?.index;
  }

  info(owner: RateDeckOwner): RateDeckInfo | undefined {
    return this.decks.get(ownerKey(owner))?.info;
  }

  list(): RateDeckInfo[] {
    return [...this.decks.values()]
      .map((d) => d.info)
      .sort((a, b) => (ownerKey(a.owner) < ownerKey(b.owner) ? -1 : 1));
  }

  /** Carrier decks by carrier id, for least-cost routing. */
  readonly carrierDecks: RateDecks = (carrierId) => this.get({ kind: 'carrier', id: carrierId });

  /**
   * Imports a CSV deck: parses and validates all of it, then replaces the
   * stored deck in one transaction, then swaps the in-memory index. Any
   * error leaves the previous deck in force, in the store and here.
   */
  async importCsv(
    owner: RateDeckOwner,
    source: Readable | AsyncIterable<string | Buffer> | string,
    options: RateDeckImportOptions,
  ): Promise<RateDeckImport> {
    const hash = createHash('sha256');
    async function* hashed(input: AsyncIterable<string | Buffer> | Iterable<string>) {
      for await (const chunk of input) {
        hash.update(chunk);
        yield chunk;
      }
    }
    const started = performance.now();
    const parsed = await parseRateDeck(typeof source === 'string' ? hashed([source]) : hashed(source), {
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.onParseProgress ? { onProgress: options.onParseProgress } : {}),
    });
    if (!parsed.ok) return parsed;
    const parsedAt = performance.now();
    const info = await this.repository.replaceDeck(
      {
        owner,
        currency: options.currency,
        sha256: hash.digest('hex'),
        source: options.source,
        importedAt: '',
      },
      parsed.table,
      options.onWriteProgress,
    );
    this.decks.set(ownerKey(owner), { info, index: parsed.index });
    return { ok: true, info, parse_ms: parsedAt - started, write_ms: performance.now() - parsedAt };
  }

  async delete(owner: RateDeckOwner): Promise<boolean> {
    const deleted = await this.repository.deleteDeck(owner);
    this.decks.delete(ownerKey(owner));
    return deleted;
  }
}
