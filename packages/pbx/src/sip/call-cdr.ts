import type { Cdr, Disposition, HangupSide } from '../cdr/cdr.js';

/** What a B2BUA call knows when it ends, for its CDR. */
export interface EndedCall {
  readonly id: string;
  readonly tenantId: string;
  /** The Call-ID of the caller's INVITE. */
  readonly callId: string;
  readonly caller: { readonly extension: string; readonly displayName: string | undefined };
  readonly dialled: string;
  readonly answeredBy: string | undefined;
  readonly startedAt_ms: number;
  readonly answeredAt_ms: number | undefined;
  readonly endedAt_ms: number | undefined;
  readonly hangupSide: HangupSide | undefined;
  /** The final status the caller got (200 once answered). */
  readonly finalStatus: number;
  readonly path: readonly string[];
}

/**
 * A call's CDR, as a call between extensions (the trunks' CDR hook marks
 * calls from and to carriers): answered once anyone answered, else
 * `disposition` (failed when none is known), hung up by the system when
 * nobody hung up.
 */
export function internalCallCdr(call: EndedCall, disposition: Disposition | undefined, now_ms: number): Cdr {
  const answered = call.answeredAt_ms !== undefined;
  return {
    id: call.id,
    tenantId: call.tenantId,
    callId: call.callId,
    direction: 'internal',
    caller: call.caller.extension,
    callerName: call.caller.displayName,
    callee: call.dialled,
    answeredBy: call.answeredBy,
    startedAt_ms: call.startedAt_ms,
    answeredAt_ms: call.answeredAt_ms,
    endedAt_ms: call.endedAt_ms ?? now_ms,
    disposition: answered ? 'answered' : (disposition ?? 'failed'),
    hangupSide: call.hangupSide ?? (answered ? undefined : 'system'),
    sipStatus: answered ? 200 : call.finalStatus,
    forwardingPath: call.path,
  };
}
