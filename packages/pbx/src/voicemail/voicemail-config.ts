import { z } from 'zod';

/**
 * An extension's voicemail box (pbx.md §4). With the box enabled, callers
 * reach it whenever the extension is busy (or on DND), does not answer, or
 * has no reachable device, unless a forwarding rule for that case says
 * otherwise (docs/voicemail.md).
 */
export const voicemailBoxConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** The PIN for listening from a phone (*97, *98): 4 to 12 digits. */
  pin: z
    .string({ error: 'expected a PIN of 4 to 12 digits as a quoted string' })
    .regex(/^[0-9]{4,12}$/, { error: 'expected a PIN of 4 to 12 digits' }),
  /** Where a notice of every new message goes (with the audio when `attachAudio`). */
  email: z.email({ error: 'expected an e-mail address' }).max(254).optional(),
  attachAudio: z.boolean().default(true),
  /** Messages kept in the box (new and saved); callers hear "mailbox full" beyond it. */
  maxMessages: z.number().int().min(1).max(1000).default(100),
  /** Longest message a caller may leave. */
  maxMessage_s: z.number().int().min(10).max(600).default(180),
  /** Also send unsolicited MWI NOTIFYs to the extension's registered devices (phones that never SUBSCRIBE). */
  unsolicitedMwi: z.boolean().default(false),
});

export type VoicemailBoxConfig = z.output<typeof voicemailBoxConfigSchema>;

/** Messages shorter than this (after trailing silence is cut) are discarded as hang-ups. */
export const MIN_MESSAGE_MS = 1000;
