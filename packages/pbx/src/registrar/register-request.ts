import type { Binding, Flow } from './binding.js';

/** The parts of a REGISTER the registrar decides on, already parsed from SIP. */
export interface RegisterRequest {
  readonly tenantId: string;
  readonly aor: string;
  readonly callId: string;
  readonly cseq: number;
  /** The Expires header, if present. */
  readonly expires?: number | undefined;
  /** True for `Contact: *`. */
  readonly wildcard: boolean;
  readonly contacts: readonly {
    readonly uri: string;
    readonly expires?: number | undefined;
    readonly q?: number | undefined;
    readonly instanceId?: string | undefined;
  }[];
  readonly userAgent?: string | undefined;
  readonly flow: Flow;
}

/** Expiry limits (STYLE.md 14: every limit named and configurable). */
export interface RegistrarLimits {
  readonly minExpires_s: number;
  readonly maxExpires_s: number;
  readonly defaultExpires_s: number;
  /** Devices per extension; the oldest binding gives way to a new one past it. */
  readonly maxContactsPerAor: number;
}

export const defaultRegistrarLimits: RegistrarLimits = {
  minExpires_s: 60,
  maxExpires_s: 3600,
  defaultExpires_s: 3600,
  maxContactsPerAor: 10,
};

export type RegisterOutcome =
  | {
      readonly status: 200;
      /** Every binding of the AoR after the request, for the 200's Contact headers. */
      readonly bindings: readonly Binding[];
      readonly upserts: readonly Binding[];
      readonly removals: readonly Binding[];
    }
  | { readonly status: 423; readonly minExpires_s: number }
  | { readonly status: 400; readonly reason: string }
  | { readonly status: 500; readonly reason: string; readonly retryAfter_s: number };

/**
 * RFC 3261 §10.3 steps 6-8 as a pure function: given the AoR's current
 * bindings and a REGISTER, the bindings after it, or why it fails. All
 * updates of one request are committed together or not at all.
 */
export function processRegister(
  current: readonly Binding[],
  request: RegisterRequest,
  now_ms: number,
  limits: RegistrarLimits = defaultRegistrarLimits,
): RegisterOutcome {
  const live = current.filter((b) => b.expiresAt_ms > now_ms);
  if (request.wildcard) {
    // §10.3 step 6: "*" only alone and only with Expires: 0.
    if (request.contacts.length > 0) return { status: 400, reason: 'Contact * must be the only contact' };
    if (request.expires !== 0) return { status: 400, reason: 'Contact * requires Expires: 0' };
    for (const binding of live) {
      if (binding.callId === request.callId && request.cseq <= binding.cseq) {
        return { status: 500, reason: 'out-of-order REGISTER (CSeq not higher)', retryAfter_s: 1 };
      }
    }
    return { status: 200, bindings: [], upserts: [], removals: live };
  }

  const byContact = new Map(live.map((b) => [b.contact, b]));
  const upserts: Binding[] = [];
  const removals: Binding[] = [];
  for (const contact of request.contacts) {
    const requested = contact.expires ?? request.expires ?? limits.defaultExpires_s;
    if (!Number.isInteger(requested) || requested < 0)
      return { status: 400, reason: 'invalid expires value' };
    if (requested > 0 && requested < limits.minExpires_s)
      return { status: 423, minExpires_s: limits.minExpires_s };
    const existing =
      byContact.get(contact.uri) ??
      (contact.instanceId !== undefined ? live.find((b) => b.instanceId === contact.instanceId) : undefined);
    if (existing && existing.callId === request.callId && request.cseq <= existing.cseq) {
      return { status: 500, reason: 'out-of-order REGISTER (CSeq not higher)', retryAfter_s: 1 };
    }
    if (requested === 0) {
      if (existing) removals.push(existing);
      continue;
    }
    if (existing && existing.contact !== contact.uri) removals.push(existing);
    upserts.push({
      tenantId: request.tenantId,
      aor: request.aor,
      contact: contact.uri,
      instanceId: contact.instanceId,
      callId: request.callId,
      cseq: request.cseq,
      expiresAt_ms: now_ms + Math.min(requested, limits.maxExpires_s) * 1000,
      registeredAt_ms: existing?.registeredAt_ms ?? now_ms,
      q: contact.q,
      userAgent: request.userAgent,
      flow: request.flow,
    });
  }

  const removed = new Set(removals.map((b) => b.contact));
  const updated = new Map(upserts.map((b) => [b.contact, b]));
  const after: Binding[] = [];
  for (const binding of live) {
    if (removed.has(binding.contact) || updated.has(binding.contact)) continue;
    after.push(binding);
  }
  after.push(...upserts);
  // Past the per-extension limit the oldest registrations give way to the newest.
  after.sort((a, b) => a.registeredAt_ms - b.registeredAt_ms);
  while (after.length > limits.maxContactsPerAor) {
    const evicted = after.shift();
    if (!evicted) break;
    if (updated.has(evicted.contact)) {
      upserts.splice(upserts.indexOf(evicted), 1);
    } else {
      removals.push(evicted);
    }
  }
  return { status: 200, bindings: after, upserts, removals };
}
