/**
 * Bonds (venture-commune.md §6): a series is sold by uniform-price auction;
 * if it clears, the property it finances is bought and the offered lease
 * starts at once; coupons and principal fall due on schedule, the rent of a
 * property serving its own series first; a missed payment is a reported
 * default, not a crash.
 */

import { runBondAuction } from '../bond-auction.js';
import { couponFor, paymentIn } from '../bond-schedule.js';
import type { CommandOf } from '../commands.js';
import { periodStart } from '../dates.js';
import type { BondPayment, CommuneEvent } from '../events.js';
import { commune, enterpriseAccounts, type HolderRef } from '../ledger/account.js';
import { TransactionBuilder } from '../ledger/transaction.js';
import { limits } from '../limits.js';
import { formatMinor as m, maxMinor, minMinor } from '../money.js';
import { balance, heldPastGrace, key } from '../queries.js';
import type { BondHolding, BondSeries } from '../records.js';
import {
  accept,
  type Context,
  checkWindow,
  type Decision,
  findPerson,
  isRefused,
  refuse,
  requireIncorporated,
  requireVote,
} from './context.js';
import { lastPeriod, termFitsFrequency } from './incorporation.js';

export function issueBonds(cmd: CommandOf<'issue-bonds'>, ctx: Context): Decision {
  const refused =
    requireIncorporated(ctx) ?? requireVote(ctx, 'issue-bonds') ?? checkWindow(ctx, cmd.closes_on);
  if (refused) return refused;
  const { state } = ctx;
  if (state.series.has(cmd.series)) return refuse('DUPLICATE', `bond series "${cmd.series}" already exists`);
  if (!termFitsFrequency(cmd.term_months, cmd.coupon_frequency)) {
    return refuse(
      'INVALID',
      `a ${cmd.term_months}-month term does not fit ${cmd.coupon_frequency} coupons a year`,
    );
  }
  if (
    cmd.per_bidder_cap_bp !== undefined &&
    Math.floor((cmd.quantity * cmd.per_bidder_cap_bp) / 10_000) < 1
  ) {
    return refuse(
      'INVALID',
      `a per-bidder cap of ${cmd.per_bidder_cap_bp} bp leaves no bidder a single bond`,
    );
  }
  const raised = cmd.face_minor * BigInt(cmd.quantity);
  if (raised > limits.amountMinor)
    return refuse('INVALID', `the series would raise ${m(raised)}, over ${m(limits.amountMinor)}`);
  let property: string | null = null;
  if (cmd.request !== undefined) {
    const request = state.requests.get(cmd.request);
    if (!request) return refuse('NOT_FOUND', `no acquisition request "${cmd.request}"`);
    if (request.status !== 'open') return refuse('INVALID', `request ${request.id} is ${request.status}`);
    if (raised < request.price_minor) {
      return refuse(
        'INVALID',
        `the series raises ${m(raised)}; the property requested costs ${m(request.price_minor)}`,
      );
    }
    property = request.property;
  }
  return accept({
    type: 'bond-series-opened',
    date: ctx.date,
    series: cmd.series,
    purpose: cmd.purpose,
    request: cmd.request ?? null,
    property,
    face_minor: cmd.face_minor,
    quantity: cmd.quantity,
    term_months: cmd.term_months,
    coupon_frequency: cmd.coupon_frequency,
    closes_on: cmd.closes_on,
    per_bidder_cap_bp: cmd.per_bidder_cap_bp ?? null,
  });
}

export function bid(cmd: CommandOf<'bid'>, ctx: Context): Decision {
  const series = ctx.state.series.get(cmd.series);
  if (!series) return refuse('NOT_FOUND', `no bond series "${cmd.series}"`);
  if (series.status !== 'auction' || series.closes_on === null || ctx.date > series.closes_on) {
    return refuse('AUCTION_CLOSED', `the auction of ${series.id} is closed`);
  }
  const bidder = findPerson(ctx, cmd.bidder);
  if (isRefused(bidder)) return bidder;
  if (cmd.quantity > series.quantity) return refuse('INVALID', `the series offers ${series.quantity} bonds`);
  if (series.bids.length >= limits.bidsPerAuction)
    return refuse('INVALID', `an auction takes at most ${limits.bidsPerAuction} bids`);
  const seq = ctx.ids.nextNumber('bid');
  return accept({
    type: 'bond-bid-placed',
    date: ctx.date,
    series: series.id,
    bid: `bid#${seq}`,
    bidder: cmd.bidder,
    quantity: cmd.quantity,
    min_yield_bp: cmd.min_yield_bp,
    seq,
  });
}

