import type { SipRequest, SipResponse } from '@telekommune/sip';

/** The content type of an SDP body (RFC 3264 offers and answers travel in it). */
export const sdpType = 'application/sdp';

/** Whether a message carries an SDP body. */
export function hasSdp(message: SipRequest | SipResponse): boolean {
  if (message.body.length === 0) return false;
  const type = message.contentType;
  return type !== undefined && `${type.type}/${type.subtype}`.toLowerCase() === sdpType;
}

/** A message's SDP as text, or undefined when it carries none. */
export function sdpOf(message: SipRequest | SipResponse): string | undefined {
  return hasSdp(message) ? message.body.toString('utf8') : undefined;
}

/**
 * The SDP with every stream sending and receiving (RFC 3264 §6.1): a party
 * put on hold before a transfer is offered to the target as it will talk.
 */
export function sendrecv(sdp: string): string {
  return sdp.replace(/^a=(sendonly|recvonly|inactive)(?=\r?$)/gm, 'a=sendrecv');
}
