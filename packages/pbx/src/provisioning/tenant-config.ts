import { z } from 'zod';
import { forwardConfigSchema, ringGroupConfigSchema, ringTimeSchema } from '../calls/call-features-config.js';
import { carrierConfigSchema, checkCarrierIds } from '../carriers/carrier-config.js';
import { conferenceRoomConfigSchema } from '../conference/conference-config.js';
import { webhooksConfigSchema } from '../events/webhook-config.js';
import { featureCodesConfigSchema } from '../features/feature-codes-config.js';
import { extensionFraudConfigSchema, tenantFraudConfigSchema } from '../fraud/fraud-config.js';
import { ivrMenuConfigSchema, tenantPromptNameSchema } from '../ivr/ivr-config.js';
import { scheduleConfigSchema, timeZoneSchema } from '../ivr/schedule-config.js';
import { checkVoiceReferences } from '../ivr/voice-references.js';
import { countrySchema } from '../numbering/country.js';
import { dialPlanConfigSchema } from '../numbering/dial-plan-config.js';
import { didConfigSchema, outboundConfigSchema } from '../numbering/did-config.js';
import {
  checkDocumentDids,
  checkTenantNumbers,
  normaliseTenantNumbers,
} from '../numbering/tenant-numbers.js';
import { tenantBillingConfigSchema } from '../rating/billing-config.js';
import { voicemailBoxConfigSchema } from '../voicemail/voicemail-config.js';
import { checkTenantReferences } from './references.js';

/**
 * The declarative provisioning format (`telekommune apply -f`, `export`, and
 * the provisioning API). One schema serves all three, so what `export` writes
 * `apply` accepts unchanged. docs/provisioning.md documents it for operators.
 */

const digits2to6 = z.string({ error: 'expected 2 to 6 digits as a quoted string' }).regex(/^[0-9]{2,6}$/, {
  error: 'expected 2 to 6 digits',
});

export const extensionConfigSchema = z.strictObject({
  number: digits2to6,
  name: z.string().trim().min(1, { error: 'expected a display name' }).max(80),
  password: z
    .string({ error: 'expected a SIP password' })
    .min(8, { error: 'expected at least 8 characters' })
    .max(128, { error: 'expected at most 128 characters' })
    .regex(/^[\x21-\x7e]+$/, { error: 'expected printable ASCII without spaces' }),
  /** Do not disturb: callers go to the busy forwarding target, else hear busy. */
  dnd: z.boolean().default(false),
  forward: forwardConfigSchema.optional(),
  /** Seconds the extension's devices ring before no-answer handling. */
  ringTime_s: ringTimeSchema.default(25),
  /** Outside calling: permission class and caller ID (docs/carriers.md). */
  outbound: outboundConfigSchema.optional(),
  fraud: extensionFraudConfigSchema.optional(),
  /** The extension's voicemail box (docs/voicemail.md); none when absent. */
  voicemail: voicemailBoxConfigSchema.optional(),
});

const tenantId = z.string({ error: 'expected a tenant id' }).regex(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/, {
  error: 'expected 1 to 32 lowercase letters, digits or inner hyphens',
});

const domainName = z
  .string({ error: 'expected a SIP domain' })
  .max(253)
  .regex(/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i, {
    error: 'expected a DNS domain name such as acme.example',
  })
  .toLowerCase();

export const tenantConfigSchema = z
  .strictObject({
    id: tenantId,
    name: z.string().trim().min(1, { error: 'expected a name' }).max(120),
    domain: domainName,
    extensions: z.array(extensionConfigSchema).default([]),
    ringGroups: z.array(ringGroupConfigSchema).default([]),
    /** ISO 3166 country whose dialling conventions the tenant's users follow, e.g. DE. */
    country: countrySchema.optional(),
    dialPlan: dialPlanConfigSchema.optional(),
    /** Phone numbers of the tenant, each to a destination (docs/carriers.md). */
    dids: z.array(didConfigSchema).max(10_000).optional(),
    fraud: tenantFraudConfigSchema.optional(),
    billing: tenantBillingConfigSchema.optional(),
    /** IANA time zone for business hours and voicemail dates (default UTC). */
    timeZone: timeZoneSchema.optional(),
    /** Auto-attendant menus (docs/ivr.md). */
    ivrs: z.array(ivrMenuConfigSchema).max(200).optional(),
    /** Business hours and holidays the menus follow (docs/ivr.md). */
    schedules: z.array(scheduleConfigSchema).max(100).optional(),
    /** Conference rooms (docs/conferences.md). */
    conferences: z.array(conferenceRoomConfigSchema).max(200).optional(),
    /** Feature codes that differ from the defaults (docs/feature-codes.md). */
    featureCodes: featureCodesConfigSchema.optional(),
    /** Where call events are POSTed (docs/calls.md, "Call events"). */
    webhooks: webhooksConfigSchema.optional(),
    /** Music on hold: a WAV the tenant uploaded (docs/calls.md, "Music on hold"); the built-in music without it. */
    musicOnHold: z.strictObject({ prompt: tenantPromptNameSchema }).optional(),
  })
  .superRefine((tenant, ctx) => {
    checkTenantReferences(tenant, ctx);
    checkVoiceReferences(tenant, ctx);
    checkTenantNumbers(tenant, ctx);
    const seen = new Map<string, number>();
    tenant.extensions.forEach((extension, index) => {
      const first = seen.get(extension.number);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['extensions', index, 'number'],
          message: `duplicate extension ${extension.number} (also extensions[${first}])`,
        });
      } else {
        seen.set(extension.number, index);
      }
    });
  })
  // Numbers in E.164, done as a check rather than a transform so the output keeps its JSON
  // Schema (/openapi.json); like a transform, it only touches a tenant that passed every check.
  .check((payload) => {
    if (payload.issues.length === 0) payload.value = normaliseTenantNumbers(payload.value);
  });

export const provisioningDocumentSchema = z
  .strictObject({
    tenants: z.array(tenantConfigSchema).default([]),
    /** Operator-level SIP trunks (docs/carriers.md). */
    carriers: z.array(carrierConfigSchema).max(256).optional(),
  })
  .superRefine((document, ctx) => {
    checkDocumentDids(document, ctx);
    checkCarrierIds(document.carriers ?? [], ctx);
    const ids = new Map<string, number>();
    const domains = new Map<string, number>();
    document.tenants.forEach((tenant, index) => {
      const idAt = ids.get(tenant.id);
      if (idAt !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['tenants', index, 'id'],
          message: `duplicate tenant id ${tenant.id} (also tenants[${idAt}])`,
        });
      } else ids.set(tenant.id, index);
      const domainAt = domains.get(tenant.domain);
      if (domainAt !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['tenants', index, 'domain'],
          message: `duplicate domain ${tenant.domain} (also tenants[${domainAt}])`,
        });
      } else domains.set(tenant.domain, index);
    });
  });

export type ExtensionConfig = z.output<typeof extensionConfigSchema>;
export type TenantConfig = z.output<typeof tenantConfigSchema>;
export type ProvisioningDocument = z.output<typeof provisioningDocumentSchema>;
