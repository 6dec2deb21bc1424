import type { InviteServerTransaction, SipRequest } from '@telekommune/sip';
import type { TenantConfig } from '../provisioning/tenant-config.js';

/** What pickup needs to know of a call in progress. */
export interface PickupCandidate {
  readonly tenantId: string;
  readonly startedAt_ms: number;
  readonly caller: { readonly extension: string };
  /** Extensions whose devices the call rings right now (empty when it is not ringing a phone). */
  readonly ringingExtensions: ReadonlySet<string>;
}

/** The two pickup feature codes (docs/feature-codes.md): `*8` group, `**EXT` directed. */
export interface PickupRequest {
  readonly tenant: Pick<TenantConfig, 'id' | 'extensions' | 'ringGroups'>;
  /** The extension that dialled the code. */
  readonly picker: string;
  readonly feature: 'pickupGroup' | 'pickupDirected';
  /** The extension named after `**`. */
  readonly argument?: string | undefined;
}

export type PickupChoice<C> =
  | { readonly kind: 'call'; readonly call: C }
  | { readonly kind: 'refuse'; readonly status: 404 | 480; readonly reason: string };

/**
 * The extensions a picker may pick up calls for with the group code: the
 * other members of every ring group it is a member of. Ring groups double
 * as pickup groups (a tenant needs no second list to keep in step).
 */
export function pickupGroupOf(tenant: PickupRequest['tenant'], picker: string): ReadonlySet<string> {
  const mates = new Set<string>();
  for (const group of tenant.ringGroups ?? []) {
    if (!group.members.some((m) => m.extension === picker)) continue;
    for (const member of group.members) if (member.extension !== picker) mates.add(member.extension);
  }
  return mates;
}

/**
 * Which ringing call a pickup code takes (pbx.md §4): only calls of the
 * picker's tenant that ring a phone now (never one already answered, nor
 * one the picker itself placed); with `**EXT` the one ringing EXT, with
 * `*8` one ringing a member of the picker's ring groups; the one ringing
 * longest when several qualify. Otherwise a refusal the picker hears.
 */
export function choosePickup<C extends PickupCandidate>(
  calls: Iterable<C>,
  request: PickupRequest,
): PickupChoice<C> {
  const { tenant, picker } = request;
  let wanted: ReadonlySet<string>;
  if (request.feature === 'pickupDirected') {
    const number = request.argument;
    if (number === undefined || !tenant.extensions.some((e) => e.number === number))
      return { kind: 'refuse', status: 404, reason: 'No Such Extension To Pick Up' };
    wanted = new Set([number]);
  } else {
    wanted = pickupGroupOf(tenant, picker);
    if (wanted.size === 0) return { kind: 'refuse', status: 480, reason: 'Not In Any Ring Group' };
  }
  let best: C | undefined;
  for (const call of calls) {
    if (call.tenantId !== tenant.id || call.caller.extension === picker) continue;
    if (![...call.ringingExtensions].some((e) => wanted.has(e))) continue;
    if (!best || call.startedAt_ms < best.startedAt_ms) best = call;
  }
  return best ? { kind: 'call', call: best } : { kind: 'refuse', status: 480, reason: 'No Call To Pick Up' };
}

/** What `pickUpRinging` needs of a call: a candidate that can be taken (B2buaCall.pickUp). */
export interface PickableCall extends PickupCandidate {
  readonly id: string;
  pickUp(
    picker: string,
    invite: SipRequest,
    transaction: InviteServerTransaction,
  ): { readonly status: number; readonly reason: string } | undefined;
}

/**
 * Carries out a pickup code an extension dialled (`destination` is the
 * feature resolveDialled made of it): connects the picker to the chosen
 * ringing call, or refuses its INVITE with a status and reason. Returns
 * false when `destination` is no pickup code.
 */
export function pickUpRinging(
  calls: Iterable<PickableCall>,
  tenant: PickupRequest['tenant'],
  picker: string,
  destination: { readonly feature: string; readonly argument?: string },
  invite: SipRequest,
  transaction: InviteServerTransaction,
  log: { info(detail: object, message: string): void },
): boolean {
  const feature = destination.feature;
  if (feature !== 'pickupGroup' && feature !== 'pickupDirected') return false;
  const choice = choosePickup(calls, { tenant, picker, feature, argument: destination.argument });
  const refusal = choice.kind === 'call' ? choice.call.pickUp(picker, invite, transaction) : choice;
  const detail = { tenant: tenant.id, picker, feature, argument: destination.argument };
  if (refusal) {
    log.info({ ...detail, status: refusal.status, reason: refusal.reason }, 'pickup refused');
    transaction.reply(refusal.status, { reason: refusal.reason });
  } else if (choice.kind === 'call') {
    log.info({ ...detail, call: choice.call.id }, 'call picked up');
  }
  return true;
}
