import { splitList } from '../message/scanner.js';
import { headerField } from '../message/sip-message.js';
import { SipRequest } from '../message/sip-request.js';
import type { SipResponse } from '../message/sip-response.js';

/**
 * The ACK a client INVITE transaction sends for a non-2xx final response
 * (RFC 3261 §17.1.1.3): same Request-URI, Call-ID, From, CSeq number and
 * top Via as the INVITE, To from the response, Route copied.
 */
export function buildNon2xxAck(invite: SipRequest, response: SipResponse): SipRequest {
  const ack = new SipRequest({ method: 'ACK', uri: invite.uriText });
  const via = invite.header('via');
  const fields = [];
  if (via !== undefined) fields.push(headerField('Via', splitList(via)[0]!));
  for (const name of ['Max-Forwards', 'From']) {
    const value = invite.header(name);
    if (value !== undefined) fields.push(headerField(name, value));
  }
  const to = response.header('to') ?? invite.header('to');
  if (to !== undefined) fields.push(headerField('To', to));
  fields.push(headerField('Call-ID', invite.callId));
  fields.push(headerField('CSeq', `${invite.cseq.seq} ACK`));
  for (const route of invite.headerValues('route')) fields.push(headerField('Route', route));
  ack.headers = fields;
  return ack;
}
