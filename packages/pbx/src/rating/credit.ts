import type { TenantBillingConfig } from './billing-config.js';
import { microOf } from './money.js';
import type { RateRow } from './rate-table.js';

export type CreditCheck =
  | { readonly ok: true; readonly available_micro: bigint }
  | { readonly ok: false; readonly reason: 'insufficient-credit'; readonly message: string };

/**
 * Whether a tenant may start an outside call: prepaid tenants need a
 * positive balance; postpaid ones may go down to minus their credit limit.
 */
export function checkCredit(balance_micro: bigint, billing: TenantBillingConfig | undefined): CreditCheck {
  const mode = billing?.mode ?? 'postpaid';
  const limit = mode === 'postpaid' && billing?.creditLimit !== undefined ? microOf(billing.creditLimit) : 0n;
  const available_micro = balance_micro + limit;
  if (available_micro > 0n || (mode === 'postpaid' && billing?.creditLimit === undefined)) {
    return { ok: true, available_micro };
  }
  return {
    ok: false,
    reason: 'insufficient-credit',
    message: mode === 'prepaid' ? 'the prepaid balance is used up' : 'the credit limit is reached',
  };
}

/**
 * The longest a call may last on what is available at this price, for a
 * prepaid session timer: whole seconds the money pays for, 0 if not even
 * the connect fee and first increment.
 */
export function affordableSeconds(available_micro: bigint, price: RateRow, cap_s = 4 * 3600): number {
  const afterConnect = available_micro - price.connect_micro;
  if (afterConnect <= 0n) return 0;
  if (price.rate_micro_per_min === 0n) return cap_s;
  const seconds = Number((afterConnect * 60n) / price.rate_micro_per_min);
  if (seconds < price.initial_s) return 0;
  const steps = Math.floor((seconds - price.initial_s) / price.increment_s);
  return Math.min(cap_s, price.initial_s + steps * price.increment_s);
}
