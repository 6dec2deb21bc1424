/**
 * Property (venture-commune.md §3.2, §5): enterprises may hold property only
 * within the grace period; the commune acquires it on an enterprise's request
 * (financed by bonds), by purchase, or by sale-leaseback, and liquidates only
 * by vote.
 */

import type { CommandOf } from '../commands.js';
import type { CommuneEvent } from '../events.js';
import { commune, enterpriseAccounts } from '../ledger/account.js';
import { type Transaction, TransactionBuilder } from '../ledger/transaction.js';
import { basisPointsOf, formatMinor as m, minMinor } from '../money.js';
import { annualRent, balance, currencyOutstanding } from '../queries.js';
import type { Property } from '../records.js';
import {
  accept,
  type Context,
  type Decision,
  findActiveEnterprise,
  findEnterprise,
  isRefused,
  type Refused,
  refuse,
  requireCurrency,
  requireIncorporated,
  requireVote,
} from './context.js';
import { lastPeriod, termFitsFrequency } from './incorporation.js';

function findProperty(ctx: Context, id: string): Property | Refused {
  return ctx.state.properties.get(id) ?? refuse('NOT_FOUND', `no property "${id}"`);
}

/** Commune property that is not leased, not on auction and not sold off. */
export function findVacantCommuneProperty(ctx: Context, id: string): Property | Refused {
  const property = findProperty(ctx, id);
  if (isRefused(property)) return property;
  if (!('commune' in property.owner))
    return refuse('NOT_OWNER', `${id} belongs to ${property.owner.enterprise}, not the commune`);
  if (property.status === 'liquidated') return refuse('INVALID', `${id} was liquidated`);
  if (property.status === 'leased') return refuse('PROPERTY_LEASED', `${id} is leased; end the lease first`);
  if (ctx.state.rentAuctions.get(id)?.status === 'open')
    return refuse('PROPERTY_LEASED', `${id} is being re-let by auction`);
  return property;
}

export function registerProperty(cmd: CommandOf<'register-property'>, ctx: Context): Decision {
  const { state } = ctx;
  const enterprise = findEnterprise(ctx, cmd.enterprise);
  if (isRefused(enterprise)) return enterprise;
  if (state.properties.has(cmd.property))
    return refuse('DUPLICATE', `property "${cmd.property}" already exists`);
  const book = cmd.book_value_minor ?? cmd.cost_minor;
  if (book > cmd.cost_minor) return refuse('INVALID', 'book value cannot exceed acquisition cost');
  const currency = state.meta.value.outside_currency;
  const accounts = enterpriseAccounts(cmd.enterprise);
  const cash = balance(state, accounts.cash, currency);
  if (cash < cmd.cost_minor) {
    return refuse(
      'INSUFFICIENT_FUNDS',
      `${cmd.enterprise} has ${m(cash)} in cash; ${cmd.property} costs ${m(cmd.cost_minor)}`,
    );
  }
  const transaction = new TransactionBuilder(currency, `${cmd.enterprise} buys ${cmd.description}`)
    .move(accounts.property(cmd.property), accounts.cash, cmd.cost_minor)
    .move(accounts.depreciation, accounts.property(cmd.property), cmd.cost_minor - book)
    .build();
  return accept({
    type: 'property-registered',
    date: ctx.date,
    property: cmd.property,
    enterprise: cmd.enterprise,
    kind: cmd.kind,
    description: cmd.description,
    currency,
    cost_minor: cmd.cost_minor,
    book_value_minor: book,
    held_since: state.meta.value.phase === 'incorporated' ? ctx.date : null,
    transactions: [transaction],
  });
}

export function requestAcquisition(cmd: CommandOf<'request-acquisition'>, ctx: Context): Decision {
  const refused = requireIncorporated(ctx) ?? requireCurrency(ctx, cmd.lease.currency);
  if (refused) return refused;
  const enterprise = findActiveEnterprise(ctx, cmd.enterprise);
  if (isRefused(enterprise)) return enterprise;
  if (ctx.state.requests.has(cmd.request))
    return refuse('DUPLICATE', `request "${cmd.request}" already exists`);
  if (ctx.state.properties.has(cmd.property))
    return refuse('DUPLICATE', `property "${cmd.property}" already exists`);
  for (const request of ctx.state.requests.values()) {
    if (request.property === cmd.property && request.status !== 'failed') {
      return refuse('DUPLICATE', `request "${request.id}" already asks for property "${cmd.property}"`);
    }
  }
  return accept({
    type: 'acquisition-requested',
    date: ctx.date,
    request: cmd.request,
    enterprise: cmd.enterprise,
    property: cmd.property,
    kind: cmd.kind,
    description: cmd.description,
    price_minor: cmd.price_minor,
    seller: cmd.seller,
    rent_minor: cmd.lease.rent_minor,
    currency: cmd.lease.currency,
    frequency: cmd.lease.frequency ?? 'monthly',
    term_months: cmd.lease.term_months ?? null,
  });
}

