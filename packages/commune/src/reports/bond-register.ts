/**
 * The bond register (venture-commune.md §6, §12): every series with its terms,
 * its auction's published result, its holders and its payment schedule, and
 * any payment missed (a default is reported, never hidden).
 */
import type { AuctionResult } from '../bond-auction.js';
import { couponFor, paymentPeriods } from '../bond-schedule.js';
import { addMonths, type IsoDate, type Period, periodOf } from '../dates.js';
import type { HolderRef } from '../ledger/account.js';
import { key } from '../queries.js';
import type { BondHolding, SeriesStatus } from '../records.js';
import type { CommuneState } from '../state.js';

export interface SchedulePayment {
  readonly period: Period;
  readonly number: number;
  readonly coupon_minor: bigint;
  readonly principal_minor: bigint;
  /** `run` once the schedule ran for the period, `upcoming` before. */
  readonly state: 'run' | 'upcoming';
}

export interface HolderRow {
  readonly holder: HolderRef;
  readonly quantity: number;
  readonly principal_outstanding_minor: bigint;
  readonly coupons_paid_minor: bigint;
  readonly principal_paid_minor: bigint;
  readonly coupons_overdue_minor: bigint;
  readonly principal_overdue_minor: bigint;
}

export interface SeriesRow {
  readonly series: string;
  readonly purpose: string;
  readonly status: SeriesStatus;
  readonly sale: 'auction' | 'direct';
  readonly property: string | null;
  readonly face_minor: bigint;
  readonly quantity: number;
  readonly term_months: number;
  readonly coupon_frequency: number;
  readonly coupon_bp: number | null;
  readonly closes_on: IsoDate | null;
  readonly issued_on: IsoDate | null;
  readonly maturity: Period | null;
  /** Bids are sealed while the auction is open: only their number shows. */
  readonly sealed_bids: number;
  readonly auction: AuctionResult | null;
  readonly holders: readonly HolderRow[];
  readonly schedule: readonly SchedulePayment[];
  readonly in_default: boolean;
}

export interface BondRegister {
  readonly series: readonly SeriesRow[];
  readonly outstanding_principal_minor: bigint;
  readonly overdue_minor: bigint;
  readonly runs: readonly {
    period: Period;
    run_on: IsoDate;
    due_minor: bigint;
    paid_minor: bigint;
    missed_minor: bigint;
  }[];
}

export function bondRegister(state: CommuneState): BondRegister {
  const runPeriods = new Set(state.bondRuns.keys());
  let outstanding = 0n;
  let overdue = 0n;
  const series: SeriesRow[] = [];
  for (const s of state.series.values()) {
    const holdings = (state.holders.get(s.id) ?? [])
      .map((holder) => state.holdings.get(key(s.id, holder)))
      .filter((h): h is BondHolding => h !== undefined);
    const holders = holdings.map((h) => {
      const principalOutstanding = s.face_minor * BigInt(h.quantity) - h.principal_paid_minor;
      outstanding += principalOutstanding;
      overdue += h.coupons_overdue_minor + h.principal_overdue_minor;
      return {
        holder: h.holder,
        quantity: h.quantity,
        principal_outstanding_minor: principalOutstanding,
        coupons_paid_minor: h.coupons_paid_minor,
        principal_paid_minor: h.principal_paid_minor,
        coupons_overdue_minor: h.coupons_overdue_minor,
        principal_overdue_minor: h.principal_overdue_minor,
      };
    });
    const schedule: SchedulePayment[] =
      s.issued_on === null || s.coupon_bp === null
        ? []
        : paymentPeriods(s.issued_on, s.term_months, s.coupon_frequency).map((point) => ({
            period: point.period,
            number: point.number,
            coupon_minor: holdings.reduce(
              (sum, h) => sum + couponFor(s.face_minor, h.quantity, s.coupon_bp ?? 0, s.coupon_frequency),
              0n,
            ),
            principal_minor: point.principal ? s.face_minor * BigInt(s.quantity) : 0n,
            state: runPeriods.has(point.period) ? 'run' : 'upcoming',
          }));
    const sealed = s.status === 'auction';
    series.push({
      series: s.id,
      purpose: s.purpose,
      status: s.status,
      sale: s.sale,
      property: s.property,
      face_minor: s.face_minor,
      quantity: s.quantity,
      term_months: s.term_months,
      coupon_frequency: s.coupon_frequency,
      coupon_bp: s.coupon_bp,
      closes_on: s.closes_on,
      issued_on: s.issued_on,
      maturity: s.issued_on === null ? null : addMonths(periodOf(s.issued_on), s.term_months),
      sealed_bids: sealed ? s.bids.length : 0,
      auction: sealed ? null : s.result,
      holders,
      schedule,
      in_default: holders.some((h) => h.coupons_overdue_minor > 0n || h.principal_overdue_minor > 0n),
    });
  }
  return {
    series,
    outstanding_principal_minor: outstanding,
    overdue_minor: overdue,
    runs: [...state.bondRuns.values()].sort((a, b) => (a.period < b.period ? -1 : 1)),
  };
}
