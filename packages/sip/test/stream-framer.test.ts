import { describe, expect, it } from 'vitest';
import { StreamFramer } from '../src/index.js';

const message = (body = '') =>
  `OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

describe('stream framing by Content-Length (RFC 3261 §18.3)', () => {
  it('reassembles a message from single bytes and splits several in one chunk', () => {
    const framer = new StreamFramer(65_535);
    const text = message('hello');
    const frames = [...Buffer.from(text)].flatMap((byte) => framer.push(Buffer.from([byte])));
    expect(frames).toEqual([{ kind: 'message', data: Buffer.from(text) }]);
    const two = framer.push(Buffer.from(message('a') + message('bc')));
    expect(two.map((f) => f.kind === 'message' && f.data.toString())).toEqual([message('a'), message('bc')]);
    expect(framer.pendingBytes).toBe(0);
  });

  it('answers CRLFCRLF keep-alives and skips lone CRLFs (RFC 5626 §3.5.1)', () => {
    const framer = new StreamFramer(65_535);
    expect(framer.push(Buffer.from('\r\n\r\n'))).toEqual([{ kind: 'ping' }]);
    expect(framer.push(Buffer.from('\r\n'))).toEqual([]);
    expect(framer.push(Buffer.from(message()))).toHaveLength(1);
  });

  it.each([
    ['missing', 'OPTIONS sip:a@b SIP/2.0\r\nVia: x\r\n\r\n', /missing Content-Length/],
    ['malformed', 'OPTIONS sip:a@b SIP/2.0\r\nl: 12abc\r\n\r\n', /malformed Content-Length/],
    ['repeated', 'OPTIONS sip:a@b SIP/2.0\r\nl: 1\r\nContent-Length: 1\r\n\r\n', /multiple/],
  ])('fails on a %s Content-Length, handing over the header section', (_label, text, reason) => {
    const framer = new StreamFramer(65_535);
    const [frame] = framer.push(Buffer.from(text));
    expect(frame?.kind).toBe('fatal');
    if (frame?.kind === 'fatal') {
      expect(frame.reason).toMatch(reason);
      expect(frame.head?.toString()).toBe(text);
    }
    expect(framer.push(Buffer.from(message()))).toEqual([]); // framing is lost for good
  });

  it('never buffers past the message limit', () => {
    const framer = new StreamFramer(1000);
    expect(framer.push(Buffer.alloc(900, 0x41))).toEqual([]);
    expect(framer.push(Buffer.alloc(200, 0x41))[0]).toMatchObject({
      kind: 'fatal',
      reason: 'header section too large',
    });
    const big = new StreamFramer(100);
    expect(big.push(Buffer.from(message('x'.repeat(200))))[0]).toMatchObject({
      kind: 'fatal',
      reason: 'message too large',
    });
    expect(big.pendingBytes).toBe(0);
  });
});
