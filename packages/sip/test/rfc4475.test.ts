import { describe, expect, it } from 'vitest';
import { type Screened, screenInbound } from '../src/core/inbound-screen.js';
import { checkMaxForwards, parseMessage, SipRequest, SipResponse } from '../src/index.js';
import { rfc4475, vectorNames } from './vectors.js';

/**
 * RFC 4475 "SIP Torture Test Messages": every message against the class the
 * vectors' README gives it (valid, invalid, either, semantic), as a UDP
 * datagram through the stack's inbound screen (parse + validate).
 */
function screen(name: string): Screened {
  return screenInbound(rfc4475(name), { datagram: true });
}

function accepted(name: string): SipRequest {
  const result = screen(name);
  if (result.kind !== 'request')
    throw new Error(`${name}: expected a request, got ${JSON.stringify(result)}`);
  return result.request;
}

function rejected(name: string, status: number, reason: RegExp): SipResponse {
  const result = screen(name);
  if (result.kind !== 'reject') throw new Error(`${name}: expected a rejection, got ${result.kind}`);
  expect(result.response.status).toBe(status);
  expect(result.response.reason).toMatch(reason);
  // The answer goes back along the request's Via and names its transaction.
  expect(result.response.header('via')).toBe(result.request.header('via'));
  return result.response;
}

function dropped(name: string): string {
  const result = screen(name);
  if (result.kind !== 'drop') throw new Error(`${name}: expected a drop, got ${result.kind}`);
  return result.reason;
}

