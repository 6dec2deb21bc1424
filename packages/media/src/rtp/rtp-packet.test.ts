import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRtpPacket, serializeRtpPacket, writeRtpHeader } from './rtp-packet.js';

function vectors(name: string): Buffer[] {
  return readFileSync(new URL(`./vectors/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => Buffer.from(line, 'hex'));
}

describe('RTP packet (RFC 3550 §5.1)', () => {
  it('parses the captured telephone-event packets of sip-tester', () => {
    const packets = vectors('dtmf-2833-digit-1.hex').map((buffer) => {
      const result = parseRtpPacket(buffer);
      if (!result.ok) throw new Error(result.reason);
      return result.packet;
    });
    expect(packets).toHaveLength(10);
    expect(packets[0]).toMatchObject({
      marker: true,
      payloadType: 101,
      sequenceNumber: 0x1f30,
      timestamp: 0x33e0,
    });
    expect(packets[0]!.ssrc).toBe(0x0e05384e);
    expect(packets.slice(1).every((p) => !p.marker && p.timestamp === 0x33e0)).toBe(true);
    expect([...packets[7]!.payload]).toEqual([0x01, 0x8a, 0x08, 0xc0]);
  });

  it('round-trips every header field', () => {
    fc.assert(
      fc.property(
        fc.record({
          marker: fc.boolean(),
          // 64-95 collide with RTCP packet types when muxed (RFC 5761 §4) and parse as RTCP.
          payloadType: fc.oneof(fc.integer({ min: 0, max: 63 }), fc.integer({ min: 96, max: 127 })),
          sequenceNumber: fc.integer({ min: 0, max: 0xffff }),
          timestamp: fc.integer({ min: 0, max: 0xffffffff }),
          ssrc: fc.integer({ min: 0, max: 0xffffffff }),
          csrcs: fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 15 }),
          payload: fc.uint8Array({ maxLength: 400 }),
          paddingSize: fc.integer({ min: 0, max: 255 }),
          extension: fc.option(
            fc.record({
              profile: fc.integer({ min: 0, max: 0xffff }),
              words: fc.integer({ min: 0, max: 8 }),
            }),
            { nil: undefined },
          ),
        }),
        (init) => {
          const extension = init.extension
            ? { profile: init.extension.profile, data: Buffer.alloc(init.extension.words * 4, 7) }
            : undefined;
          const { extension: _spec, ...fields } = init;
          const buffer = serializeRtpPacket({ ...fields, ...(extension ? { extension } : {}) });
          const result = parseRtpPacket(buffer);
          expect(result.ok).toBe(true);
          if (!result.ok) return;
          const p = result.packet;
          expect(p.marker).toBe(init.marker);
          expect(p.payloadType).toBe(init.payloadType);
          expect(p.sequenceNumber).toBe(init.sequenceNumber);
          expect(p.timestamp).toBe(init.timestamp);
          expect(p.ssrc).toBe(init.ssrc);
          expect(p.csrcs).toEqual(init.csrcs);
          expect(Buffer.from(p.payload).equals(Buffer.from(init.payload))).toBe(true);
          expect(p.paddingSize).toBe(init.paddingSize);
          expect(p.extension?.profile).toBe(extension?.profile);
        },
      ),
    );
  });

  it('writes the same fixed header as the full serializer', () => {
    const full = serializeRtpPacket({
      marker: true,
      payloadType: 8,
      sequenceNumber: 65535,
      timestamp: 2 ** 32 - 1,
      ssrc: 1,
      payload: new Uint8Array(0),
    });
    const fast = Buffer.alloc(12);
    writeRtpHeader(fast, true, 8, 65535, 2 ** 32 - 1, 1);
    expect(fast.equals(full)).toBe(true);
  });

  it('rejects malformed packets with a reason', () => {
    expect(parseRtpPacket(Buffer.alloc(11))).toEqual({ ok: false, reason: 'too-short' });
    expect(parseRtpPacket(Buffer.from('400000000000000000000000', 'hex'))).toEqual({
      ok: false,
      reason: 'bad-version',
    });
    expect(parseRtpPacket(Buffer.from('81000000000000000000000000', 'hex'))).toEqual({
      ok: false,
      reason: 'truncated-csrc',
    });
    expect(parseRtpPacket(Buffer.from('90000000000000000000000000000009', 'hex'))).toEqual({
      ok: false,
      reason: 'truncated-extension',
    });
    expect(parseRtpPacket(Buffer.from('a000000000000000000000000000', 'hex'))).toEqual({
      ok: false,
      reason: 'bad-padding',
    });
    expect(parseRtpPacket(Buffer.from('a0000000000000000000000000000020', 'hex'))).toEqual({
      ok: false,
      reason: 'bad-padding',
    });
    expect(parseRtpPacket(Buffer.from('80c8000000000000000000000000', 'hex'))).toEqual({
      ok: false,
      reason: 'rtcp',
    });
    expect(parseRtpPacket(Buffer.alloc(1501, 0x80))).toEqual({ ok: false, reason: 'too-long' });
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        parseRtpPacket(Buffer.from(bytes));
      }),
    );
  });
});