export function closeAuction(cmd: CommandOf<'close-auction'>, ctx: Context): Decision {
  const { state } = ctx;
  const series = state.series.get(cmd.series);
  if (!series) return refuse('NOT_FOUND', `no bond series "${cmd.series}"`);
  if (series.status !== 'auction' || series.closes_on === null)
    return refuse('AUCTION_CLOSED', `the auction of ${series.id} is closed`);
  if (ctx.date < series.closes_on) return refuse('AUCTION_OPEN', `bids are sealed until ${series.closes_on}`);
  const request = series.request === null ? null : (state.requests.get(series.request) ?? null);
  const result = runBondAuction(
    { quantity: series.quantity, per_bidder_cap_bp: series.per_bidder_cap_bp ?? undefined },
    series.bids,
  );
  const outside = state.meta.value.outside_currency;
  if (!result.cleared) {
    const events: CommuneEvent[] = [
      { type: 'bond-auction-closed', date: ctx.date, series: series.id, result, transactions: [] },
    ];
    if (request) {
      events.push({
        type: 'acquisition-failed',
        date: ctx.date,
        request: request.id,
        reason: `bond series ${series.id} did not clear: ${result.eligible} of ${result.offered} bonds bid`,
      });
    }
    return accept(...events);
  }
  if (request && heldPastGrace(state, request.enterprise, ctx.date).length > 0) {
    return refuse(
      'PROPERTY_HELD_BY_ENTERPRISE',
      `${request.enterprise} holds property past the grace period; it must sell it to the commune before its lease can start`,
    );
  }
  const proceeds = new TransactionBuilder(outside, `proceeds of bond series ${series.id}`);
  const byBidder = new Map<string, number>();
  for (const allotment of result.allotments) {
    if (allotment.allotted > 0)
      byBidder.set(allotment.bidder, (byBidder.get(allotment.bidder) ?? 0) + allotment.allotted);
  }
  for (const [bidder, quantity] of byBidder) {
    proceeds.move(
      commune.earmarked(series.id),
      commune.bonds(series.id, `person:${bidder}`),
      series.face_minor * BigInt(quantity),
    );
  }
  const events: CommuneEvent[] = [
    {
      type: 'bond-auction-closed',
      date: ctx.date,
      series: series.id,
      result,
      transactions: [proceeds.build()],
    },
  ];
  if (request) {
    const raised = series.face_minor * BigInt(series.quantity);
    const released = raised - request.price_minor;
    events.push(
      {
        type: 'property-acquired',
        date: ctx.date,
        property: request.property,
        kind: request.kind,
        description: request.description,
        currency: outside,
        cost_minor: request.price_minor,
        seller: request.seller,
        series: series.id,
        request: request.id,
        released_minor: released,
        transactions: [
          new TransactionBuilder(
            outside,
            `commune buys ${request.description} from ${request.seller} for ${request.enterprise}`,
          )
            .move(commune.property(request.property), commune.earmarked(series.id), request.price_minor)
            .move(commune.cash, commune.earmarked(series.id), released)
            .build(),
        ],
      },
      {
        type: 'lease-started',
        date: ctx.date,
        lease: ctx.ids.next('lease'),
        property: request.property,
        enterprise: request.enterprise,
        rent_minor: request.rent_minor,
        currency: request.currency,
        frequency: request.frequency,
        last_period: lastPeriod(ctx.date, request.term_months),
        source: 'acquisition',
      },
    );
  }
  return accept(...events);
}

interface Owed {
  readonly holding: BondHolding;
  readonly coupon_due: bigint;
  readonly principal_due: bigint;
  readonly total: bigint;
}

/** What each holding of a series is owed in `period`: overdue amounts plus what falls due now. */
function owedFor(ctx: Context, series: BondSeries, period: string): Owed[] {
  const point =
    series.issued_on === null
      ? null
      : paymentIn(series.issued_on, series.term_months, series.coupon_frequency, period);
  const owed: Owed[] = [];
  for (const holder of ctx.state.holders.get(series.id) ?? []) {
    const holding = ctx.state.holdings.get(key(series.id, holder)) as BondHolding;
    const coupon_due = point
      ? couponFor(series.face_minor, holding.quantity, series.coupon_bp ?? 0, series.coupon_frequency)
      : 0n;
    const principal_due = point?.principal ? series.face_minor * BigInt(holding.quantity) : 0n;
    const total =
      holding.coupons_overdue_minor + holding.principal_overdue_minor + coupon_due + principal_due;
    if (total > 0n) owed.push({ holding, coupon_due, principal_due, total });
  }
  return owed;
}

