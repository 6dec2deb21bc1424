import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { TenantConfig } from '../provisioning/tenant-config.js';
import { dialString, e164Candidates } from './e164.js';
import { emergencyNumbersFor } from './emergency-numbers.js';
import { classifyNumber, type NumberClass } from './number-class.js';
import { defaultPermissionClass, type PermissionClass, permits } from './permission-class.js';

/** What the tenant's dial plan makes of a dialled string (pbx.md §5). */
export type OutboundDecision =
  | { readonly kind: 'internal'; readonly number: string }
  | { readonly kind: 'emergency'; readonly shortCode: string; readonly callerId: CallerId }
  | {
      readonly kind: 'outside';
      readonly e164: string;
      readonly numberClass: NumberClass;
      readonly callerId: CallerId;
    }
  | { readonly kind: 'refused'; readonly reason: OutboundRefusal; readonly message: string };

export type OutboundRefusal = 'invalid-number' | 'not-permitted' | 'outside-prefix-missing';

/**
 * The caller ID an outside call presents: the number (a DID of the tenant,
 * for P-Asserted-Identity) and whether the user asked to hide it (RFC 3323
 * `Privacy: id`). No number when the tenant has no DID to present.
 */
export interface CallerId {
  readonly e164: string | undefined;
  readonly anonymous: boolean;
}

export interface OutboundRequest {
  readonly tenant: TenantConfig;
  /** The extension placing the call (or whose forwarding or ring group leads outside). */
  readonly extension: string | undefined;
  readonly dialled: string;
}

/**
 * Turns what a user dialled into an outside call decision: emergency numbers
 * first and always (with or without the outside-line prefix); the tenant's
 * own numbers are internal; everything else is read in the tenant's country
 * conventions (trunk prefix, international prefix, local numbers without the
 * area code), classified from the numbering metadata and checked against the
 * extension's permission class. Fraud limits come after, in the fraud guard.
 */
export function decideOutbound(request: OutboundRequest): OutboundDecision {
  const { tenant } = request;
  const extension =
    request.extension === undefined
      ? undefined
      : tenant.extensions.find((e) => e.number === request.extension);
  const callerId = outboundCallerId(tenant, request.extension);
  const digits = dialString(request.dialled);
  if (digits === undefined || digits.length > 32) {
    return {
      kind: 'refused',
      reason: 'invalid-number',
      message: 'expected digits with an optional leading +',
    };
  }
  const country = tenant.country;
  const plan = tenant.dialPlan;
  const outsidePrefix = plan?.outsidePrefix;
  const emergency = emergencyNumbersFor(country);
  const short =
    outsidePrefix !== undefined && digits.startsWith(outsidePrefix)
      ? digits.slice(outsidePrefix.length)
      : undefined;
  if (emergency.includes(digits)) return { kind: 'emergency', shortCode: digits, callerId };
  if (short !== undefined && emergency.includes(short))
    return { kind: 'emergency', shortCode: short, callerId };
  if (
    tenant.extensions.some((e) => e.number === digits) ||
    tenant.ringGroups.some((g) => g.number !== undefined && g.number === digits)
  ) {
    return { kind: 'internal', number: digits };
  }
  let number = digits;
  if (outsidePrefix !== undefined && !digits.startsWith('+')) {
    if (short === undefined) {
      return {
        kind: 'refused',
        reason: 'outside-prefix-missing',
        message: `dial ${outsidePrefix} before outside numbers`,
      };
    }
    number = short;
  }
  const e164 = toE164(number, tenant);
  if (e164 === undefined) {
    return {
      kind: 'refused',
      reason: 'invalid-number',
      message: `${number} is not a valid number${country ? ` from ${country}` : ' (dial it in international form)'}`,
    };
  }
  const classified = classifyNumber(e164, { country, areaCode: plan?.areaCode });
  if (!classified.ok) return { kind: 'refused', reason: 'invalid-number', message: classified.message };
  const granted: PermissionClass = extension?.outbound?.class ?? defaultPermissionClass;
  if (!permits(granted, classified.numberClass)) {
    return {
      kind: 'refused',
      reason: 'not-permitted',
      message: `${classified.numberClass} numbers need a higher permission class than ${granted}`,
    };
  }
  return { kind: 'outside', e164, numberClass: classified.numberClass, callerId };
}

function isValid(e164: string): boolean {
  return parsePhoneNumberFromString(e164)?.isValid() ?? false;
}

/** The E.164 form of a dialled number in the tenant's conventions, if it is a valid number. */
function toE164(number: string, tenant: TenantConfig): string | undefined {
  const country = tenant.country;
  if (number.startsWith('+')) return isValid(number) ? number : undefined;
  if (country === undefined) {
    // Without a country only the international forms can be read.
    const candidates = number.startsWith('00') ? e164Candidates(number, { form: 'international' }) : [];
    return candidates.find(isValid);
  }
  const area = tenant.dialPlan?.areaCode;
  if (area !== undefined && !number.startsWith('0')) {
    // A local subscriber number dialled without its area code (where a trunk prefix is not dialled).
    const local = parsePhoneNumberFromString(`${area}${number}`, country);
    if (local?.isValid() && local.nationalNumber === `${area}${number}`) return local.number;
  }
  return e164Candidates(number, { country, form: 'national' }).find(isValid);
}

/**
 * An extension's outside caller ID: its own `outbound.callerId`, else the DID
 * that rings it directly, else the tenant's `dialPlan.callerId`, else the
 * tenant's first DID.
 */
export function outboundCallerId(tenant: TenantConfig, extensionNumber: string | undefined): CallerId {
  const extension =
    extensionNumber === undefined ? undefined : tenant.extensions.find((e) => e.number === extensionNumber);
  const dids = tenant.dids ?? [];
  const direct =
    extensionNumber === undefined
      ? undefined
      : dids.find((d) => d.destination === `extension:${extensionNumber}`)?.number;
  const tenantDefault = tenant.dialPlan?.callerId;
  const chosen = extension?.outbound?.callerId ?? direct ?? tenantDefault ?? dids[0]?.number;
  if (chosen !== 'anonymous') return { e164: chosen, anonymous: false };
  // Hidden from the callee, but still asserted to the carrier (RFC 3325 P-Asserted-Identity).
  const asserted = direct ?? (tenantDefault !== 'anonymous' ? tenantDefault : undefined) ?? dids[0]?.number;
  return { e164: asserted, anonymous: true };
}