export function acquireProperty(cmd: CommandOf<'acquire-property'>, ctx: Context): Decision {
  const refused = requireIncorporated(ctx) ?? requireVote(ctx, 'acquire-property');
  if (refused) return refused;
  const { state } = ctx;
  if (state.properties.has(cmd.property))
    return refuse('DUPLICATE', `property "${cmd.property}" already exists`);
  const currency = state.meta.value.outside_currency;
  let source: string;
  let series: string | null = null;
  if (cmd.paid_from === 'series') {
    if (cmd.series === undefined) return refuse('INVALID', 'paid_from "series" needs a series');
    const found = state.series.get(cmd.series);
    if (!found) return refuse('NOT_FOUND', `no bond series "${cmd.series}"`);
    if (found.status !== 'issued' || found.request !== null) {
      return refuse('INVALID', `series ${cmd.series} has no proceeds free for this purchase`);
    }
    source = commune.earmarked(found.id);
    series = found.id;
    if (found.earmarked_minor < cmd.cost_minor) {
      return refuse(
        'INSUFFICIENT_FUNDS',
        `series ${found.id} has ${m(found.earmarked_minor)} earmarked; the property costs ${m(cmd.cost_minor)}`,
      );
    }
  } else {
    source = cmd.paid_from === 'treasury' ? commune.cash : commune.reserve;
    const available = balance(state, source, currency);
    if (available < cmd.cost_minor) {
      return refuse(
        'INSUFFICIENT_FUNDS',
        `the ${cmd.paid_from} holds ${m(available)}; the property costs ${m(cmd.cost_minor)}`,
      );
    }
  }
  return accept({
    type: 'property-acquired',
    date: ctx.date,
    property: cmd.property,
    kind: cmd.kind,
    description: cmd.description,
    currency,
    cost_minor: cmd.cost_minor,
    seller: cmd.seller,
    series,
    request: null,
    released_minor: 0n,
    transactions: [
      new TransactionBuilder(currency, `commune buys ${cmd.description} from ${cmd.seller}`)
        .move(commune.property(cmd.property), source, cmd.cost_minor)
        .build(),
    ],
  });
}

