import { describe, expect, it } from 'vitest';
import {
  formatNameAddr,
  formatVia,
  parseAuthHeader,
  parseNameAddr,
  parseVia,
  SipParseError,
  SipRequest,
  stampReceived,
} from '../src/index.js';

function request(headers: Array<[string, string]>): SipRequest {
  return new SipRequest({ method: 'INVITE', uri: 'sip:b@example.com', headers });
}

describe('typed header values', () => {
  it('reads name-addr and addr-spec forms', () => {
    const a = parseNameAddr(
      '"Alice \\"A\\"" <sip:alice@example.com;transport=tcp>;tag=abc;+sip.instance="<urn:x>"',
      'From',
    );
    expect(a.displayName).toBe('Alice "A"');
    expect(a.params.get('tag')).toBe('abc');
    expect(a.params.get('+sip.instance')).toBe('"<urn:x>"');
    expect(formatNameAddr(a)).toBe(
      '"Alice \\"A\\"" <sip:alice@example.com;transport=tcp>;tag=abc;+sip.instance="<urn:x>"',
    );
    const b = parseNameAddr('sip:bob@example.com;tag=x', 'To');
    expect(b.uri).toMatchObject({ user: 'bob' });
    expect(b.params.get('tag')).toBe('x');
  });

  it.each([
    ['unterminated quote', '"Alice <sip:a@b>'],
    ['space inside <>', '< sip:a@b>'],
    ['comma in display name', 'A, B <sip:a@b>'],
    ['empty parameter', '<sip:a@b>;;tag=1'],
    ['text after params', '<sip:a@b>;tag=1 junk'],
    ['nothing', ''],
  ])('rejects a name-addr with %s', (_label, value) => {
    expect(() => parseNameAddr(value, 'From').uri).toThrow(SipParseError);
  });

  it('reads Via with LWS, IPv6 and RFC 3581 rport', () => {
    const via = parseVia('SIP / 2.0 / udp [2001:db8::1]:5070 ; branch = z9hG4bKabc ; rport');
    expect(via).toMatchObject({
      transport: 'UDP',
      host: '2001:db8::1',
      port: 5070,
      branch: 'z9hG4bKabc',
      rport: null,
    });
    const stamped = stampReceived(via, '2001:db8::99', 40000);
    expect(formatVia(stamped)).toBe(
      'SIP/2.0/UDP [2001:db8::1]:5070;branch=z9hG4bKabc;rport=40000;received=2001:db8::99',
    );
    expect(
      stampReceived(parseVia('SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKx'), '192.0.2.1', 5060).received,
    ).toBeUndefined();
    expect(() => parseVia('SIP/2.0/UDP host;rport=x')).toThrow(SipParseError);
    expect(() => parseVia('SIP/2.0/UDP host;received=not-an-ip')).toThrow(SipParseError);
    expect(() => parseVia('SIP/2.0/UDP')).toThrow(SipParseError);
  });

  it.each([
    'SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776;rport',
    'SIP/2.0/tcp pc33.example.com;branch=z9hG4bKx;received=192.0.2.1;rport=5070',
    'SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKy;maddr=224.2.0.1;ttl=16',
    'SIP/2.0/UDP host.example;branch=z9hG4bKz;x-extra="a b";flag',
    'SIP/2.0/SCTP 10.0.0.1:65535',
  ])('reads the usual Via form as the grammar does with any white space: %s', (value) => {
    // Extra white space around "/" and ";" takes the general path; both must agree.
    const spaced = value.replaceAll('/', ' / ').replaceAll(';', ' ; ').replace(' ', '   ');
    expect(parseVia(value)).toEqual(parseVia(spaced));
  });

  it.each([
    ['a port above 65535', 'SIP/2.0/UDP host:65536;branch=z9hG4bKa'],
    ['a six-digit port', 'SIP/2.0/UDP host:050600'],
    ['a bad maddr alone', 'SIP/2.0/UDP host;maddr=a..b'],
    ['a bad ttl alone', 'SIP/2.0/UDP host;ttl=300'],
    ['a bad host', 'SIP/2.0/UDP -host;branch=z9hG4bKa'],
    ['an all-digit host', 'SIP/2.0/UDP 1234;branch=z9hG4bKa'],
    ['a bad branch', 'SIP/2.0/UDP host;branch="quoted"'],
  ])('rejects a Via with %s', (_label, value) => {
    expect(() => parseVia(value)).toThrow(SipParseError);
  });

  it('reads auth headers', () => {
    const h = parseAuthHeader(
      'Digest username="bob", realm="biloxi.com", nc=00000001, qop=auth, uri="sip:a@b"',
      'Authorization',
    );
    expect(h.scheme).toBe('Digest');
    expect(h.params.get('nc')).toBe('00000001');
    expect(h.params.get('uri')).toBe('sip:a@b');
    expect(() => parseAuthHeader('Digest realm="x" nonce="y"', 'WWW-Authenticate')).toThrow(SipParseError);
  });

  it('reads the PBX headers', () => {
    const r = request([
      ['Event', 'dialog;id=7'],
      ['Subscription-State', 'active;expires=600'],
      ['Refer-To', '<sip:1003@acme.example?Replaces=abc%40h%3Bto-tag%3D1%3Bfrom-tag%3D2>'],
      ['Replaces', 'abc@h;to-tag=1;from-tag=2;early-only'],
      ['x', '1800;refresher=uac'],
      ['P-Asserted-Identity', '"Alice" <sip:1001@acme.example>, <tel:+15551234567>'],
      ['Require', 'timer, 100rel'],
      ['k', 'replaces'],
      ['Allow', 'INVITE, ACK, BYE'],
      ['Expires', '99999999999999'],
      ['Content-Type', 'application/SDP'],
    ]);
    expect(r.event).toMatchObject({ type: 'dialog', id: '7' });
    expect(r.subscriptionState).toMatchObject({ state: 'active', expires: 600 });
    expect(r.referTo?.uri).toMatchObject({ headers: [['Replaces', 'abc@h;to-tag=1;from-tag=2']] });
    expect(r.replaces).toEqual({ callId: 'abc@h', toTag: '1', fromTag: '2', earlyOnly: true });
    expect(r.sessionExpires).toMatchObject({ delta_s: 1800, refresher: 'uac' });
    expect(r.pAssertedIdentities.map((p) => p.uri.scheme)).toEqual(['sip', 'tel']);
    expect(r.require).toEqual(['timer', '100rel']);
    expect(r.supported).toEqual(['replaces']);
    expect(r.allow).toEqual(['INVITE', 'ACK', 'BYE']);
    expect(r.expires).toBe(2 ** 32 - 1);
    expect(r.contentType).toMatchObject({ type: 'application', subtype: 'sdp' });
  });

  it('edits headers and drops cached values', () => {
    const r = request([
      ['Via', 'SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP b;branch=z9hG4bK2'],
      ['Via', 'SIP/2.0/UDP c;branch=z9hG4bK3'],
      ['From', '<sip:a@b>;tag=1'],
    ]);
    expect(r.vias.map((v) => v.host)).toEqual(['a', 'b', 'c']);
    r.prependHeader('Via', 'SIP/2.0/TCP top;branch=z9hG4bK0');
    expect(r.via.host).toBe('top');
    expect(r.vias).toHaveLength(4);
    r.removeTopVia();
    r.removeTopVia();
    expect(r.vias.map((v) => v.host)).toEqual(['b', 'c']);
    r.setHeader('From', '<sip:x@y>;tag=2');
    expect(r.fromTag).toBe('2');
    expect(() => r.setHeader('Subject', 'a\r\nInjected: 1')).toThrow(SipParseError);
  });

  it('refuses duplicate single-valued headers', () => {
    const r = request([
      ['Call-ID', 'a'],
      ['i', 'b'],
    ]);
    expect(() => r.callId).toThrow(/Duplicate Call-ID/);
  });
});
