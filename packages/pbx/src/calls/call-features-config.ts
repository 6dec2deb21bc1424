import { z } from 'zod';
import { destinationSchema } from '../routing/destination.js';

/**
 * Per-extension call forwarding (pbx.md §4): unconditional, on busy, on no
 * answer after `ringTime_s`, and when no device is registered.
 */
export const forwardConfigSchema = z.strictObject({
  always: destinationSchema.optional(),
  busy: destinationSchema.optional(),
  noAnswer: destinationSchema.optional(),
  unreachable: destinationSchema.optional(),
});

/** How long an extension rings before no-answer forwarding (or the caller hears no answer). */
export const ringTimeSchema = z
  .number({ error: 'expected a number of seconds' })
  .int({ error: 'expected whole seconds' })
  .min(5, { error: 'expected at least 5 seconds' })
  .max(300, { error: 'expected at most 300 seconds' });

export const ringGroupStrategies = ['simultaneous', 'hunt', 'roundRobin'] as const;

/** A member of a ring group: an extension number, or an outside `number:` destination. */
const ringGroupMemberSchema = z.union([
  z
    .string()
    .regex(/^[0-9]{2,6}$/, { error: 'expected an extension number or {extension, ringTime_s}' })
    .transform((extension) => ({ extension })),
  z.strictObject({
    extension: z.string().regex(/^[0-9]{2,6}$/, { error: 'expected 2 to 6 digits' }),
    ringTime_s: ringTimeSchema.optional(),
  }),
]);

/**
 * A ring group: members rung all at once (`simultaneous`), one after another
 * (`hunt`, each for its ring time) or one after another starting after the
 * last member that rang (`roundRobin`); after `timeout_s` overall the call
 * goes to `finally`.
 */
export const ringGroupConfigSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/, {
    error: 'expected 1 to 32 lowercase letters, digits or inner hyphens',
  }),
  name: z.string().trim().min(1).max(80),
  /** A number extensions dial to reach the group; must not clash with an extension. */
  number: z
    .string()
    .regex(/^[0-9]{2,6}$/, { error: 'expected 2 to 6 digits' })
    .optional(),
  strategy: z.enum(ringGroupStrategies, { error: `expected one of ${ringGroupStrategies.join(', ')}` }),
  members: z.array(ringGroupMemberSchema).min(1, { error: 'expected at least one member' }).max(64),
  /** Ring time per member for hunt and round robin, unless the member says otherwise. */
  ringTime_s: ringTimeSchema.default(20),
  /** The whole group's time before `finally`. */
  timeout_s: z.number().int().min(5).max(3600).default(60),
  finally: destinationSchema.default('hangup'),
});

export type ForwardConfig = z.output<typeof forwardConfigSchema>;
export type RingGroupConfig = z.output<typeof ringGroupConfigSchema>;
