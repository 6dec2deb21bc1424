/**
 * Balance sheet and income statement (venture-commune.md §12) for the commune
 * or one enterprise, per currency. The income statement shows an enterprise
 * keeping its entire product: its only payment to the commune is rent.
 */
import type { IsoDate } from '../dates.js';
import { type AccountKind, accountKind, accountOwner, isDebitNormal } from '../ledger/account.js';
import type { CommuneState } from '../state.js';
import { accountBalances } from './ledger-balances.js';

export interface StatementLine {
  readonly account: string;
  /** The account name without its owner and kind: `property/pbx-servers`. */
  readonly name: string;
  /** In the account's normal direction: assets positive as debits, liabilities as credits. */
  readonly amount_minor: bigint;
}

export interface Section {
  readonly lines: readonly StatementLine[];
  readonly total_minor: bigint;
}

function section(rows: readonly { account: string; balance_minor: bigint }[], kind: AccountKind): Section {
  const sign = isDebitNormal(kind) ? 1n : -1n;
  const lines = rows
    .filter((row) => accountKind(row.account) === kind && row.balance_minor !== 0n)
    .map((row) => ({
      account: row.account,
      name: row.account.split('/').slice(2).join('/'),
      amount_minor: row.balance_minor * sign,
    }));
  return { lines, total_minor: lines.reduce((sum, line) => sum + line.amount_minor, 0n) };
}

export interface BalanceSheet {
  readonly owner: string;
  readonly as_of: IsoDate | null;
  readonly currencies: readonly {
    readonly currency: string;
    readonly assets: Section;
    readonly liabilities: Section;
    readonly equity: Section;
    /** Income less expenses not yet closed: part of equity. */
    readonly current_result_minor: bigint;
    readonly total_liabilities_and_equity_minor: bigint;
    readonly balanced: boolean;
  }[];
}

function byCurrency(state: CommuneState, owner: string, asOf?: IsoDate, from?: IsoDate) {
  const groups = new Map<string, { account: string; balance_minor: bigint }[]>();
  for (const row of accountBalances(state, asOf, from)) {
    if (accountOwner(row.account) !== owner) continue;
    const rows = groups.get(row.currency) ?? [];
    rows.push(row);
    groups.set(row.currency, rows);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
}

export function balanceSheet(state: CommuneState, owner: string, asOf?: IsoDate): BalanceSheet {
  return {
    owner,
    as_of: asOf ?? state.meta.value.last_date,
    currencies: byCurrency(state, owner, asOf).map(([currency, rows]) => {
      const assets = section(rows, 'asset');
      const liabilities = section(rows, 'liability');
      const equity = section(rows, 'equity');
      const result = section(rows, 'income').total_minor - section(rows, 'expense').total_minor;
      const total = liabilities.total_minor + equity.total_minor + result;
      return {
        currency,
        assets,
        liabilities,
        equity,
        current_result_minor: result,
        total_liabilities_and_equity_minor: total,
        balanced: total === assets.total_minor,
      };
    }),
  };
}

export interface IncomeStatement {
  readonly owner: string;
  readonly from: IsoDate | null;
  readonly to: IsoDate | null;
  readonly currencies: readonly {
    readonly currency: string;
    readonly income: Section;
    readonly expenses: Section;
    readonly net_minor: bigint;
  }[];
}

export function incomeStatement(
  state: CommuneState,
  owner: string,
  from?: IsoDate,
  to?: IsoDate,
): IncomeStatement {
  return {
    owner,
    from: from ?? null,
    to: to ?? state.meta.value.last_date,
    currencies: byCurrency(state, owner, to, from)
      .map(([currency, rows]) => {
        const income = section(rows, 'income');
        const expenses = section(rows, 'expense');
        return { currency, income, expenses, net_minor: income.total_minor - expenses.total_minor };
      })
      .filter((c) => c.income.lines.length > 0 || c.expenses.lines.length > 0),
  };
}
