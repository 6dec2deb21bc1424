import type { SipRequest } from '../message/sip-request.js';
import type { SipResponse } from '../message/sip-response.js';
import { MAGIC_COOKIE, type Via } from '../message/via.js';

/** Whether a branch follows RFC 3261 (magic cookie plus something unique). */
export function isRfc3261Branch(branch: string | undefined): branch is string {
  return branch !== undefined && branch.length > MAGIC_COOKIE.length && branch.startsWith(MAGIC_COOKIE);
}

function sentBy(via: Via): string {
  return `${via.host.toLowerCase()}:${via.port ?? ''}`;
}

/**
 * Server transaction key, RFC 3261 §17.2.3: branch + sent-by + method (ACK
 * matches its INVITE). Requests without an RFC 3261 branch (RFC 2543 peers,
 * RFC 4475 badbranch) are matched by Request-URI, From tag, Call-ID, CSeq
 * number and top Via instead. Throws on a request that failed validation.
 */
export function serverKey(request: SipRequest, method = request.method): string {
  const via = request.via;
  const matchMethod = method === 'ACK' ? 'INVITE' : method;
  if (isRfc3261Branch(via.branch)) return `${via.branch}|${sentBy(via)}|${matchMethod}`;
  return `2543|${request.uriText}|${request.fromTag ?? ''}|${request.callId}|${request.cseq.seq}|${via.transport}|${sentBy(via)}|${via.branch ?? ''}|${matchMethod}`;
}

/** Client transaction key, RFC 3261 §17.1.3: top Via branch + CSeq method. */
export function clientKey(message: SipRequest | SipResponse): string {
  return `${message.via.branch ?? ''}|${message.cseq.method}`;
}
