import { describe, expect, it } from 'vitest';
import {
  parseMessage,
  type SipMessage,
  SipRequest,
  SipResponse,
  serializeMessage,
  validateRequest,
} from '../src/index.js';
import { allVectors } from './vectors.js';

/** serialize(parse(x)) keeps the meaning of every vector that parses. */
function meaning(message: SipMessage) {
  const start =
    message instanceof SipRequest
      ? [message.method, message.uriText, message.version]
      : [(message as SipResponse).status, (message as SipResponse).reason];
  return {
    start,
    headers: message.headers.filter((h) => h.key !== 'content-length').map((h) => [h.key, h.value]),
    body: message.body.toString('hex'),
  };
}

function typed(message: SipMessage) {
  return {
    vias: message.vias,
    from: message.from,
    to: message.to,
    callId: message.callId,
    cseq: message.cseq,
  };
}

describe('round trip', () => {
  for (const [name, bytes] of allVectors()) {
    const first = parseMessage(bytes, { datagram: true });
    if (!first.ok) continue;
    it(name, () => {
      const wire = serializeMessage(first.message);
      // Once written, the message is valid on a stream too: Content-Length is exact.
      const second = parseMessage(wire, { datagram: false });
      if (!second.ok) throw new Error(second.fault.reason);
      expect(meaning(second.message)).toEqual(meaning(first.message));
      expect(serializeMessage(second.message)).toEqual(wire);
      const valid = first.message instanceof SipRequest ? validateRequest(first.message) === undefined : true;
      if (valid && first.message.has('cseq') && first.message.vias.length > 0) {
        let typedFirst: unknown;
        try {
          typedFirst = typed(first.message);
        } catch {
          return;
        }
        expect(typed(second.message)).toEqual(typedFirst);
      }
    });
  }

  it('writes canonical header names and a correct Content-Length', () => {
    const raw = 'OPTIONS sip:a@b SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bKx\r\ni: c\r\nl: 99\r\n\r\n';
    const parsed = parseMessage(Buffer.from(raw), { datagram: true });
    expect(parsed.ok).toBe(false); // 99 > 0 octets
    const request = new SipRequest({
      method: 'OPTIONS',
      uri: 'sip:a@b',
      headers: [
        ['v', 'SIP/2.0/UDP h;branch=z9hG4bKx'],
        ['i', 'c'],
        ['l', '99'],
      ],
      body: 'hello',
    });
    expect(serializeMessage(request).toString()).toBe(
      'OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKx\r\nCall-ID: c\r\nContent-Length: 5\r\n\r\nhello',
    );
    const response = new SipResponse({ status: 486 });
    expect(serializeMessage(response).toString()).toBe('SIP/2.0 486 Busy Here\r\nContent-Length: 0\r\n\r\n');
  });
});
