/**
 * Commune currency against its cap (venture-commune.md §4, §12): outstanding
 * = issued − retired; cap = backing ratio × annual rent roll.
 */
import { commune } from '../ledger/account.js';
import { currencyCap, currencyOutstanding } from '../queries.js';
import type { CommuneState } from '../state.js';

export interface CurrencyReport {
  readonly currency: string;
  readonly outside_currency: string;
  readonly issued_minor: bigint;
  readonly retired_minor: bigint;
  readonly outstanding_minor: bigint;
  readonly annual_rent_roll_minor: bigint;
  readonly backing_ratio_bp: number;
  readonly cap_minor: bigint;
  readonly headroom_minor: bigint;
  /** True when the rent roll shrank below what is already outstanding: no issuance until it recovers. */
  readonly over_cap: boolean;
  readonly buyback: boolean;
  readonly reserve_minor: bigint;
}

export function currencyReport(state: CommuneState): CurrencyReport {
  const meta = state.meta.value;
  let issued = 0n;
  let retired = 0n;
  for (const entry of state.journal.items()) {
    if (entry.currency !== meta.currency) continue;
    for (const line of entry.lines) {
      if (line.account !== commune.currencyOutstanding) continue;
      if (line.amount_minor < 0n) issued -= line.amount_minor;
      else retired += line.amount_minor;
    }
  }
  const outstanding = currencyOutstanding(state);
  const cap = currencyCap(state);
  return {
    currency: meta.currency,
    outside_currency: meta.outside_currency,
    issued_minor: issued,
    retired_minor: retired,
    outstanding_minor: outstanding,
    annual_rent_roll_minor: state.rentRollAnnual.value,
    backing_ratio_bp: state.bylaws.rent_backing_ratio_bp,
    cap_minor: cap,
    headroom_minor: cap - outstanding,
    over_cap: outstanding > cap,
    buyback: state.bylaws.currency_buyback,
    reserve_minor: state.balances.get(`${meta.outside_currency} ${commune.reserve}`) ?? 0n,
  };
}
