import { z } from 'zod';
import { currencySchema, moneySchema } from './money.js';

export const billingModes = ['prepaid', 'postpaid'] as const;
export type BillingMode = (typeof billingModes)[number];

/**
 * How a tenant is billed for outside calls: from a price list (a rate deck
 * imported under that id) or at cost plus a margin, against a prepaid
 * balance or a postpaid credit limit.
 */
export const tenantBillingConfigSchema = z.strictObject({
  /** prepaid: calls need a positive balance; postpaid: the balance may go down to -creditLimit. Default postpaid. */
  mode: z.enum(billingModes).optional(),
  /** Postpaid only: how far below zero the balance may go, e.g. "100.00". Unset: no limit (the fraud guard still caps spend per day). */
  creditLimit: moneySchema.optional(),
  currency: currencySchema.optional(),
  /** The id of a price list imported with `telekommune rates import --price-list ID`. */
  priceList: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/, { error: 'expected a price list id' })
    .optional(),
  /** Percent added to cost where no price list rate applies, e.g. "20" or "12.5". Default "0". */
  marginPercent: z
    .string()
    .regex(/^[0-9]{1,4}(\.[0-9]{1,4})?$/, { error: 'expected a percentage such as "20" or "12.5"' })
    .optional(),
});

export type TenantBillingConfig = z.output<typeof tenantBillingConfigSchema>;
