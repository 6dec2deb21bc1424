import { z } from 'zod';
import { callerIdSchema } from './did-config.js';

/**
 * A tenant's outbound dialling conventions beyond its country (which sits on
 * the tenant): an area code for dialling local numbers without it, and an
 * optional outside-line prefix (`0` in many German PBXs, `9` in American ones).
 */
export const dialPlanConfigSchema = z.strictObject({
  /** National significant digits of the tenant's area, without the trunk prefix: `30` for Berlin, `212` for Manhattan. */
  areaCode: z
    .string()
    .regex(/^[1-9][0-9]{0,5}$/, { error: 'expected 1 to 6 digits without the trunk prefix, e.g. 30' })
    .optional(),
  /** When set, outside numbers must be dialled after it; emergency numbers work with or without it. */
  outsidePrefix: z
    .string()
    .regex(/^[0-9]$/, { error: 'expected one digit, e.g. 0 or 9' })
    .optional(),
  /** Caller ID for extensions that set none: one of the tenant's DIDs, or `anonymous`. */
  callerId: callerIdSchema.optional(),
});

export type DialPlanConfig = z.output<typeof dialPlanConfigSchema>;
