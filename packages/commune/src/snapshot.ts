/**
 * A canonical picture of the whole state, and its digest: two states are the
 * same, bit for bit, exactly when their digests are equal (venture-commune.md
 * §11: replay rebuilds the same state and ledger).
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { CommuneState } from './state.js';
import { AppendList, Cell, Table } from './unit-of-work.js';

type Part = Table<unknown> | AppendList<unknown> | Cell<unknown>;

/** The state's tables, lists and cells by name, in canonical (sorted) order. */
function parts(state: CommuneState): [string, Part][] {
  const out: [string, Part][] = [];
  for (const [name, value] of Object.entries(state)) {
    if (value instanceof Table || value instanceof AppendList || value instanceof Cell)
      out.push([name, value]);
  }
  return out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * A table's rows in canonical order: by key, in UTF-16 code units as
 * `canonicalJson` sorts object keys. (Sorting the rows, not the keys, keeps
 * a table of a million rows from being looked up key by key afterwards.)
 */
function sortedRows(table: Table<unknown>): [string, unknown][] {
  return [...table.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function snapshot(state: CommuneState): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of parts(state)) {
    if (value instanceof Table) {
      out[name] = sortedRows(value);
    } else if (value instanceof AppendList) {
      out[name] = value.items();
    } else {
      out[name] = value.value;
    }
  }
  return out;
}

/** Text is hashed in pieces of about this many characters, never as one string of the whole state. */
const pieceLength = 1 << 16;

/**
 * SHA-256 of `canonicalJson(snapshot(state))`, encoded and hashed item by
 * item: a state of millions of records is never held as one string.
 */
export function stateDigest(state: CommuneState): string {
  const hasher = createHash('sha256');
  let piece = '{';
  const add = (text: string) => {
    piece += text;
    if (piece.length >= pieceLength) {
      hasher.update(piece, 'utf8');
      piece = '';
    }
  };
  const item = (value: unknown) => (value === undefined ? 'null' : canonicalJson(value));
  let first = true;
  for (const [name, value] of parts(state)) {
    if (value instanceof Cell && value.value === undefined) continue; // as canonicalJson leaves it out
    add(`${first ? '' : ','}${JSON.stringify(name)}:`);
    first = false;
    if (value instanceof Table) {
      add('[');
      const rows = sortedRows(value);
      for (let i = 0; i < rows.length; i += 1) {
        const [key, row] = rows[i]!;
        add(`${i === 0 ? '' : ','}[${JSON.stringify(key)},${item(row)}]`);
      }
      add(']');
    } else if (value instanceof AppendList) {
      add('[');
      const items = value.items();
      for (let i = 0; i < items.length; i += 1) add(`${i === 0 ? '' : ','}${item(items[i])}`);
      add(']');
    } else {
      add(canonicalJson(value.value));
    }
  }
  hasher.update(`${piece}}`, 'utf8');
  return hasher.digest('hex');
}