export function sellPropertyToCommune(cmd: CommandOf<'sell-property-to-commune'>, ctx: Context): Decision {
  const refused = requireIncorporated(ctx) ?? requireCurrency(ctx, cmd.lease.currency);
  if (refused) return refused;
  const { state } = ctx;
  const property = findProperty(ctx, cmd.property);
  if (isRefused(property)) return property;
  if (!('enterprise' in property.owner))
    return refuse('NOT_OWNER', `${cmd.property} already belongs to the commune`);
  const seller = property.owner.enterprise;
  const enterprise = findEnterprise(ctx, seller);
  if (isRefused(enterprise)) return enterprise;
  const price = cmd.price_minor ?? property.book_value_minor;
  const meta = state.meta.value;
  const outside = meta.outside_currency;
  const accounts = enterpriseAccounts(seller);
  const memo = `${seller} sells ${property.id} to the commune and leases it back`;
  const events: CommuneEvent[] = [];
  const transactions: Transaction[] = [];
  let series: string | null = null;

  // The enterprise gives up the property at book value; a price above or below it is its gain or loss.
  const disposal = new TransactionBuilder(outside, memo);
  const gain = price - property.book_value_minor;

  if (cmd.payment === 'outside') {
    const cash = balance(state, commune.cash, outside);
    if (cash < price)
      return refuse('INSUFFICIENT_FUNDS', `the treasury holds ${m(cash)}; the price is ${m(price)}`);
    disposal
      .move(commune.property(property.id), commune.cash, price)
      .move(accounts.cash, accounts.property(property.id), price);
  } else if (cmd.payment === 'currency') {
    const leaseAnnual = annualRent({
      rent_minor: cmd.lease.rent_minor,
      frequency: cmd.lease.frequency ?? 'monthly',
    });
    const cap = basisPointsOf(state.rentRollAnnual.value + leaseAnnual, state.bylaws.rent_backing_ratio_bp);
    const outstanding = currencyOutstanding(state);
    if (outstanding + price > cap) {
      return refuse(
        'CURRENCY_CAP_EXCEEDED',
        `paying ${m(price)} in ${meta.currency} would put ${m(outstanding + price)} outstanding, over the cap of ${m(cap)}`,
      );
    }
    disposal
      .move(commune.property(property.id), commune.exchange, price)
      .move(accounts.exchange, accounts.property(property.id), price);
    transactions.push(
      new TransactionBuilder(meta.currency, memo)
        .move(commune.exchange, commune.currencyOutstanding, price)
        .move(accounts.cash, accounts.exchange, price)
        .build(),
    );
  } else {
    const terms = cmd.bonds;
    if (terms === undefined)
      return refuse(
        'INVALID',
        'payment in bonds needs bonds: { series, coupon_bp, term_months, coupon_frequency }',
      );
    if (state.series.has(terms.series))
      return refuse('DUPLICATE', `bond series "${terms.series}" already exists`);
    if (!termFitsFrequency(terms.term_months, terms.coupon_frequency)) {
      return refuse(
        'INVALID',
        `a ${terms.term_months}-month term does not fit ${terms.coupon_frequency} coupons a year`,
      );
    }
    series = terms.series;
    const holder = `enterprise:${seller}` as const;
    events.push({
      type: 'bonds-issued-directly',
      date: ctx.date,
      series,
      purpose: `purchase of ${property.description} from ${seller}`,
      property: property.id,
      holder,
      face_minor: price,
      quantity: 1,
      coupon_bp: terms.coupon_bp,
      term_months: terms.term_months,
      coupon_frequency: terms.coupon_frequency,
    });
    disposal
      .move(commune.property(property.id), commune.bonds(series, holder), price)
      .move(accounts.bondsHeld(series), accounts.property(property.id), price);
  }
  if (gain > 0n) disposal.move(accounts.property(property.id), accounts.gainOnSale, gain);
  if (gain < 0n) disposal.move(accounts.lossOnSale, accounts.property(property.id), -gain);
  transactions.unshift(disposal.build());

  events.push(
    {
      type: 'property-transferred',
      date: ctx.date,
      property: property.id,
      enterprise: seller,
      price_minor: price,
      payment: cmd.payment,
      series,
      transactions,
    },
    {
      type: 'lease-started',
      date: ctx.date,
      lease: ctx.ids.next('lease'),
      property: property.id,
      enterprise: seller,
      rent_minor: cmd.lease.rent_minor,
      currency: cmd.lease.currency,
      frequency: cmd.lease.frequency ?? 'monthly',
      last_period: lastPeriod(ctx.date, cmd.lease.term_months),
      source: 'leaseback',
    },
  );
  return accept(...events);
}

export function liquidateProperty(cmd: CommandOf<'liquidate-property'>, ctx: Context): Decision {
  const refused = requireIncorporated(ctx) ?? requireVote(ctx, 'liquidate-property');
  if (refused) return refused;
  const property = findVacantCommuneProperty(ctx, cmd.property);
  if (isRefused(property)) return property;
  const currency = ctx.state.meta.value.outside_currency;
  const book = property.book_value_minor;
  const transaction = new TransactionBuilder(currency, `${property.id} sold to ${cmd.buyer}`)
    .move(commune.cash, commune.property(property.id), minMinor(cmd.proceeds_minor, book))
    .move(
      commune.revaluation,
      commune.property(property.id),
      book > cmd.proceeds_minor ? book - cmd.proceeds_minor : 0n,
    )
    .move(commune.cash, commune.revaluation, cmd.proceeds_minor > book ? cmd.proceeds_minor - book : 0n)
    .build();
  return accept({
    type: 'property-liquidated',
    date: ctx.date,
    property: property.id,
    buyer: cmd.buyer,
    proceeds_minor: cmd.proceeds_minor,
    transactions: transaction.lines.length > 0 ? [transaction] : [],
  });
}