export function runBondSchedule(cmd: CommandOf<'run-bond-schedule'>, ctx: Context): Decision {
  const refused = requireIncorporated(ctx);
  if (refused) return refused;
  const { state } = ctx;
  if (state.bondRuns.has(cmd.period)) return accept();
  for (const run of state.bondRuns.values()) {
    if (run.period > cmd.period)
      return refuse('PERIOD_CLOSED', `the bond schedule already ran for ${run.period}`);
  }
  if (ctx.date < periodStart(cmd.period))
    return refuse('PERIOD_OPEN', `${cmd.period} has not begun on ${ctx.date}`);
  const outside = state.meta.value.outside_currency;

  const owedBySeries = new Map<string, Owed[]>();
  for (const series of state.series.values()) {
    if (series.status !== 'issued') continue;
    const owed = owedFor(ctx, series, cmd.period);
    if (owed.length > 0) owedBySeries.set(series.id, owed);
  }
  const cash = balance(state, commune.cash, outside);
  const reserve = balance(state, commune.reserve, outside);
  let available = maxMinor(cash, 0n) + maxMinor(reserve, 0n);

  // Pass 1: a property's rent serves its own series. Pass 2: the rest, oldest series first.
  const paySeries = new Map<string, bigint>();
  for (const [id, owed] of owedBySeries) {
    const series = state.series.get(id) as BondSeries;
    if (series.property === null) continue;
    const rent = state.rentReceivedByProperty.get(key(cmd.period, outside, series.property)) ?? 0n;
    const need = owed.reduce((sum, o) => sum + o.total, 0n);
    const pay = minMinor(minMinor(need, rent), available);
    paySeries.set(id, pay);
    available -= pay;
  }
  for (const [id, owed] of owedBySeries) {
    const need = owed.reduce((sum, o) => sum + o.total, 0n) - (paySeries.get(id) ?? 0n);
    const pay = minMinor(need, available);
    paySeries.set(id, (paySeries.get(id) ?? 0n) + pay);
    available -= pay;
  }

  const payments: BondPayment[] = [];
  const accrual = new TransactionBuilder(outside, `bond coupons due in ${cmd.period}`);
  const paid = new TransactionBuilder(outside, `bond payments made in ${cmd.period}`);
  let cashLeft = maxMinor(cash, 0n);
  const payFrom = (debit: string, amount: bigint) => {
    const fromCash = minMinor(amount, cashLeft);
    paid.move(debit, commune.cash, fromCash).move(debit, commune.reserve, amount - fromCash);
    cashLeft -= fromCash;
  };
  let due = 0n;
  let totalOwed = 0n;
  let totalPaid = 0n;
  for (const [id, owed] of owedBySeries) {
    const need = owed.reduce((sum, o) => sum + o.total, 0n);
    const pay = paySeries.get(id) ?? 0n;
    // Within a series, a shortfall is shared pro rata; cents left by rounding go to the first holders.
    const shares = owed.map((o) => (pay === need ? o.total : (o.total * pay) / need));
    let leftover = pay - shares.reduce((sum, s) => sum + s, 0n);
    for (let i = 0; i < shares.length && leftover > 0n; i += 1) {
      if (shares[i]! < owed[i]!.total) {
        shares[i] = shares[i]! + 1n;
        leftover -= 1n;
      }
    }
    owed.forEach((o, i) => {
      const amount = shares[i]!;
      const couponOwed = o.holding.coupons_overdue_minor + o.coupon_due;
      const coupon_paid = minMinor(amount, couponOwed);
      const principal_paid = amount - coupon_paid;
      const holder: HolderRef = o.holding.holder;
      payments.push({
        series: id,
        holder,
        coupon_due_minor: o.coupon_due,
        principal_due_minor: o.principal_due,
        coupon_paid_minor: coupon_paid,
        principal_paid_minor: principal_paid,
      });
      accrual.move(commune.interestExpense, commune.couponsPayable(id, holder), o.coupon_due);
      payFrom(commune.couponsPayable(id, holder), coupon_paid);
      payFrom(commune.bonds(id, holder), principal_paid);
      if (holder.startsWith('enterprise:')) {
        const accounts = enterpriseAccounts(holder.slice('enterprise:'.length));
        accrual.move(accounts.couponsReceivable(id), accounts.couponIncome, o.coupon_due);
        paid
          .move(accounts.cash, accounts.couponsReceivable(id), coupon_paid)
          .move(accounts.cash, accounts.bondsHeld(id), principal_paid);
      }
      due += o.coupon_due + o.principal_due;
      totalOwed += o.total;
      totalPaid += amount;
    });
  }
  return accept({
    type: 'bond-schedule-run',
    date: ctx.date,
    period: cmd.period,
    payments,
    due_minor: due,
    paid_minor: totalPaid,
    missed_minor: totalOwed - totalPaid,
    transactions: [accrual.build(), paid.build()].filter((t) => t.lines.length > 0),
  });
}
