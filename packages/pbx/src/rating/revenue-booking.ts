import type { BillingRepository, RevenueBooking } from './billing-repository.js';
import { microToMinor } from './money.js';
import { periodRange } from './statement.js';

/**
 * The commune ledger as rating needs it: the `record-enterprise-revenue`
 * command (venture-commune.md), so the co-op's books show the income its
 * enterprise keeps. packages/server adapts the commune engine to it.
 */
export interface EnterpriseRevenueLedger {
  recordEnterpriseRevenue(command: {
    readonly enterprise: string;
    readonly amount_minor: bigint;
    readonly currency: string;
    readonly category: string;
    readonly note: string;
    /** The same key for the same period: the ledger records a retried booking once. */
    readonly idempotencyKey: string;
    /** The last day of the period, `YYYY-MM-DD`: the booking's effective date. */
    readonly effectiveDate: string;
  }): Promise<{ ok: true; reference: string } | { ok: false; code: string; message: string }>;
}

export type RevenueBookingOutcome =
  | { readonly kind: 'booked'; readonly booking: RevenueBooking }
  | { readonly kind: 'already-booked'; readonly booking: RevenueBooking }
  | { readonly kind: 'nothing-to-book'; readonly period: string }
  | { readonly kind: 'rejected'; readonly code: string; readonly message: string };

/**
 * Books a closed month's call revenue (the sum of prices, rounded to minor
 * units) to the enterprise in the commune ledger, once per period.
 */
export async function bookPeriodRevenue(
  period: string,
  deps: {
    readonly billing: BillingRepository;
    readonly ledger: EnterpriseRevenueLedger;
    readonly enterprise: string;
    readonly currency: string;
    readonly now?: () => Date;
  },
): Promise<RevenueBookingOutcome> {
  const range = periodRange(period);
  if (!range) return { kind: 'rejected', code: 'INVALID', message: 'expected a period YYYY-MM' };
  const now = deps.now?.() ?? new Date();
  if (now.getTime() < range.to_ms) {
    return { kind: 'rejected', code: 'PERIOD_OPEN', message: `${period} has not ended yet` };
  }
  const existing = await deps.billing.revenueBooking(period);
  if (existing) return { kind: 'already-booked', booking: existing };
  let total = 0n;
  for (const call of await deps.billing.charges({ ...range })) {
    if (call.currency === deps.currency) total += call.price_micro;
  }
  const amount_minor = microToMinor(total);
  if (amount_minor <= 0n) return { kind: 'nothing-to-book', period };
  const answer = await deps.ledger.recordEnterpriseRevenue({
    enterprise: deps.enterprise,
    amount_minor,
    currency: deps.currency,
    category: 'telephony',
    note: `call revenue ${period}`,
    idempotencyKey: `telephony-revenue-${period}`,
    effectiveDate: new Date(range.to_ms - 86_400_000).toISOString().slice(0, 10),
  });
  if (!answer.ok) return { kind: 'rejected', code: answer.code, message: answer.message };
  const booking: RevenueBooking = {
    period,
    amount_minor,
    currency: deps.currency,
    bookedAt: now.toISOString(),
    reference: answer.reference,
  };
  await deps.billing.saveRevenueBooking(booking);
  return { kind: 'booked', booking };
}
