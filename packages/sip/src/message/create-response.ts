import { type HeaderField, type HeaderInit, headerField } from './sip-message.js';
import type { SipRequest } from './sip-request.js';
import { SipResponse } from './sip-response.js';

export interface ResponseOptions {
  reason?: string;
  /** To tag added when the request's To has none (never on 100). */
  toTag?: string;
  headers?: HeaderInit;
  body?: Buffer | string;
  contentType?: string;
}

const COPIED = new Set(['via', 'from', 'call-id', 'cseq']);

/**
 * A response to `request` per RFC 3261 §8.2.6: Via, From, Call-ID and CSeq
 * copied, To copied with a tag added, Timestamp echoed on 100 (§8.2.6.1).
 * Works on a partially parsed request so malformed requests can get a 400.
 */
export function createResponse(
  request: SipRequest,
  status: number,
  options: ResponseOptions = {},
): SipResponse {
  const response = new SipResponse({
    status,
    ...(options.reason !== undefined ? { reason: options.reason } : {}),
  });
  const fields: HeaderField[] = [];
  for (const field of request.headers) {
    if (COPIED.has(field.key)) fields.push(field);
    else if (field.key === 'to') fields.push(withToTag(request, field, status, options.toTag));
    else if (field.key === 'timestamp' && status === 100) fields.push(field);
  }
  for (const [name, value] of options.headers ?? []) fields.push(headerField(name, value));
  response.headers = fields;
  if (options.body !== undefined) response.setBody(options.body, options.contentType);
  return response;
}

function withToTag(
  request: SipRequest,
  field: HeaderField,
  status: number,
  tag: string | undefined,
): HeaderField {
  if (tag === undefined || status === 100) return field;
  let hasTag: boolean;
  try {
    hasTag = request.toTag !== undefined;
  } catch {
    return field; // a malformed To is copied as it is
  }
  return hasTag ? field : { ...field, value: `${field.value};tag=${tag}` };
}
