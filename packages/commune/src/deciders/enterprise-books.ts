/**
 * An enterprise's own books and its dealings in commune currency
 * (venture-commune.md §4, §5): it keeps its entire product; the commune funds
 * it in its own currency within the cap and buys that currency back at par
 * from its reserve when the bylaws allow.
 */

import type { CommandOf } from '../commands.js';
import { commune, enterpriseAccounts } from '../ledger/account.js';
import { TransactionBuilder } from '../ledger/transaction.js';
import { formatMinor as m } from '../money.js';
import { balance, currencyCap, currencyOutstanding } from '../queries.js';
import {
  accept,
  type Context,
  type Decision,
  findActiveEnterprise,
  findEnterprise,
  isRefused,
  refuse,
  requireCurrency,
  requireIncorporated,
} from './context.js';

export function fundEnterprise(cmd: CommandOf<'fund-enterprise'>, ctx: Context): Decision {
  const refused = requireIncorporated(ctx);
  if (refused) return refused;
  const enterprise = findActiveEnterprise(ctx, cmd.enterprise);
  if (isRefused(enterprise)) return enterprise;
  const { state } = ctx;
  const outstanding = currencyOutstanding(state);
  const cap = currencyCap(state);
  if (outstanding + cmd.amount_minor > cap) {
    return refuse(
      'CURRENCY_CAP_EXCEEDED',
      `issuing ${m(cmd.amount_minor)} would put ${m(outstanding + cmd.amount_minor)} ${state.meta.value.currency} outstanding; the cap (backing ratio x annual rent roll) is ${m(cap)}`,
    );
  }
  const accounts = enterpriseAccounts(cmd.enterprise);
  return accept({
    type: 'enterprise-funded',
    date: ctx.date,
    enterprise: cmd.enterprise,
    amount_minor: cmd.amount_minor,
    transactions: [
      new TransactionBuilder(state.meta.value.currency, `commune invests in ${cmd.enterprise}`)
        .move(commune.investment(cmd.enterprise), commune.currencyOutstanding, cmd.amount_minor)
        .move(accounts.cash, accounts.communeInvestment, cmd.amount_minor)
        .build(),
    ],
  });
}

export function redeemCurrency(cmd: CommandOf<'redeem-currency'>, ctx: Context): Decision {
  const refused = requireIncorporated(ctx);
  if (refused) return refused;
  const { state } = ctx;
  if (!state.bylaws.currency_buyback)
    return refuse('BUYBACK_DISABLED', 'the bylaws do not let the commune buy back its currency');
  const enterprise = findEnterprise(ctx, cmd.enterprise);
  if (isRefused(enterprise)) return enterprise;
  const meta = state.meta.value;
  const accounts = enterpriseAccounts(cmd.enterprise);
  const held = balance(state, accounts.cash, meta.currency);
  if (held < cmd.amount_minor)
    return refuse('INSUFFICIENT_FUNDS', `${cmd.enterprise} holds ${m(held)} ${meta.currency}`);
  const reserve = balance(state, commune.reserve, meta.outside_currency);
  if (reserve < cmd.amount_minor) {
    return refuse(
      'INSUFFICIENT_FUNDS',
      `the reserve holds ${m(reserve)} ${meta.outside_currency}; it cannot buy back ${m(cmd.amount_minor)}`,
    );
  }
  const memo = `commune buys back ${meta.currency} from ${cmd.enterprise} at par`;
  return accept({
    type: 'currency-redeemed',
    date: ctx.date,
    enterprise: cmd.enterprise,
    amount_minor: cmd.amount_minor,
    transactions: [
      new TransactionBuilder(meta.currency, memo)
        .move(commune.currencyOutstanding, commune.exchange, cmd.amount_minor)
        .move(accounts.exchange, accounts.cash, cmd.amount_minor)
        .build(),
      new TransactionBuilder(meta.outside_currency, memo)
        .move(commune.exchange, commune.reserve, cmd.amount_minor)
        .move(accounts.cash, accounts.exchange, cmd.amount_minor)
        .build(),
    ],
  });
}

export function recordEnterpriseRevenue(cmd: CommandOf<'record-enterprise-revenue'>, ctx: Context): Decision {
  const refused = requireCurrency(ctx, cmd.currency);
  if (refused) return refused;
  const enterprise = findEnterprise(ctx, cmd.enterprise);
  if (isRefused(enterprise)) return enterprise;
  const category = cmd.category ?? 'sales';
  const accounts = enterpriseAccounts(cmd.enterprise);
  return accept({
    type: 'enterprise-revenue-recorded',
    date: ctx.date,
    enterprise: cmd.enterprise,
    currency: cmd.currency,
    amount_minor: cmd.amount_minor,
    category,
    note: cmd.note ?? null,
    transactions: [
      new TransactionBuilder(cmd.currency, `${cmd.enterprise} revenue: ${category}`)
        .move(accounts.cash, accounts.revenue(category), cmd.amount_minor)
        .build(),
    ],
  });
}

/** Payees that would route enterprise income to the commune outside rent (§3.2). */
function namesCommune(ctx: Context, payee: string): boolean {
  const normal = payee.trim().toLowerCase();
  const name = ctx.state.meta.value.name?.trim().toLowerCase();
  return normal === 'commune' || normal === 'the commune' || (name !== undefined && normal === name);
}

export function recordEnterpriseExpense(cmd: CommandOf<'record-enterprise-expense'>, ctx: Context): Decision {
  const refused = requireCurrency(ctx, cmd.currency);
  if (refused) return refused;
  const enterprise = findEnterprise(ctx, cmd.enterprise);
  if (isRefused(enterprise)) return enterprise;
  const category = cmd.category ?? 'general';
  if (
    (cmd.payee !== undefined && namesCommune(ctx, cmd.payee)) ||
    category === 'rent' ||
    category === 'commune'
  ) {
    return refuse(
      'COMMUNE_TAKES_NO_INCOME',
      'an enterprise pays the commune nothing out of its income: only rent, against an invoice, with pay-rent',
    );
  }
  const accounts = enterpriseAccounts(cmd.enterprise);
  const cash = balance(ctx.state, accounts.cash, cmd.currency);
  if (cash < cmd.amount_minor) {
    return refuse(
      'INSUFFICIENT_FUNDS',
      `${cmd.enterprise} holds ${m(cash)} ${cmd.currency}; the expense is ${m(cmd.amount_minor)}`,
    );
  }
  return accept({
    type: 'enterprise-expense-recorded',
    date: ctx.date,
    enterprise: cmd.enterprise,
    currency: cmd.currency,
    amount_minor: cmd.amount_minor,
    category,
    payee: cmd.payee ?? null,
    note: cmd.note ?? null,
    transactions: [
      new TransactionBuilder(cmd.currency, `${cmd.enterprise} expense: ${category}`)
        .move(accounts.operating(category), accounts.cash, cmd.amount_minor)
        .build(),
    ],
  });
}
