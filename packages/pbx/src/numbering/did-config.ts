import { z } from 'zod';
import { destinationSchema } from '../routing/destination.js';

/**
 * A DID: a phone number of the tenant's, from any country, and where its
 * calls go. Written in any form (`+49 30 1234567`, `0049...`, national with
 * the tenant's country); stored and exported in E.164.
 */
export const didConfigSchema = z.strictObject({
  number: z.string({ error: 'expected a phone number such as +49 30 1234567' }).min(2).max(64),
  destination: destinationSchema,
  /** A label for people, e.g. `Berlin office`. */
  name: z.string().trim().min(1).max(80).optional(),
});

export type DidConfig = z.output<typeof didConfigSchema>;

/** Caller ID an extension presents outside: one of the tenant's DIDs, or `anonymous`. */
export const callerIdSchema = z.string().min(2).max(64);

export const outboundConfigSchema = z.strictObject({
  /** What the extension may dial outside (numbering/permission-class.ts); default `national`. */
  class: z
    .enum(['internal', 'local', 'national', 'mobile', 'international', 'premium'], {
      error: 'expected one of internal, local, national, mobile, international, premium',
    })
    .optional(),
  callerId: callerIdSchema.optional(),
});

export type OutboundConfig = z.output<typeof outboundConfigSchema>;
