import type { TenantBillingConfig } from './billing-config.js';
import { incrementedSeconds } from './billing-increment.js';
import { ceilDiv } from './money.js';
import type { RateIndex } from './rate-index.js';
import type { RateRow } from './rate-table.js';

/** An answered outside call with its cost (what the carrier charges) and price (what the tenant pays), in micro-units. */
export interface RatedCall {
  /** The CDR id or Call-ID; a call is charged once. */
  readonly callId: string;
  readonly tenantId: string;
  readonly extension: string | undefined;
  readonly carrierId: string;
  /** The E.164 number called. */
  readonly destination: string;
  readonly destinationName: string;
  /** The carrier deck prefix that priced the cost. */
  readonly prefix: string;
  readonly answeredAt_ms: number;
  /** Talk time, whole seconds rounded up. */
  readonly duration_s: number;
  /** Seconds the tenant is billed for, after the price's increments. */
  readonly billable_s: number;
  readonly cost_micro: bigint;
  readonly price_micro: bigint;
  readonly currency: string;
}

/** What the call core reports when an outside call ends. */
export interface OutsideCallEnded {
  readonly callId: string;
  readonly tenantId: string;
  readonly extension: string | undefined;
  readonly carrierId: string;
  readonly e164: string;
  /** Undefined when the call was never answered (nothing to charge). */
  readonly answeredAt_ms: number | undefined;
  readonly endedAt_ms: number;
}

/** What a rate charges for a call of `duration_s`: increments, the per-minute rate rounded up to a micro-unit, and the connect fee. */
export function chargeFor(rate: RateRow, duration_s: number): { billable_s: number; amount_micro: bigint } {
  const billable_s = incrementedSeconds(duration_s, rate);
  if (billable_s === 0) return { billable_s, amount_micro: 0n };
  return {
    billable_s,
    amount_micro: rate.connect_micro + ceilDiv(rate.rate_micro_per_min * BigInt(billable_s), 60n),
  };
}

/** Margin percent as ten-thousandths of a percent: "12.5" -> 125000. */
function marginUnits(text: string | undefined): bigint {
  if (text === undefined) return 0n;
  const [whole = '0', fraction = ''] = text.split('.');
  return BigInt(whole) * 10_000n + BigInt(fraction.padEnd(4, '0'));
}

/** Cost plus a margin, rounded up to a micro-unit. */
export function withMargin(cost_micro: bigint, marginPercent: string | undefined): bigint {
  return cost_micro + ceilDiv(cost_micro * marginUnits(marginPercent), 1_000_000n);
}

export type RatingFailure = 'not-answered' | 'no-carrier-rate';

/**
 * Rates an answered outside call (pbx.md §5): the cost from the carrier's
 * deck at answer time; the price from the tenant's price list when it has a
 * rate for the number (its own increments and connect fee), else the cost
 * plus the tenant's margin.
 */
export function rateCall(
  call: OutsideCallEnded,
  decks: { readonly carrier: RateIndex | undefined; readonly priceList: RateIndex | undefined },
  billing: TenantBillingConfig | undefined,
  currency: string,
): { ok: true; rated: RatedCall } | { ok: false; reason: RatingFailure } {
  if (call.answeredAt_ms === undefined || call.endedAt_ms <= call.answeredAt_ms)
    return { ok: false, reason: 'not-answered' };
  const duration_s = Math.ceil((call.endedAt_ms - call.answeredAt_ms) / 1000);
  const costRate = decks.carrier?.lookup(call.e164, call.answeredAt_ms);
  if (!costRate) return { ok: false, reason: 'no-carrier-rate' };
  const cost = chargeFor(costRate, duration_s);
  const priceRate = decks.priceList?.lookup(call.e164, call.answeredAt_ms);
  const price = priceRate
    ? chargeFor(priceRate, duration_s)
    : { billable_s: cost.billable_s, amount_micro: withMargin(cost.amount_micro, billing?.marginPercent) };
  return {
    ok: true,
    rated: {
      callId: call.callId,
      tenantId: call.tenantId,
      extension: call.extension,
      carrierId: call.carrierId,
      destination: call.e164,
      destinationName: (priceRate ?? costRate).destination,
      prefix: costRate.prefix,
      answeredAt_ms: call.answeredAt_ms,
      duration_s,
      billable_s: price.billable_s,
      cost_micro: cost.amount_micro,
      price_micro: price.amount_micro,
      currency,
    },
  };
}
