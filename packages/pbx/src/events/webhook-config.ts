import { z } from 'zod';

/** The call events a tenant's webhooks can receive. */
export const callEventTypes = ['call.started', 'call.answered', 'call.ended'] as const;
export type CallEventType = (typeof callEventTypes)[number];

/** One webhook of a tenant (docs/calls.md, "Call events"). */
export const webhookConfigSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).max(2000),
  /** Which events to send (default: all). */
  events: z
    .array(z.enum(callEventTypes, { error: `expected one of ${callEventTypes.join(', ')}` }))
    .min(1)
    .max(callEventTypes.length)
    .default([...callEventTypes]),
  /** Signs every delivery (HMAC-SHA256) so the receiver can tell it came from us. */
  secret: z.string().min(16, { error: 'expected at least 16 characters' }).max(200).optional(),
});

export type WebhookConfig = z.output<typeof webhookConfigSchema>;

export const webhooksConfigSchema = z.array(webhookConfigSchema).max(8);