const cases: Record<string, () => void> = {
  // ---- 3.1.1 valid messages ----
  wsinv() {
    const r = accepted('wsinv');
    expect(r.method).toBe('INVITE');
    expect(r.to.params.get('tag')).toBe('1918181833n');
    expect(r.from.displayName).toBe('J Rosenberg \\"');
    expect(r.fromTag).toBe('98asjd8');
    expect(r.maxForwards).toBe(68);
    expect(r.cseq).toEqual({ seq: 9, method: 'INVITE' });
    expect(r.vias.map((v) => [v.transport, v.host, v.branch])).toEqual([
      ['UDP', '192.0.2.2', '390skdjuw'],
      ['TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
      ['UDP', '192.168.255.111', 'z9hG4bK30239'],
    ]);
    expect(r.contacts[0]?.displayName).toBe('Quoted string ""');
    expect(r.contacts[0]?.params.get('newparam')).toBe('newvalue');
    expect(r.contacts[0]?.params.get('q')).toBe('0.33');
    expect(r.header('NewFangledHeader')).toBe('newfangled value continued newfangled value');
    expect(r.header('s')).toBe('');
    expect(r.routes[0]?.uri).toMatchObject({ host: 'services.example.com' });
    expect(r.body.length).toBe(150);
  },
  intmeth() {
    const r = accepted('intmeth');
    expect(r.method).toBe("!interesting-Method0123456789_*+`.%indeed'~");
    expect(r.cseq.method).toBe(r.method);
    expect(r.uri).toMatchObject({
      user: "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*",
      password: "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)",
      host: 'example.com',
    });
    expect(r.to.displayName).toBe('BEL:\x07 NUL:\x00 DEL:\x7f');
    expect(r.from.displayName).toBe("token1~` token2'+_ token3*%!.-");
    expect(r.fromTag).toBe("_token~1'+`*%!-.");
    expect(r.from.params.get("fromparam''~+*_!.-%")).toBe('"работающий"');
    expect(r.callId).toBe('intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{');
    expect(r.header("extensionHeader-!.%*+_`'~")).toBe('\ufeff大停電');
  },
  esc01() {
    const r = accepted('esc01');
    expect(r.uri).toMatchObject({ user: 'sips:user@example.com', host: 'example.net' });
    expect(r.to.uri).toMatchObject({ user: 'user' });
    expect(r.from.uri).toMatchObject({ user: 'I have spaces' });
    const contact = r.contacts[0]?.uri;
    expect(contact).toMatchObject({ user: 'caller' });
    if (contact?.kind !== 'sip') throw new Error('sip contact expected');
    expect(contact.params.get('lr')).toBeNull();
    expect(contact.params.get('name')).toBe('value%41');
  },
  escnull() {
    const r = accepted('escnull');
    expect(r.to.uri).toMatchObject({ user: 'null-\x00-null' });
    expect(r.contacts.map((c) => (c.uri.kind === 'sip' ? c.uri.user : ''))).toEqual(['\x00', '\x00\x00']);
  },
  esc02() {
    const r = accepted('esc02');
    expect(r.method).toBe('RE%47IST%45R'); // not REGISTER: the TU answers 405/501
    expect(r.toTag).toBeUndefined();
    expect(r.to.displayName).toBe('%Z%45');
    expect(r.via.branch).toBe('z9hG4bK209%fzsnel234');
    expect(r.contacts).toHaveLength(2); // C%6Fntact is an unknown header
    expect(r.header('C%6Fntact')).toBe('<sip:alias2@host2.example.com>');
  },
  lwsdisp() {
    expect(accepted('lwsdisp').from.displayName).toBe('caller');
  },
  longreq() {
    const r = accepted('longreq');
    expect(r.vias.length).toBeGreaterThan(30);
    expect(r.to.displayName).toMatch(/^I have a user name of (extreme)+ proportion$/);
    expect(r.callId).toMatch(/^longreq\.one(really)+longcallid$/);
    expect(r.from.uri.kind === 'sip' && r.from.uri.user?.length).toBeGreaterThan(100);
  },
  dblreq() {
    const r = accepted('dblreq');
    expect(r.method).toBe('REGISTER');
    expect(r.body.length).toBe(0);
    const parsed = parseMessage(rfc4475('dblreq'), { datagram: true });
    expect(parsed.ok && parsed.ignoredBytes).toBeGreaterThan(100);
  },
  semiuri() {
    const r = accepted('semiuri');
    expect(r.uri).toMatchObject({ user: 'user;par=u@example.net', host: 'example.com' });
    expect(r.uri.kind === 'sip' && r.uri.params.size).toBe(0);
    expect(r.accept?.map((m) => `${m.type}/${m.subtype}`)).toEqual([
      'application/sdp',
      'application/pkcs7-mime',
      'multipart/mixed',
      'multipart/signed',
      'message/sip',
      'message/sipfrag',
    ]);
  },
  transports() {
    expect(accepted('transports').vias.map((v) => v.transport)).toEqual([
      'UDP',
      'SCTP',
      'TLS',
      'UNKNOWN',
      'TCP',
    ]);
  },
  mpart01() {
    const r = accepted('mpart01');
    expect(r.contentType?.type).toBe('multipart');
    expect(r.contentType?.params.get('boundary')).toBe('7a9cbec02ceef655');
    expect(r.date?.toISOString()).toBe('2005-10-15T04:44:56.000Z');
  },
  unreason() {
    const result = screen('unreason');
    if (result.kind !== 'response') throw new Error(result.kind);
    expect(result.response.status).toBe(200);
    expect(result.response.reason).toMatch(/^= 2\*\*3 \* 5\*\*2 \u043d\u043e/);
  },
  noreason() {
    const result = screen('noreason');
    if (result.kind !== 'response') throw new Error(result.kind);
    expect(result.response.status).toBe(100);
    expect(result.response.reason).toBe('');
  },

  // ---- 3.1.2 invalid messages ----
  badinv01: () => rejected('badinv01', 400, /^Malformed Via/),
  clerr: () => rejected('clerr', 400, /Content-Length larger than message/),
  ncl: () => rejected('ncl', 400, /Malformed Content-Length/),
  scalar02: () => rejected('scalar02', 400, /^Malformed CSeq: sequence number out of range/),
  scalarlg: () => expect(dropped('scalarlg')).toMatch(/CSeq/),
  quotbal: () => rejected('quotbal', 400, /^Malformed To: unterminated quoted string/),
  ltgtruri: () => rejected('ltgtruri', 400, /^Malformed Request-URI/),
  lwsruri: () => rejected('lwsruri', 400, /^Malformed Request-Line/),
  lwsstart: () => rejected('lwsstart', 400, /^Malformed Request-Line/),
  trws() {
    // either: accepting is allowed; this stack tolerates the trailing SP.
    expect(accepted('trws').version).toBe('SIP/2.0');
  },
  escruri: () => rejected('escruri', 400, /Request-URI must not contain headers/),
  baddate: () => rejected('baddate', 400, /^Malformed Date/),
  regbadct: () => rejected('regbadct', 400, /^Malformed Contact/),
  badaspec: () => rejected('badaspec', 400, /^Malformed To/),
  baddn: () => rejected('baddn', 400, /^Malformed From: display name/),
  badvers: () => rejected('badvers', 505, /Version Not Supported/),
  mismatch01: () => rejected('mismatch01', 400, /CSeq method does not match/),
  mismatch02: () => rejected('mismatch02', 400, /CSeq method does not match/),
  bigcode: () => expect(dropped('bigcode')).toMatch(/Status code out of range|Malformed Status-Line/),

  // ---- 3.2 transaction layer semantics ----
  badbranch() {
    // Well-formed; the transaction layer matches it by RFC 2543 rules (see transaction tests).
    const r = accepted('badbranch');
    expect(r.via.branch).toBe('z9hG4bK');
  },

  // ---- 3.3 application layer semantics ----
  insuf: () => rejected('insuf', 400, /^Missing (To|From|Call-ID)/),
  unkscm: () => rejected('unkscm', 416, /Unsupported URI Scheme/),
  novelsc: () => rejected('novelsc', 416, /Unsupported URI Scheme/),
  unksm2() {
    const r = accepted('unksm2');
    expect(r.to.uri).toEqual({ kind: 'other', scheme: 'isbn', opaque: '2983792873' });
    expect(r.from.uri).toMatchObject({ kind: 'other', scheme: 'http' });
    expect(r.contacts[0]?.uri).toMatchObject({ kind: 'other', scheme: 'name' });
  },
  bext01() {
    const response = rejected('bext01', 420, /Bad Extension/);
    expect(response.header('unsupported')).toBe(
      'nothingSupportsThis, nothingSupportsThisEither, noProxiesSupportThis, norDoAnyProxiesSupportThis',
    );
  },
  invut() {
    const response = rejected('invut', 415, /Unsupported Media Type/);
    expect(response.header('accept')).toContain('application/sdp');
  },
  regaut01() {
    // Well-formed; the digest server answers the unknown scheme with a 401 challenge (digest tests).
    const r = accepted('regaut01');
    expect(r.authorizations[0]?.scheme).toBe('NoOneKnowsThisScheme');
  },
  multi01: () => rejected('multi01', 400, /^Duplicate (CSeq|Call-ID|To|From|Max-Forwards)/),
  mcl01: () => rejected('mcl01', 400, /Multiple Content-Length/),
  bcast() {
    // A UA drops a response with more than one Via (§8.1.3.3) instead of routing it to 255.255.255.255.
    expect(dropped('bcast')).toMatch(/More than one Via/);
  },
  zeromf() {
    const r = accepted('zeromf');
    expect(r.maxForwards).toBe(0);
    expect(checkMaxForwards(r)).toMatchObject({ status: 483 });
  },
  cparam01() {
    const contact = accepted('cparam01').contacts[0]!;
    expect(contact.params.has('unknownparam')).toBe(true);
    expect(contact.uri.kind === 'sip' && contact.uri.params.size).toBe(0);
  },
  cparam02() {
    const contact = accepted('cparam02').contacts[0]!;
    expect(contact.params.size).toBe(0);
    expect(contact.uri.kind === 'sip' && contact.uri.params.has('unknownparam')).toBe(true);
  },
  regescrt() {
    const contact = accepted('regescrt').contacts[0]!;
    expect(contact.uri.kind === 'sip' && contact.uri.headers).toEqual([['Route', '<sip:sip.example.com>']]);
  },
  sdp01: () => rejected('sdp01', 406, /Not Acceptable/),

  // ---- 3.4 backward compatibility ----
  inv2543() {
    const r = accepted('inv2543');
    expect(r.via.branch).toBeUndefined();
    expect(r.fromTag).toBeUndefined();
    expect(r.maxForwards).toBeUndefined();
    expect(r.body.toString()).toMatch(/^v=0\r\n[\s\S]*m=audio 49217 RTP\/AVP 0\r\n$/);
  },
};

describe('RFC 4475 torture messages', () => {
  it('covers every vector file with a case', () => {
    expect(Object.keys(cases).sort()).toEqual(vectorNames('rfc4475'));
  });
  for (const [name, check] of Object.entries(cases)) {
    it(name, check);
  }
  it('answers a rejected INVITE with a To tag, as a UAS must (§8.2.6.2)', () => {
    const response = rejected('invut', 415, /./);
    expect(response.toTag).toMatch(/^[0-9a-f]{16}$/);
    expect(response).toBeInstanceOf(SipResponse);
  });
  it('never answers a malformed ACK', () => {
    const ack = rfc4475('mismatch01')
      .toString('latin1')
      .replace(/^OPTIONS/, 'ACK')
      .replace('CSeq: 8 INVITE', 'CSeq: 8 ACK');
    const bad = ack.replace(
      'From: sip:caller@example.net;tag=34525',
      'From: "unterminated <sip:caller@example.net>',
    );
    expect(screenInbound(Buffer.from(bad, 'latin1'), { datagram: true }).kind).toBe('drop');
  });
  it('hands a request over as SipRequest', () => {
    expect(accepted('zeromf')).toBeInstanceOf(SipRequest);
  });
});
