import { describe, expect, it } from 'vitest';
import { formatUri, parseUri, SipParseError, sipUri, uriEquals } from '../src/index.js';

describe('URIs (RFC 3261 §19.1, RFC 5118, RFC 3966)', () => {
  it('parses a full SIP URI and writes it back', () => {
    const uri = parseUri(
      'sips:alice:secret@[2001:db8::1]:5061;transport=tcp;lr?subject=project%20x&priority=urgent',
    );
    expect(uri).toMatchObject({
      kind: 'sip',
      scheme: 'sips',
      user: 'alice',
      password: 'secret',
      host: '2001:db8::1',
      hostKind: 'ipv6',
      port: 5061,
      headers: [
        ['subject', 'project x'],
        ['priority', 'urgent'],
      ],
    });
    expect(uri.kind === 'sip' && [...uri.params]).toEqual([
      ['transport', 'tcp'],
      ['lr', null],
    ]);
    expect(formatUri(uri)).toBe(
      'sips:alice:secret@[2001:db8::1]:5061;transport=tcp;lr?subject=project%20x&priority=urgent',
    );
  });

  it('decodes escapes and escapes again only where needed', () => {
    const uri = parseUri('sip:%61lice%20b@example.com');
    expect(uri).toMatchObject({ user: 'alice b' });
    expect(formatUri(uri)).toBe('sip:alice%20b@example.com');
  });

  it('reads tel and other schemes', () => {
    expect(parseUri('tel:+1-201-555-0123;phone-context=example.com')).toMatchObject({
      kind: 'tel',
      number: '+1-201-555-0123',
    });
    expect(parseUri('urn:service:sos')).toEqual({ kind: 'other', scheme: 'urn', opaque: 'service:sos' });
  });

  it.each([
    ['no scheme', 'alice@example.com'],
    ['space', 'sip:alice @example.com'],
    ['bad port', 'sip:example.com:99999'],
    ['IPv6 with three colons', 'sip:[2001:db8:::1]'],
    ['IPv6 without brackets', 'sip:2001:db8::10'],
    ['bad escape', 'sip:al%zzice@example.com'],
    ['empty parameter', 'sip:example.com;;lr'],
    ['numeric top label', 'sip:host.123'],
    ['empty host', 'sip:alice@'],
  ])('rejects %s', (_label, text) => {
    expect(() => parseUri(text)).toThrow(SipParseError);
  });

  it('compares by RFC 3261 §19.1.4', () => {
    const eq = (a: string, b: string) => uriEquals(parseUri(a), parseUri(b));
    expect(eq('sip:%61lice@atlanta.com;transport=TCP', 'sip:alice@AtLanTa.CoM;Transport=tcp')).toBe(true);
    expect(eq('sip:carol@chicago.com', 'sip:carol@chicago.com;newparam=5')).toBe(true);
    expect(eq('sip:alice@atlanta.com', 'sip:alice@atlanta.com:5060')).toBe(false);
    expect(eq('sip:bob@biloxi.com', 'sip:bob@biloxi.com;transport=udp')).toBe(false);
    expect(eq('sip:carol@chicago.com;security=on', 'sip:carol@chicago.com;security=off')).toBe(false);
    expect(eq('sip:ALICE@atlanta.com', 'sip:alice@atlanta.com')).toBe(false);
  });

  it('builds URIs from parts', () => {
    expect(formatUri(sipUri({ user: '1001', host: '::1', port: 5060, params: [['transport', 'tcp']] }))).toBe(
      'sip:1001@[::1]:5060;transport=tcp',
    );
    expect(() => sipUri({ host: 'bad host' })).toThrow(SipParseError);
  });
});
