/**
 * Incorporation and bylaws (venture-commune.md §9, §10). Before there is
 * property to rent there is no commune; at incorporation the commune buys the
 * co-operatives' property with bonds at book value and leases it back.
 */

import { monthsBetweenCoupons } from '../bond-schedule.js';
import { type Bylaws, toCentihours } from '../bylaws.js';
import type { BylawsPatch, CommandOf } from '../commands.js';
import { addMonths, periodOf } from '../dates.js';
import type { CommuneEvent } from '../events.js';
import { commune, enterpriseAccounts } from '../ledger/account.js';
import { TransactionBuilder } from '../ledger/transaction.js';
import { basisPointsOf, formatMinor as m } from '../money.js';
import { currencyOutstanding, employersOf, labourCentihours } from '../queries.js';
import type { Property } from '../records.js';
import {
  accept,
  type Context,
  type Decision,
  refuse,
  requireCoop,
  requireIncorporated,
  requireVote,
} from './context.js';
import { admission } from './membership.js';

export function mergeBylaws(current: Bylaws, patch: BylawsPatch): Bylaws {
  const merged: Record<string, unknown> = { ...current };
  for (const [field, value] of Object.entries(patch)) if (value !== undefined) merged[field] = value;
  const bylaws = merged as unknown as Bylaws;
  return { ...bylaws, votes_required_for: [...new Set(bylaws.votes_required_for)].sort() };
}

export function termFitsFrequency(term_months: number, coupon_frequency: number): boolean {
  return term_months % monthsBetweenCoupons(coupon_frequency) === 0;
}

export function lastPeriod(start: string, term_months: number | undefined | null): string | null {
  return term_months === undefined || term_months === null
    ? null
    : addMonths(periodOf(start), term_months - 1);
}

export function incorporate(cmd: CommandOf<'incorporate'>, ctx: Context): Decision {
  const refused = requireCoop(ctx);
  if (refused) return refused;
  const { state } = ctx;
  const meta = state.meta.value;
  const currency = cmd.currency ?? meta.currency;
  const outside = cmd.outside_currency ?? meta.outside_currency;
  if (currency === outside)
    return refuse('INVALID', `the commune's currency must differ from the outside currency ${outside}`);
  const bylaws = mergeBylaws(meta.bylaws, cmd.bylaws ?? {});
  const bonds = cmd.founding_bonds;
  if (!termFitsFrequency(bonds.term_months, bonds.coupon_frequency)) {
    return refuse(
      'INVALID',
      `a ${bonds.term_months}-month term does not fit ${bonds.coupon_frequency} coupons a year`,
    );
  }

  const coops = [...state.enterprises.values()].filter((e) => e.status === 'co-op');
  if (coops.length === 0) return refuse('INVALID', 'there is no co-operative to found the commune');
  const coopIds = new Set(coops.map((e) => e.id));
  const property: Property[] = [...state.properties.values()].filter(
    (p) => 'enterprise' in p.owner && coopIds.has(p.owner.enterprise) && p.status === 'held',
  );
  if (property.length === 0) {
    return refuse(
      'INVALID',
      'before there is property to rent there need be no commune: the co-operatives hold no property yet',
    );
  }

  const leasebacks = new Map<string, (typeof cmd.leasebacks)[number]>();
  for (const leaseback of cmd.leasebacks) {
    if (leasebacks.has(leaseback.property))
      return refuse('DUPLICATE', `two leasebacks for ${leaseback.property}`);
    if (!property.some((p) => p.id === leaseback.property)) {
      return refuse('NOT_FOUND', `${leaseback.property} is not property of a founding co-operative`);
    }
    if (leaseback.currency !== currency && leaseback.currency !== outside) {
      return refuse(
        'INVALID',
        `leaseback of ${leaseback.property}: currency ${leaseback.currency} is neither ${outside} nor ${currency}`,
      );
    }
    leasebacks.set(leaseback.property, leaseback);
  }

  const threshold = toCentihours(bylaws.labour_threshold_hours);
  const founders = [...state.persons.keys()]
    .filter((person) => employersOf(state, person).some((e) => coopIds.has(e)))
    .filter((person) => labourCentihours(state, person) >= threshold)
    .sort();
  if (founders.length === 0) {
    return refuse(
      'INSUFFICIENT_LABOUR',
      `no worker of the co-operatives has recorded the ${bylaws.labour_threshold_hours} hours the bylaws require`,
    );
  }

  const events: CommuneEvent[] = [
    {
      type: 'commune-incorporated',
      date: ctx.date,
      name: cmd.name,
      currency,
      outside_currency: outside,
      bylaws,
    },
  ];
  for (const coop of coops)
    events.push({ type: 'enterprise-joined-commune', date: ctx.date, enterprise: coop.id });
  for (const p of property) {
    const enterprise = (p.owner as { enterprise: string }).enterprise;
    const series = `founding#${p.id}`;
    const accounts = enterpriseAccounts(enterprise);
    const holder = `enterprise:${enterprise}` as const;
    if (p.book_value_minor > 0n) {
      events.push({
        type: 'bonds-issued-directly',
        date: ctx.date,
        series,
        purpose: `founding purchase of ${p.description}`,
        property: p.id,
        holder,
        face_minor: p.book_value_minor,
        quantity: 1,
        coupon_bp: bonds.coupon_bp,
        term_months: bonds.term_months,
        coupon_frequency: bonds.coupon_frequency,
      });
    }
    events.push({
      type: 'property-transferred',
      date: ctx.date,
      property: p.id,
      enterprise,
      price_minor: p.book_value_minor,
      payment: 'bonds',
      series: p.book_value_minor > 0n ? series : null,
      transactions: [
        new TransactionBuilder(p.currency, `founding transfer of ${p.id} at book value, paid in bonds`)
          .move(commune.property(p.id), commune.bonds(series, holder), p.book_value_minor)
          .move(accounts.bondsHeld(series), accounts.property(p.id), p.book_value_minor)
          .build(),
      ].filter((t) => t.lines.length > 0),
    });
    const leaseback = leasebacks.get(p.id);
    if (leaseback) {
      events.push({
        type: 'lease-started',
        date: ctx.date,
        lease: ctx.ids.next('lease'),
        property: p.id,
        enterprise,
        rent_minor: leaseback.rent_minor,
        currency: leaseback.currency,
        frequency: leaseback.frequency ?? 'monthly',
        last_period: lastPeriod(ctx.date, leaseback.term_months),
        source: 'leaseback',
      });
    }
  }
  for (const person of founders) {
    events.push({ ...admission(ctx, person, 'incorporation'), threshold_centihours: threshold });
  }
  return accept(...events);
}

export function amendBylaws(cmd: CommandOf<'amend-bylaws'>, ctx: Context): Decision {
  const refused = requireIncorporated(ctx) ?? requireVote(ctx, 'amend-bylaws');
  if (refused) return refused;
  const { state } = ctx;
  const bylaws = mergeBylaws(state.bylaws, cmd.changes);
  const cap = basisPointsOf(state.rentRollAnnual.value, bylaws.rent_backing_ratio_bp);
  const outstanding = currencyOutstanding(state);
  if (outstanding > cap) {
    return refuse(
      'CURRENCY_CAP_EXCEEDED',
      `a backing ratio of ${bylaws.rent_backing_ratio_bp} bp caps currency at ${m(cap)}, below the ${m(outstanding)} outstanding`,
    );
  }
  return accept({ type: 'bylaws-amended', date: ctx.date, bylaws });
}
