import { splitList } from './scanner.js';
import { headerField } from './sip-message.js';
import { SipRequest } from './sip-request.js';

/**
 * The CANCEL for a pending request (RFC 3261 §9.1): same Request-URI,
 * Call-ID, To, From, CSeq number and Route, and exactly the top Via of the
 * request it cancels (so it reaches the same server transaction).
 * `extra` adds fields such as Reason (RFC 3326 §2: "Call completed
 * elsewhere" keeps phones from logging a missed call).
 */
export function createCancel(
  request: SipRequest,
  extra: ReadonlyArray<readonly [string, string]> = [],
): SipRequest {
  const cancel = new SipRequest({ method: 'CANCEL', uri: request.uriText });
  const via = request.header('via');
  const fields = [];
  if (via !== undefined) fields.push(headerField('Via', splitList(via)[0]!));
  fields.push(headerField('Max-Forwards', '70'));
  for (const name of ['From', 'To', 'Call-ID']) {
    const value = request.header(name);
    if (value !== undefined) fields.push(headerField(name, value));
  }
  fields.push(headerField('CSeq', `${request.cseq.seq} CANCEL`));
  for (const route of request.headerValues('route')) fields.push(headerField('Route', route));
  for (const [name, value] of extra) fields.push(headerField(name, value));
  cancel.headers = fields;
  return cancel;
}
