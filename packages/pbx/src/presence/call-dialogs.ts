import type { DialogView } from './dialog-info.js';

/** What the busy lamps read of a call (B2buaCall fits). */
export interface WatchedCall {
  readonly id: string;
  readonly tenant: { readonly id: string; readonly domain: string };
  readonly state: 'routing' | 'answered' | 'ended';
  readonly caller: { readonly extension: string; readonly displayName: string | undefined };
  readonly dialled: string;
  /** The extension (or outside number) that answered, if any (a transfer target once it answered). */
  readonly answeredBy: string | undefined;
  /** Who is on side `b` now: the callee that answered, still there when the caller transferred its side. */
  party(side: 'a' | 'b'): string | undefined;
}

const address = (user: string, domain: string) => `sip:${user}@${domain}`;

/**
 * The dialogs `extension` has in `call`, as RFC 4235 §3.7.1 states them:
 * the caller's is `trying` until something rings, `early` while it rings
 * and `confirmed` once answered; a callee's is `early` while its devices
 * ring and `confirmed` when it answered. An extension merely passed through
 * (forwarded away, rung and not answering, transferred away) has none.
 * NOTE: a caller that transferred its side stays `confirmed` until the call
 * ends: the call keeps the caller's identity. An ended call has none
 * either: the notifier reports what disappeared as `terminated`.
 */
export function callDialogs(
  call: WatchedCall,
  extension: string,
  ringing: ReadonlySet<string>,
): DialogView[] {
  const views: DialogView[] = [];
  if (call.state === 'ended') return views;
  const domain = call.tenant.domain;
  if (call.caller.extension === extension) {
    const callee =
      call.state === 'answered' && call.answeredBy !== undefined ? call.answeredBy : call.dialled;
    views.push({
      id: `${call.id}-out`,
      direction: 'initiator',
      state: call.state === 'answered' ? 'confirmed' : ringing.size > 0 ? 'early' : 'trying',
      remote: { identity: address(callee, domain) },
    });
  }
  const answered =
    call.state === 'answered' && (call.answeredBy === extension || call.party('b') === extension);
  if (answered || (call.state === 'routing' && ringing.has(extension))) {
    views.push({
      id: `${call.id}-in`,
      direction: 'recipient',
      state: answered ? 'confirmed' : 'early',
      remote: { identity: address(call.caller.extension, domain), display: call.caller.displayName },
    });
  }
  return views;
}
