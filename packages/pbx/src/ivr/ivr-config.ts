import { z } from 'zod';
import { destinationSchema } from '../routing/destination.js';
import { scheduleIdSchema } from './schedule-config.js';

/** Names of prompts a tenant uploads (or has rendered from text): lower-case words and dashes. */
export const tenantPromptNameSchema = z
  .string({ error: 'expected a prompt name' })
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, {
    error: 'expected 1 to 64 lowercase letters, digits or inner hyphens',
  });

const bundledPromptId = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: 'expected a prompt id' });

/**
 * What a menu says: a WAV the tenant uploaded (`prompt`), text spoken by
 * the speech synthesiser (`text`, rendered once and kept), or bundled
 * prompts by id (`say`, e.g. ivr-welcome).
 */
export const greetingSchema = z.union(
  [
    z.strictObject({ prompt: tenantPromptNameSchema }),
    z.strictObject({ text: z.string().trim().min(1).max(1000) }),
    z.strictObject({ say: z.array(bundledPromptId).min(1).max(20) }),
  ],
  { error: 'expected {prompt: NAME}, {text: "..."} or {say: [PROMPT-ID, ...]}' },
);

/** Menu actions besides destinations: hear the menu again, or the dial-by-name directory. */
export const menuActions = ['repeat', 'directory'] as const;
export type MenuAction = (typeof menuActions)[number];

/** A key's target: a destination (another menu is `ivr:ID`), `repeat` or `directory`. */
export const menuOptionSchema = z.union([z.enum(menuActions), destinationSchema], {
  error: 'expected repeat, directory or a destination such as extension:1002',
});

/** Which menu answers by time: the schedule's state picks `closed` or `holiday` instead of this menu. */
export const menuHoursSchema = z.strictObject({
  schedule: scheduleIdSchema,
  /** Where calls go outside the opening hours. */
  closed: destinationSchema,
  /** Where calls go on holidays; `closed` when absent. */
  holiday: destinationSchema.optional(),
});

const menuKey = z.string().regex(/^[0-9*#]$/, { error: 'expected one key: 0-9, * or #' });

/**
 * An auto-attendant menu (docs/ivr.md): a greeting, keys to destinations,
 * dialling an extension directly, retries for no input and invalid keys,
 * and optional business hours.
 */
export const ivrMenuConfigSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/, {
    error: 'expected 1 to 32 lowercase letters, digits or inner hyphens',
  }),
  name: z.string().trim().min(1).max(80),
  /** A number extensions dial to reach the menu; must not clash with an extension or ring group. */
  number: z
    .string()
    .regex(/^[0-9]{2,6}$/, { error: 'expected 2 to 6 digits' })
    .optional(),
  greeting: greetingSchema.optional(),
  options: z.record(menuKey, menuOptionSchema).default({}),
  /** Callers may dial an extension number at any time during the menu. */
  dialExtensions: z.boolean().default(true),
  /** Seconds to wait for a key after the greeting. */
  timeout_s: z.number().int().min(1).max(60).default(5),
  /** Milliseconds to wait for the next digit of an extension number. */
  interDigit_ms: z.number().int().min(500).max(10_000).default(2000),
  /** Greeting plays (no input or invalid key each count one) before `failover`. */
  maxAttempts: z.number().int().min(1).max(10).default(3),
  invalidGreeting: greetingSchema.optional(),
  timeoutGreeting: greetingSchema.optional(),
  /** Where the call goes after `maxAttempts` (default: goodbye and hang up). */
  failover: destinationSchema.default('hangup'),
  hours: menuHoursSchema.optional(),
});

export type Greeting = z.output<typeof greetingSchema>;
export type IvrMenuConfig = z.output<typeof ivrMenuConfigSchema>;
