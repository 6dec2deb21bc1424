import { describe, expect, it } from 'vitest';
import { DEFAULT_PARSE_LIMITS, parseMessage, SipRequest, screenInbound } from '../src/index.js';

const OPTIONS = 'OPTIONS sip:a@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nCall-ID: x\r\n';

function parse(text: string, datagram = true) {
  return parseMessage(Buffer.from(text, 'latin1'), { datagram });
}

describe('parser', () => {
  it('reads a request and ignores CRLFs before it (§7.5)', () => {
    const result = parse(`\r\n\r\n${OPTIONS}Content-Length: 0\r\n\r\n`, false);
    expect(result.ok && result.message instanceof SipRequest && result.message.method).toBe('OPTIONS');
  });

  it('unfolds continuation lines', () => {
    const result = parse(`${OPTIONS}Subject: one\r\n  two\r\n\ttwo and a half\r\nContent-Length: 0\r\n\r\n`);
    expect(result.ok && result.message.header('subject')).toBe('one two two and a half');
  });

  it.each([
    ['no blank line', `${OPTIONS}Content-Length: 0\r\n`, /Truncated/],
    ['header without colon', `${OPTIONS}Bogus\r\n\r\n`, /without colon/],
    ['bad header name', `${OPTIONS}Bad Name: x\r\n\r\n`, /header name/],
    ['bare LF', `${OPTIONS}Subject: a\nb\r\n\r\n`, /Bare CR or LF/],
    ['body shorter than Content-Length', `${OPTIONS}Content-Length: 10\r\n\r\nabc`, /larger than message/],
    ['negative Content-Length', `${OPTIONS}Content-Length: -1\r\n\r\n`, /Malformed Content-Length/],
    [
      'huge Content-Length',
      `${OPTIONS}Content-Length: 99999999999999999999\r\n\r\n`,
      /Malformed Content-Length/,
    ],
    ['bad status code', 'SIP/2.0 1000 Hmm\r\n\r\n', /Malformed Status-Line/],
    ['status below 100', 'SIP/2.0 099 Hmm\r\n\r\n', /out of range/],
    ['binary start line', '\x00\x01\x02\r\n\r\n', /Request-Line/],
  ])('reports %s', (_label, text, reason) => {
    const result = parse(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.fault.reason).toMatch(reason);
  });

  it('requires an exact Content-Length on streams', () => {
    const missing = parse(`${OPTIONS}\r\n`, false);
    expect(!missing.ok && missing.fault.reason).toBe('Missing Content-Length');
    const extra = parse(`${OPTIONS}Content-Length: 1\r\n\r\nab`, false);
    expect(!extra.ok && extra.fault.reason).toBe('Content-Length smaller than message');
  });

  it('keeps what it read of a malformed request so a 400 can be sent', () => {
    const result = parse(`${OPTIONS}Content-Length: 1\r\nContent-Length: 2\r\n\r\nab`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.partial?.header('call-id')).toBe('x');
  });

  it('enforces its limits', () => {
    const many = `${OPTIONS}${'X-A: 1\r\n'.repeat(DEFAULT_PARSE_LIMITS.maxHeaders + 1)}\r\n`;
    const tooMany = parse(many);
    expect(!tooMany.ok && tooMany.fault.code).toBe('too-many-headers');
    const long = parse(`${OPTIONS}X-Long: ${'a'.repeat(DEFAULT_PARSE_LIMITS.maxHeaderBytes)}\r\n\r\n`);
    expect(!long.ok && long.fault.code).toBe('header-too-long');
    const folded = parse(
      `${OPTIONS}X-Long: a${'\r\n aaaaaaaa'.repeat(DEFAULT_PARSE_LIMITS.maxHeaderBytes / 8)}\r\n\r\n`,
    );
    expect(!folded.ok && folded.fault.code).toBe('header-too-long');
    const big = parseMessage(Buffer.alloc(DEFAULT_PARSE_LIMITS.maxMessageBytes + 1, 0x41), {
      datagram: true,
    });
    expect(!big.ok && big.fault.status).toBe(513);
  });
});

describe('inbound screen', () => {
  it('treats header fields named like JavaScript object members as unknown headers', () => {
    const text =
      'OPTIONS sip:a@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:b@example.com>;tag=1\r\n' +
      'To: <sip:a@example.com>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n__proto__: x\r\nconstructor: y\r\ntoString: z\r\n' +
      'Content-Length: 0\r\n\r\n';
    const screened = screenInbound(Buffer.from(text), { datagram: true });
    expect(screened.kind).toBe('request');
  });

  it('reads a header section with non-ASCII text and still finds the body', () => {
    const text =
      'MESSAGE sip:a@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: "Jürgen Größe" <sip:b@example.com>;tag=1\r\n' +
      'To: <sip:a@example.com>\r\nCall-ID: x\r\nCSeq: 1 MESSAGE\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhé!!';
    const result = parseMessage(Buffer.from(text, 'utf8'), { datagram: false });
    expect(result.ok && result.message.from.displayName).toBe('Jürgen Größe');
    expect(result.ok && result.message.body.toString('utf8')).toBe('hé!!');
  });
});
