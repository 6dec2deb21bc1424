/**
 * Rent (venture-commune.md §5): one invoice per active lease per period, raised
 * idempotently; payments settle the oldest invoices first; a lease whose rent
 * stays unpaid past the bylaw limit defaults and its property comes back.
 * Rent is the commune's only income (§3.2), and commune currency paid as rent
 * is retired (§4).
 */

import type { CommandOf } from '../commands.js';
import { monthIndex, periodOf, periodStart } from '../dates.js';
import type { CommuneEvent, RentAllocation } from '../events.js';
import { commune, enterpriseAccounts } from '../ledger/account.js';
import { TransactionBuilder } from '../ledger/transaction.js';
import { formatMinor as m, minMinor } from '../money.js';
import { balance, frequencyMonths, key } from '../queries.js';
import type { Lease, RentInvoice } from '../records.js';
import {
  accept,
  type Context,
  type Decision,
  findEnterprise,
  isRefused,
  refuse,
  requireCurrency,
  requireIncorporated,
} from './context.js';

export function invoiceId(lease: string, period: string): string {
  return `${lease}@${period}`;
}

function dueIn(lease: Lease, period: string): boolean {
  const months = monthIndex(period) - monthIndex(periodOf(lease.start));
  return months >= 0 && months % frequencyMonths(lease.frequency) === 0;
}

export function runRentCycle(cmd: CommandOf<'run-rent-cycle'>, ctx: Context): Decision {
  const refused = requireIncorporated(ctx);
  if (refused) return refused;
  const { state } = ctx;
  if (cmd.period > periodOf(ctx.date)) {
    return refuse(
      'PERIOD_OPEN',
      `${cmd.period} has not begun on ${ctx.date}; rent is raised once its period starts`,
    );
  }
  const limit = state.bylaws.default_after_periods;
  const events: CommuneEvent[] = [];
  for (const propertyId of [...state.activeLease.keys()].sort()) {
    const lease = state.leases.get(state.activeLease.get(propertyId) as string) as Lease;
    if (lease.last_period !== null && cmd.period > lease.last_period) {
      events.push({
        type: 'lease-ended',
        date: ctx.date,
        lease: lease.id,
        property: lease.property,
        reason: 'expired',
      });
      continue;
    }
    const overdue = (state.openInvoices.get(key(lease.enterprise, lease.currency)) ?? [])
      .map((id) => state.invoices.get(id) as RentInvoice)
      .find(
        (invoice) =>
          invoice.lease === lease.id && monthIndex(cmd.period) - monthIndex(invoice.period) >= limit,
      );
    if (overdue) {
      events.push({
        type: 'lease-ended',
        date: ctx.date,
        lease: lease.id,
        property: lease.property,
        reason: 'default',
      });
      continue;
    }
    const invoice = invoiceId(lease.id, cmd.period);
    if (!dueIn(lease, cmd.period) || state.invoices.has(invoice)) continue;
    const accounts = enterpriseAccounts(lease.enterprise);
    events.push({
      type: 'rent-invoiced',
      date: ctx.date,
      invoice,
      lease: lease.id,
      property: lease.property,
      enterprise: lease.enterprise,
      period: cmd.period,
      currency: lease.currency,
      amount_minor: lease.rent_minor,
      due_on: periodStart(cmd.period),
      transactions: [
        new TransactionBuilder(lease.currency, `rent for ${lease.property}, ${cmd.period}`)
          .move(commune.rentReceivable(lease.enterprise), commune.rentIncome, lease.rent_minor)
          .move(accounts.rentExpense, accounts.rentPayable, lease.rent_minor)
          .build(),
      ],
    });
  }
  return accept(...events);
}

/** Open invoices of an enterprise in a currency, oldest period first. */
export function openInvoicesOf(ctx: Context, enterprise: string, currency: string): RentInvoice[] {
  return (ctx.state.openInvoices.get(key(enterprise, currency)) ?? [])
    .map((id) => ctx.state.invoices.get(id) as RentInvoice)
    .sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : a.id < b.id ? -1 : 1));
}

export function payRent(cmd: CommandOf<'pay-rent'>, ctx: Context): Decision {
  const refused = requireIncorporated(ctx) ?? requireCurrency(ctx, cmd.currency);
  if (refused) return refused;
  const enterprise = findEnterprise(ctx, cmd.enterprise);
  if (isRefused(enterprise)) return enterprise;
  const { state } = ctx;
  const open = openInvoicesOf(ctx, cmd.enterprise, cmd.currency);
  const owed = open.reduce((sum, invoice) => sum + invoice.amount_minor - invoice.paid_minor, 0n);
  if (owed === 0n) {
    return refuse(
      'COMMUNE_TAKES_NO_INCOME',
      `${cmd.enterprise} owes no ${cmd.currency} rent: the commune takes no part of an enterprise's income, only rent against an invoice`,
    );
  }
  if (cmd.amount_minor > owed) {
    return refuse(
      'COMMUNE_TAKES_NO_INCOME',
      `${cmd.enterprise} owes ${m(owed)} ${cmd.currency} in rent; the commune takes nothing beyond rent invoiced`,
    );
  }
  const accounts = enterpriseAccounts(cmd.enterprise);
  const cash = balance(state, accounts.cash, cmd.currency);
  if (cash < cmd.amount_minor) {
    return refuse(
      'INSUFFICIENT_FUNDS',
      `${cmd.enterprise} holds ${m(cash)} ${cmd.currency}; it pays ${m(cmd.amount_minor)}`,
    );
  }
  const allocations: RentAllocation[] = [];
  let left = cmd.amount_minor;
  for (const invoice of open) {
    if (left === 0n) break;
    const due = invoice.amount_minor - invoice.paid_minor;
    const amount = minMinor(due, left);
    allocations.push({ invoice: invoice.id, property: invoice.property, amount_minor: amount });
    left -= amount;
  }
  const retires = cmd.currency === state.meta.value.currency;
  const transaction = new TransactionBuilder(cmd.currency, `rent paid by ${cmd.enterprise}`)
    .move(
      retires ? commune.currencyOutstanding : commune.cash,
      commune.rentReceivable(cmd.enterprise),
      cmd.amount_minor,
    )
    .move(accounts.rentPayable, accounts.cash, cmd.amount_minor)
    .build();
  return accept({
    type: 'rent-paid',
    date: ctx.date,
    enterprise: cmd.enterprise,
    currency: cmd.currency,
    amount_minor: cmd.amount_minor,
    allocations,
    transactions: [transaction],
  });
}
