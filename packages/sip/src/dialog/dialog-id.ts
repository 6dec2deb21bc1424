import type { SipRequest } from '../message/sip-request.js';
import type { SipResponse } from '../message/sip-response.js';

/** Dialog ID of RFC 3261 §12: Call-ID, local tag, remote tag. */
export interface DialogId {
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
}

export function dialogKey(id: DialogId): string {
  return `${id.callId}|${id.localTag}|${id.remoteTag}`;
}

/** The dialog an incoming request belongs to, seen from its receiver (UAS side); undefined without both tags. */
export function dialogIdOfRequest(request: SipRequest): DialogId | undefined {
  const localTag = request.toTag;
  const remoteTag = request.fromTag;
  if (localTag === undefined || remoteTag === undefined) return undefined;
  return { callId: request.callId, localTag, remoteTag };
}

/** The dialog a response belongs to, seen from the UAC; undefined without a To tag. */
export function dialogIdOfResponse(response: SipResponse): DialogId | undefined {
  const localTag = response.fromTag;
  const remoteTag = response.toTag;
  if (localTag === undefined || remoteTag === undefined) return undefined;
  return { callId: response.callId, localTag, remoteTag };
}
