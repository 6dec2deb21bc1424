import { type NameAddr, parseReplaces, type Replaces } from '@telekommune/sip';
import type { Destination } from '../routing/destination.js';

/** What a REFER is judged against (all lookups in the transferor's tenant). */
export interface ReferContext {
  readonly tenantId: string;
  /** The tenant whose SIP domain `host` is, if any. */
  readonly tenantOfHost: (host: string) => string | undefined;
  /** The transferor's extension; undefined when the referring party is no extension of the tenant (a carrier). */
  readonly transferor: string | undefined;
  /** Whether the call is connected to a callee (not ringing, not held by an application). */
  readonly connected: boolean;
  /** Whether another transfer of this call is still running. */
  readonly transferring: boolean;
  /** Where a dialled string goes, as if the transferor dialled it; undefined when it goes nowhere. */
  readonly resolve: (dialled: string) => Destination | undefined;
}

export type ReferDecision =
  | { readonly kind: 'refuse'; readonly status: number; readonly reason: string }
  | { readonly kind: 'blind'; readonly dialled: string; readonly destination: Destination }
  | {
      readonly kind: 'attended';
      readonly dialled: string;
      readonly destination: Destination;
      /** The transferor's consultation dialog with the target, at the PBX (RFC 3891). */
      readonly replaces: Replaces;
    };

const refuse = (status: number, reason: string): ReferDecision => ({ kind: 'refuse', status, reason });

/**
 * Whether the PBX carries out a REFER received in a call (RFC 3515 §2.4.2),
 * and where to: the Refer-To's user part dialled in the transferor's
 * tenant, so forwarding, ring groups and the outside-number checks apply as
 * to a number the transferor dialled. A Replaces header in the Refer-To
 * (RFC 3891 §7, RFC 5589 §7) makes it an attended transfer. Refusals carry
 * the final status for the REFER; the call is left as it was.
 */
export function decideRefer(
  referTo: (() => NameAddr | undefined) | undefined,
  context: ReferContext,
): ReferDecision {
  let target: NameAddr | undefined;
  try {
    target = referTo?.();
  } catch {
    return refuse(400, 'Bad Refer-To');
  }
  if (!target) return refuse(400, 'Missing Refer-To');
  const uri = target.uri;
  let dialled: string | undefined;
  let uriHeaders: ReadonlyArray<readonly [string, string]> = [];
  if (uri.kind === 'sip') {
    // RFC 3515 §2.1: a method other than INVITE asks for something that is not a transfer.
    const method = uri.params.get('method');
    if (typeof method === 'string' && method.toUpperCase() !== 'INVITE')
      return refuse(403, 'Only INVITE Transfers Are Supported');
    const owner = context.tenantOfHost(uri.host.toLowerCase());
    if (owner !== undefined && owner !== context.tenantId)
      return refuse(403, 'Transfers Between Tenants Are Not Allowed');
    dialled = uri.user;
    uriHeaders = uri.headers;
  } else if (uri.kind === 'tel') {
    dialled = uri.number;
  } else {
    return refuse(416, 'Unsupported URI Scheme');
  }
  if (context.transferor === undefined) return refuse(403, 'Only Extensions May Transfer');
  if (context.transferring) return refuse(491, 'A Transfer Is In Progress');
  if (!context.connected) return refuse(403, 'Nothing To Transfer');
  if (dialled === undefined || dialled === '') return refuse(404, 'Not Found');
  const destination = context.resolve(dialled);
  if (!destination) return refuse(404, 'Not Found');
  const replacesValue = uriHeaders.find(([name]) => name.toLowerCase() === 'replaces')?.[1];
  if (replacesValue === undefined) return { kind: 'blind', dialled, destination };
  try {
    return { kind: 'attended', dialled, destination, replaces: parseReplaces(replacesValue) };
  } catch {
    return refuse(400, 'Bad Replaces In Refer-To');
  }
}
