import type { Replaces } from '@telekommune/sip';
import { type DialogRoute, otherSide, type Side } from './in-dialog-relay.js';
import type { ReferNotifier } from './refer-notifier.js';

/** What matching a Replaces needs of a call. */
export interface TransferableCall {
  readonly tenantId: string;
  /** The extension (or number) of the party on `side`, as the call knows it. */
  party(side: Side): string | undefined;
  /** Why this call cannot be joined to another now (ringing, held by an application, transferring), if so. */
  joinRefusal(): { readonly status: number; readonly reason: string } | undefined;
}

/** Where the PBX finds the call a Replaces names. */
export interface ReplacesLookup<C> {
  /** The call whose dialog is (Call-ID, our tag, their tag), and which party is on its far end. */
  find(
    callId: string,
    localTag: string,
    remoteTag: string,
  ): { readonly call: C; readonly side: Side } | undefined;
  /** Whether a call with this caller's Call-ID is still ringing (no dialog with the caller yet). */
  ringing(callId: string): boolean;
}

export type ReplacesMatch<C> =
  | { readonly kind: 'refuse'; readonly status: number; readonly reason: string }
  /** `call` is the other call, `transferorSide` the transferor's side in it. */
  | { readonly kind: 'join'; readonly call: C; readonly transferorSide: Side };

const refuse = (status: number, reason: string) => ({ kind: 'refuse', status, reason }) as const;

/**
 * Finds the other call of an attended transfer (RFC 5589 §7): the REFER's
 * Refer-To carries a Replaces (RFC 3891 §6.1) naming the transferor's dialog
 * in its other call, as the transferor sees it. The PBX is the far end of
 * that dialog, so its to-tag is normally our tag and its from-tag the
 * transferor's; phones that were called in the consultation write them the
 * other way round, so both are tried. The call must be another answered
 * call of the same tenant with the transferor as a party of it; a refusal
 * carries the status for the REFER and leaves both calls as they were.
 */
export function matchReplaces<C extends TransferableCall>(
  replaces: Replaces,
  referring: C,
  transferor: string,
  lookup: ReplacesLookup<C>,
): ReplacesMatch<C> {
  const entry =
    lookup.find(replaces.callId, replaces.toTag, replaces.fromTag) ??
    lookup.find(replaces.callId, replaces.fromTag, replaces.toTag);
  if (!entry) {
    // NOTE: a consultation still ringing is not turned into a blind transfer: the transferor keeps both calls.
    if (lookup.ringing(replaces.callId)) return refuse(403, 'Consultation Call Not Answered Yet');
    return refuse(481, 'Replaced Call Does Not Exist');
  }
  const other = entry.call;
  if (other === referring) return refuse(403, 'Replaces Names The Same Call');
  if (other.tenantId !== referring.tenantId) return refuse(403, 'Calls In Different Tenants');
  if (other.party(entry.side) !== transferor) return refuse(403, 'Transferor Is Not A Party Of Both Calls');
  const busy = other.joinRefusal();
  if (busy) return refuse(busy.status, busy.reason);
  return { kind: 'join', call: other, transferorSide: entry.side };
}

/** What joining two calls needs of each (b2bua-call.ts). */
export interface JoiningCall extends TransferableCall {
  readonly id: string;
  /** The dialog with party `side` and where it is reached. */
  partyRoute(side: Side): DialogRoute | undefined;
  /** From now on party `mine` talks to `peer`'s party `theirs`: SDP and in-dialog requests cross over. */
  link(peer: JoiningCall, mine: Side, theirs: Side): void;
  /** Re-INVITEs the linked party with the peer's party's media, sending and receiving; whether it accepted. */
  resumeLinked(): Promise<boolean>;
  /** The transferor's dialog in this call, kept apart: BYE now (`now`), else expected from it (BYE after a while). */
  setAside(route: DialogRoute, now: boolean): void;
  /** Adds a step to the CDR's path. */
  addPath(step: string): void;
}

export interface JoinOptions {
  readonly notifier: ReferNotifier;
  readonly log: (level: 'info' | 'warn', detail: Record<string, unknown>, message: string) => void;
}

/**
 * Carries out an attended transfer at the PBX: both calls are ours, so no
 * INVITE with Replaces is sent anywhere (RFC 5589 §7 has the transferee do
 * it; here the PBX plays the transferee's and the target's part). `referring`
 * got the REFER from its party `transferor`; `other` is the call the
 * Replaces named, with the transferor on `otherTransferor`. The far parties
 * are linked, the transferor's dialog in the other call is ended with BYE
 * (as the target would, RFC 5589 §7.1), the transferor is told 200 and
 * expected to hang up the call it referred in, and each far party is
 * re-INVITEd with the other's media (which takes a held party off hold).
 */
export async function joinCalls(
  referring: JoiningCall,
  transferor: Side,
  other: JoiningCall,
  otherTransferor: Side,
  options: JoinOptions,
): Promise<void> {
  const first = otherSide(transferor);
  const second = otherSide(otherTransferor);
  const referringRoute = referring.partyRoute(transferor);
  const otherRoute = other.partyRoute(otherTransferor);
  void options.notifier.progress(100);
  referring.link(other, first, second);
  other.link(referring, second, first);
  referring.addPath(`transfer:${other.party(second) ?? 'unknown'}`);
  other.addPath(`transfer:${referring.party(first) ?? 'unknown'}`);
  if (otherRoute) other.setAside(otherRoute, true);
  // Set aside before the final NOTIFY: a phone may hang up as soon as it has the 202.
  if (referringRoute) referring.setAside(referringRoute, false);
  await options.notifier.final(200);
  const joined = { call: referring.id, other: other.id };
  const firstResumed = await referring.resumeLinked();
  const secondResumed = await other.resumeLinked();
  if (!firstResumed || !secondResumed)
    options.log(
      'warn',
      { ...joined, firstResumed, secondResumed },
      'attended transfer: a party refused the new media',
    );
  else options.log('info', joined, 'attended transfer: parties joined');
}
