import type { z } from 'zod';
import type { CountryCode } from './country.js';
import type { DidConfig } from './did-config.js';
import { normaliseNumber } from './e164.js';
import { emergencyNumbersFor } from './emergency-numbers.js';

type Ctx = z.core.$RefinementCtx;

/** The parts of a tenant that carry phone numbers. */
interface NumberedTenant {
  readonly country?: CountryCode | undefined;
  readonly dids?: DidConfig[] | undefined;
  readonly dialPlan?: { readonly callerId?: string | undefined } | undefined;
  readonly extensions: readonly {
    readonly number: string;
    readonly outbound?: { readonly callerId?: string | undefined } | undefined;
  }[];
}

/**
 * Brings a tenant's phone numbers to E.164 (DIDs and caller IDs written in
 * any form, national forms read in the tenant's country) and checks them: no
 * DID twice, caller IDs are the tenant's own DIDs (a carrier will not carry
 * a number the tenant does not hold, and presenting others' is spoofing),
 * and no extension shadows an emergency number.
 */
export function normaliseTenantNumbers<T extends NumberedTenant>(tenant: T, ctx?: Ctx): T {
  const country = tenant.country;
  const didAt = new Map<string, number>();
  const dids = tenant.dids?.map((did, index) => {
    const parsed = normaliseNumber(did.number, { country });
    if (!parsed.ok) {
      ctx?.addIssue({ code: 'custom', path: ['dids', index, 'number'], message: parsed.message });
      return did;
    }
    const first = didAt.get(parsed.e164);
    if (first !== undefined) {
      ctx?.addIssue({
        code: 'custom',
        path: ['dids', index, 'number'],
        message: `duplicate DID ${parsed.e164} (also dids[${first}])`,
      });
    } else didAt.set(parsed.e164, index);
    return { ...did, number: parsed.e164 };
  });
  const callerId = (text: string | undefined, path: (string | number)[]): string | undefined => {
    if (text === undefined || text === 'anonymous') return text;
    const parsed = normaliseNumber(text, { country });
    if (!parsed.ok) {
      ctx?.addIssue({ code: 'custom', path, message: `${parsed.message}, or anonymous` });
      return text;
    }
    if (!didAt.has(parsed.e164)) {
      ctx?.addIssue({ code: 'custom', path, message: `${parsed.e164} is not one of this tenant's DIDs` });
    }
    return parsed.e164;
  };
  const emergency = new Set(emergencyNumbersFor(country));
  const extensions = tenant.extensions.map((extension, index) => {
    if (emergency.has(extension.number)) {
      ctx?.addIssue({
        code: 'custom',
        path: ['extensions', index, 'number'],
        message: `${extension.number} is an emergency number${country ? ` in ${country}` : ''}`,
      });
    }
    if (extension.outbound?.callerId === undefined) return extension;
    return {
      ...extension,
      outbound: {
        ...extension.outbound,
        callerId: callerId(extension.outbound.callerId, ['extensions', index, 'outbound', 'callerId']),
      },
    };
  });
  const dialPlan =
    tenant.dialPlan?.callerId === undefined
      ? tenant.dialPlan
      : { ...tenant.dialPlan, callerId: callerId(tenant.dialPlan.callerId, ['dialPlan', 'callerId']) };
  return {
    ...tenant,
    extensions,
    ...(dids !== undefined ? { dids } : {}),
    ...(dialPlan !== undefined ? { dialPlan } : {}),
  };
}

/** Reports a tenant's number problems (as a refinement, so they come with every other issue at once). */
export function checkTenantNumbers(tenant: NumberedTenant, ctx: Ctx): void {
  normaliseTenantNumbers(tenant, ctx);
}

/** DIDs are global: one number belongs to one tenant (across the whole document). */
export function checkDocumentDids(
  document: {
    readonly tenants: readonly { readonly dids?: readonly { readonly number: string }[] | undefined }[];
  },
  ctx: Ctx,
): void {
  const owner = new Map<string, string>();
  document.tenants.forEach((tenant, t) => {
    tenant.dids?.forEach((did, d) => {
      const first = owner.get(did.number);
      if (first !== undefined && !first.startsWith(`tenants[${t}].`)) {
        ctx.addIssue({
          code: 'custom',
          path: ['tenants', t, 'dids', d, 'number'],
          message: `DID ${did.number} is already ${first}`,
        });
      } else if (first === undefined) owner.set(did.number, `tenants[${t}].dids[${d}]`);
    });
  });
}
