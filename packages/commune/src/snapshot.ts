/**
 * A canonical picture of the whole state, and its digest: two states are the
 * same, bit for bit, exactly when their digests are equal (venture-commune.md
 * §11: replay rebuilds the same state and ledger).
 */
import { canonicalJson } from './canonical-json.js';
import { sha256Hex } from './hash-chain.js';
import type { CommuneState } from './state.js';
import { AppendList, Cell, Table } from './unit-of-work.js';

export function snapshot(state: CommuneState): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(state)) {
    if (value instanceof Table) {
      out[name] = [...value.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    } else if (value instanceof AppendList) {
      out[name] = value.items();
    } else if (value instanceof Cell) {
      out[name] = value.value;
    }
  }
  return out;
}

export function stateDigest(state: CommuneState): string {
  return sha256Hex(canonicalJson(snapshot(state)));
}
