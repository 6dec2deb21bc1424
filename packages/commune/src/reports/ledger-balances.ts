/**
 * Account balances now or as of a date, shared by the ledger reports.
 */
import type { IsoDate } from '../dates.js';
import type { CommuneState } from '../state.js';

export interface AccountBalance {
  readonly currency: string;
  readonly account: string;
  /** Debit positive, credit negative. */
  readonly balance_minor: bigint;
}

/** Balances of every account, from the running totals or, for a date, from the journal up to that date. */
export function accountBalances(state: CommuneState, asOf?: IsoDate, from?: IsoDate): AccountBalance[] {
  const sums = new Map<string, bigint>();
  if (asOf === undefined && from === undefined) {
    for (const [k, amount] of state.balances.entries()) sums.set(k, amount);
  } else {
    for (const entry of state.journal.items()) {
      if (asOf !== undefined && entry.date > asOf) break;
      if (from !== undefined && entry.date < from) continue;
      for (const line of entry.lines) {
        const k = `${entry.currency} ${line.account}`;
        sums.set(k, (sums.get(k) ?? 0n) + line.amount_minor);
      }
    }
  }
  const rows: AccountBalance[] = [];
  for (const [k, balance_minor] of sums) {
    const space = k.indexOf(' ');
    rows.push({ currency: k.slice(0, space), account: k.slice(space + 1), balance_minor });
  }
  return rows.sort((a, b) => (a.currency + a.account < b.currency + b.account ? -1 : 1));
}
