/**
 * The trial balance (venture-commune.md §12): every account with a balance,
 * debits and credits per currency, which must be equal.
 */
import type { IsoDate } from '../dates.js';
import { type AccountKind, accountKind, accountOwner } from '../ledger/account.js';
import type { CommuneState } from '../state.js';
import { accountBalances } from './ledger-balances.js';

export interface TrialBalanceRow {
  readonly account: string;
  readonly owner: string;
  readonly kind: AccountKind;
  readonly debit_minor: bigint;
  readonly credit_minor: bigint;
}

export interface TrialBalance {
  readonly as_of: IsoDate | null;
  readonly currencies: readonly {
    readonly currency: string;
    readonly rows: readonly TrialBalanceRow[];
    readonly total_debit_minor: bigint;
    readonly total_credit_minor: bigint;
    readonly balanced: boolean;
  }[];
}

export function trialBalance(state: CommuneState, asOf?: IsoDate): TrialBalance {
  const byCurrency = new Map<string, TrialBalanceRow[]>();
  for (const { currency, account, balance_minor } of accountBalances(state, asOf)) {
    if (balance_minor === 0n) continue;
    const rows = byCurrency.get(currency) ?? [];
    rows.push({
      account,
      owner: accountOwner(account),
      kind: accountKind(account),
      debit_minor: balance_minor > 0n ? balance_minor : 0n,
      credit_minor: balance_minor < 0n ? -balance_minor : 0n,
    });
    byCurrency.set(currency, rows);
  }
  return {
    as_of: asOf ?? state.meta.value.last_date,
    currencies: [...byCurrency.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([currency, rows]) => {
        const debit = rows.reduce((sum, row) => sum + row.debit_minor, 0n);
        const credit = rows.reduce((sum, row) => sum + row.credit_minor, 0n);
        return {
          currency,
          rows,
          total_debit_minor: debit,
          total_credit_minor: credit,
          balanced: debit === credit,
        };
      }),
  };
}
