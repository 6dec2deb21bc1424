import { createResponse } from '../message/create-response.js';
import { generateTag } from '../message/ids.js';
import { type ParseLimits, parseMessage } from '../message/parser.js';
import { SipRequest } from '../message/sip-request.js';
import type { SipResponse } from '../message/sip-response.js';
import { DEFAULT_REQUEST_POLICY, type RequestPolicy, validateRequest } from '../message/validate-request.js';
import { validateResponse } from '../message/validate-response.js';

/** What the stack does with bytes that arrived: pass them up, answer them, or drop them. */
export type Screened =
  | { readonly kind: 'request'; readonly request: SipRequest }
  | { readonly kind: 'response'; readonly response: SipResponse }
  /** A request refused before any TU sees it; `response` is the answer to send. */
  | { readonly kind: 'reject'; readonly request: SipRequest; readonly response: SipResponse }
  | { readonly kind: 'drop'; readonly reason: string };

export interface ScreenOptions {
  readonly datagram: boolean;
  readonly limits?: ParseLimits;
  readonly policy?: RequestPolicy;
}

/**
 * Parse and check one inbound message: a malformed or unacceptable request
 * gets the response RFC 3261 §8.2 and RFC 4475 name (400 with the fault as
 * reason, 505, 416, 420, 415, 406); a malformed response, an unanswerable
 * request (no usable Via) or a bad ACK is dropped.
 */
export function screenInbound(data: Buffer, options: ScreenOptions): Screened {
  const parsed = parseMessage(data, {
    datagram: options.datagram,
    ...(options.limits ? { limits: options.limits } : {}),
  });
  if (!parsed.ok) {
    const partial = parsed.partial;
    if (partial instanceof SipRequest && partial.method !== 'ACK' && answerable(partial)) {
      const response = createResponse(partial, parsed.fault.status, {
        reason: parsed.fault.reason,
        toTag: generateTag(),
      });
      return { kind: 'reject', request: partial, response };
    }
    return { kind: 'drop', reason: parsed.fault.reason };
  }
  const message = parsed.message;
  if (message instanceof SipRequest) {
    const rejection = validateRequest(message, options.policy ?? DEFAULT_REQUEST_POLICY);
    if (!rejection) return { kind: 'request', request: message };
    if (message.method === 'ACK' || !answerable(message)) return { kind: 'drop', reason: rejection.reason };
    const response = createResponse(message, rejection.status, {
      reason: rejection.reason,
      toTag: generateTag(),
      headers: rejection.headers,
    });
    return { kind: 'reject', request: message, response };
  }
  const response = message as SipResponse;
  const fault = validateResponse(response);
  return fault === undefined ? { kind: 'response', response } : { kind: 'drop', reason: fault };
}

/**
 * A response can only be routed back along a Via; when the top Via itself is
 * malformed the stack sends it to the source of the request (see sendResponse).
 */
function answerable(request: SipRequest): boolean {
  return request.has('via');
}
