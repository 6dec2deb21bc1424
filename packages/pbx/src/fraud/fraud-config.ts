import { z } from 'zod';
import { numberClasses } from '../numbering/number-class.js';
import { moneySchema } from '../rating/money.js';

const concurrent = z.number().int().min(0).max(10_000);

/** Limits on one extension's outside calls; unset limits fall back to the tenant's. */
export const extensionFraudConfigSchema = z.strictObject({
  maxConcurrentCalls: concurrent.optional(),
  /** Spend per UTC day in the billing currency, e.g. "20.00". */
  maxSpendPerDay: moneySchema.optional(),
});

/**
 * A tenant's toll-fraud policy (pbx.md §6); docs/carriers.md lists the
 * defaults that apply when a field is left out.
 */
export const tenantFraudConfigSchema = z.strictObject({
  maxConcurrentCalls: concurrent.optional(),
  maxSpendPerDay: moneySchema.optional(),
  /** Limits on an extension that sets none of its own. */
  perExtension: extensionFraudConfigSchema.optional(),
  /** Lower limits for international destinations (country codes) the tenant first called today or never. */
  newDestination: extensionFraudConfigSchema.optional(),
  /** Number prefixes never to call, in E.164 (`+53`, `+4990`). */
  blockedPrefixes: z
    .array(z.string().regex(/^\+?[1-9][0-9]{0,14}$/, { error: 'expected an E.164 prefix such as +53' }))
    .max(1000)
    .optional(),
  /** Number classes never to call, whatever the extension's class; default [premium]. */
  blockedClasses: z
    .array(z.enum(numberClasses).exclude(['emergency']))
    .max(8)
    .optional(),
  /** Calls refused for limits within an hour before the extension is suspended. */
  maxDeniedPerHour: z.number().int().min(1).max(10_000).optional(),
  /** Where alerts are POSTed as JSON, besides the log. */
  alertWebhook: z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
    .max(2000)
    .optional(),
});

export type TenantFraudConfig = z.output<typeof tenantFraudConfigSchema>;
export type ExtensionFraudConfig = z.output<typeof extensionFraudConfigSchema>;
