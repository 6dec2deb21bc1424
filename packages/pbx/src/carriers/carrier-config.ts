import { isIP } from 'node:net';
import { z } from 'zod';
import { countrySchema } from '../numbering/country.js';
import { currencySchema } from '../rating/money.js';

/**
 * An IPv4 or IPv6 address or CIDR block (`203.0.113.0/24`) a carrier sends from.
 */
export const cidrSchema = z.string().refine(
  (text) => {
    const [address = '', bits, ...rest] = text.split('/');
    const family = isIP(address);
    if (family === 0 || rest.length > 0) return false;
    if (bits === undefined) return true;
    if (!/^[0-9]{1,3}$/.test(bits)) return false;
    return Number(bits) <= (family === 4 ? 32 : 128);
  },
  { error: 'expected an IP address or CIDR block, e.g. 203.0.113.0/24' },
);

const hostName = z
  .string({ error: 'expected a host name or IP address' })
  .max(253)
  .regex(/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$|^[0-9a-f:.]+$/i, {
    error: 'expected a host name or IP address',
  })
  .toLowerCase();

const portSchema = z.number().int().min(1).max(65535);

export const carrierTransports = ['udp', 'tcp', 'tls'] as const;

/** How numbers are written in the Request-URI and From towards this carrier. */
export const numberFormats = ['e164-plus', 'e164', 'international-00', 'national'] as const;
export type NumberFormat = (typeof numberFormats)[number];

export const carrierCodecs = ['PCMU', 'PCMA', 'G722', 'opus', 'telephone-event'] as const;

const ipAuthSchema = z.strictObject({
  mode: z.literal('ip'),
  /** Addresses calls from this carrier come from; anything else is not this carrier. */
  allow: z.array(cidrSchema).min(1, { error: 'expected at least one address or block' }).max(64),
});

const registerAuthSchema = z.strictObject({
  mode: z.literal('register'),
  username: z.string().min(1).max(128),
  password: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\x20-\x7e]+$/, { error: 'expected printable ASCII' }),
  /** Where REGISTER goes when it is not the carrier's address, as `host` or `host:port`. */
  registrar: z
    .string()
    .max(260)
    .regex(/^[a-z0-9.-]+(?::[0-9]{1,5})?$/i, { error: 'expected host or host:port' })
    .optional(),
  /** Requested registration lifetime (RFC 3261 §10.2.1, Expires). */
  expiry_s: z.number().int().min(60).max(86_400).default(3600),
  /** Addresses inbound calls may also come from, besides the registered flow. */
  allow: z.array(cidrSchema).max(64).optional(),
});

export const carrierAuthSchema = z.discriminatedUnion('mode', [ipAuthSchema, registerAuthSchema], {
  error: 'expected auth with mode ip (allow: [...]) or register (username, password)',
});

const carrierId = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/, {
  error: 'expected 1 to 32 lowercase letters, digits or inner hyphens',
});

/**
 * A carrier (SIP trunk), configured by the operator at the top of the
 * provisioning document (pbx.md §5). docs/carriers.md documents each field.
 */
export const carrierConfigSchema = z
  .strictObject({
    id: carrierId,
    name: z.string().trim().min(1).max(120),
    host: hostName,
    port: portSchema.default(5060),
    transport: z.enum(carrierTransports).default('udp'),
    auth: carrierAuthSchema,
    numberFormat: z
      .enum(numberFormats, { error: `expected one of ${numberFormats.join(', ')}` })
      .default('e164-plus'),
    /** The carrier's country: required for the `national` format; reads national forms it sends. */
    country: countrySchema.optional(),
    codecs: z.array(z.enum(carrierCodecs)).min(1).max(8).default(['PCMA', 'PCMU', 'telephone-event']),
    /** Concurrent calls the trunk carries; LCR skips it when full. */
    maxCalls: z.number().int().min(1).max(100_000).default(30),
    /** Digits (and `#`, `*`) put before every number sent, when the carrier bills by a tech prefix. */
    techPrefix: z
      .string()
      .regex(/^[0-9#*]{1,16}$/, { error: 'expected 1 to 16 digits, # or *' })
      .optional(),
    /** Whether this carrier may carry emergency calls. */
    emergency: z.boolean().default(true),
    currency: currencySchema.default('EUR'),
    enabled: z.boolean().default(true),
  })
  .superRefine((carrier, ctx) => {
    if (carrier.numberFormat === 'national' && carrier.country === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['country'],
        message: 'the national number format needs the carrier country',
      });
    }
  });

export type CarrierConfig = z.output<typeof carrierConfigSchema>;
export type CarrierAuth = z.output<typeof carrierAuthSchema>;

/** Carrier ids are unique in a document. */
export function checkCarrierIds(
  carriers: readonly { readonly id: string }[],
  ctx: z.core.$RefinementCtx,
): void {
  const seen = new Map<string, number>();
  carriers.forEach((carrier, index) => {
    const first = seen.get(carrier.id);
    if (first !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['carriers', index, 'id'],
        message: `duplicate carrier ${carrier.id} (also carriers[${first}])`,
      });
    } else seen.set(carrier.id, index);
  });
}
