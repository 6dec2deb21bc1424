import { describe, expect, it } from 'vitest';
import { screenInbound } from '../src/core/inbound-screen.js';
import type { SipRequest, SipUri } from '../src/index.js';
import { rfc5118, vectorNames } from './vectors.js';

/** RFC 5118 "SIP Torture Test Messages for IPv6", each against its README class. */
function accepted(name: string): SipRequest {
  const result = screenInbound(rfc5118(name), { datagram: true });
  if (result.kind !== 'request')
    throw new Error(`${name}: expected a request, got ${JSON.stringify(result)}`);
  return result.request;
}

function rejected(name: string, reason: RegExp): void {
  const result = screenInbound(rfc5118(name), { datagram: true });
  if (result.kind !== 'reject') throw new Error(`${name}: expected a rejection, got ${result.kind}`);
  expect(result.response.status).toBe(400);
  expect(result.response.reason).toMatch(reason);
}

function sipUri(request: SipRequest): SipUri {
  const uri = request.uri;
  if (uri.kind !== 'sip') throw new Error('sip URI expected');
  return uri;
}

const cases: Record<string, () => void> = {
  'ipv6-good'() {
    const r = accepted('ipv6-good');
    expect(sipUri(r)).toMatchObject({ host: '2001:db8::10', hostKind: 'ipv6', port: undefined });
    expect(r.via).toMatchObject({ host: '2001:db8::9:1', hostKind: 'ipv6' });
    expect(r.contacts[0]?.uri).toMatchObject({ host: '2001:db8::1', hostKind: 'ipv6' });
  },
  'ipv6-bad': () => rejected('ipv6-bad', /^Malformed Request-URI/),
  'port-ambiguous'() {
    expect(sipUri(accepted('port-ambiguous'))).toMatchObject({ host: '2001:db8::10:5070', port: undefined });
  },
  'port-unambiguous'() {
    expect(sipUri(accepted('port-unambiguous'))).toMatchObject({ host: '2001:db8::10', port: 5070 });
  },
  'via-received-param-with-delim'() {
    expect(accepted('via-received-param-with-delim').via.received).toBe('2001:db8::9:255');
  },
  'via-received-param-no-delim'() {
    expect(accepted('via-received-param-no-delim').via.received).toBe('2001:db8::9:255');
  },
  'mult-ip-in-sdp'() {
    expect(accepted('mult-ip-in-sdp').body.toString()).toContain('IN IP6 2001:db8::');
  },
  'ipv6-in-sdp'() {
    expect(accepted('ipv6-in-sdp').body.toString()).toContain('c=IN IP6 2001:db8::20');
  },
  'mult-ip-in-header'() {
    const r = accepted('mult-ip-in-header');
    expect(r.vias.map((v) => [v.host, v.port, v.received])).toEqual([
      ['2001:db8::9:1', 6050, undefined],
      ['192.0.2.1', undefined, undefined],
      ['2001:db8::9:255', undefined, '192.0.2.200'],
    ]);
  },
  'ipv4-mapped-ipv6'() {
    const r = accepted('ipv4-mapped-ipv6');
    expect(r.via).toMatchObject({ host: '::ffff:192.0.2.10', port: 19823 });
    expect(r.contacts[0]?.uri).toMatchObject({ host: '::ffff:192.0.2.2' });
  },
  'ipv6-bug-abnf-3-colons': () => rejected('ipv6-bug-abnf-3-colons', /^Malformed (Request-URI|To)/),
  'ipv6-correct-abnf-2-colons'() {
    expect(sipUri(accepted('ipv6-correct-abnf-2-colons'))).toMatchObject({ host: '2001:db8::192.0.2.1' });
  },
};

describe('RFC 5118 IPv6 torture messages', () => {
  it('covers every vector file with a case', () => {
    expect(Object.keys(cases).sort()).toEqual(vectorNames('rfc5118'));
  });
  for (const [name, check] of Object.entries(cases)) it(name, check);
});
