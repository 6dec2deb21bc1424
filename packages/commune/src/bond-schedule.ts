/**
 * When a bond series pays (venture-commune.md §6): a coupon every
 * 12 / frequency months after the issue date and the principal with the last
 * coupon at maturity. The coupon rate is the auction's stop-out yield.
 */
import { addMonths, type IsoDate, monthIndex, type Period, periodOf } from './dates.js';

export interface PaymentPoint {
  readonly period: Period;
  /** 1-based coupon number. */
  readonly number: number;
  readonly principal: boolean;
}

export function monthsBetweenCoupons(coupon_frequency: number): number {
  return 12 / coupon_frequency;
}

export function paymentPeriods(
  issue_date: IsoDate,
  term_months: number,
  coupon_frequency: number,
): PaymentPoint[] {
  const step = monthsBetweenCoupons(coupon_frequency);
  const count = term_months / step;
  const first = periodOf(issue_date);
  const points: PaymentPoint[] = [];
  for (let number = 1; number <= count; number += 1) {
    points.push({ period: addMonths(first, number * step), number, principal: number === count });
  }
  return points;
}

/** The payment due in `period`, if any. */
export function paymentIn(
  issue_date: IsoDate,
  term_months: number,
  coupon_frequency: number,
  period: Period,
): PaymentPoint | null {
  const step = monthsBetweenCoupons(coupon_frequency);
  const months = monthIndex(period) - monthIndex(periodOf(issue_date));
  if (months <= 0 || months > term_months || months % step !== 0) return null;
  return { period, number: months / step, principal: months === term_months };
}

/** One coupon on `quantity` bonds, rounded down to the minor unit. */
export function couponFor(
  face_minor: bigint,
  quantity: number,
  coupon_bp: number,
  coupon_frequency: number,
): bigint {
  return (face_minor * BigInt(quantity) * BigInt(coupon_bp)) / (10_000n * BigInt(coupon_frequency));
}
