import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReceiveStatistics } from './receive-statistics.js';
import { parseRtcpCompound, type RtcpPacket, SDES_CNAME, serializeRtcpCompound } from './rtcp-packet.js';
import { RtcpReporter } from './rtcp-reporter.js';

const block = {
  ssrc: 0x01020304,
  fractionLost: 12,
  cumulativeLost: -3,
  extendedHighestSequence: 0x00010005,
  jitter: 77,
  lastSenderReport: 0xaabbccdd,
  delaySinceLastSenderReport: 65536,
};

describe('RTCP compound packets (RFC 3550 §6.4-6.6)', () => {
  it('round-trips SR, RR, SDES and BYE', () => {
    const packets: RtcpPacket[] = [
      {
        type: 'sr',
        ssrc: 0xdeadbeef,
        ntpSeconds: 3_900_000_000,
        ntpFraction: 0x80000000,
        rtpTimestamp: 123456,
        packetCount: 50,
        octetCount: 8000,
        reports: [block],
      },
      { type: 'rr', ssrc: 7, reports: [block, { ...block, ssrc: 9, cumulativeLost: 8_000_000 }] },
      { type: 'sdes', chunks: [{ ssrc: 0xdeadbeef, items: [{ type: SDES_CNAME, text: 'pbx@127.0.0.1' }] }] },
      { type: 'bye', ssrcs: [0xdeadbeef], reason: 'hung up' },
    ];
    const buffer = serializeRtcpCompound(packets);
    expect(buffer.length % 4).toBe(0);
    const parsed = parseRtcpCompound(buffer);
    expect(parsed).toEqual({ ok: true, packets });
  });

  it('parses an SDES chunk that ends exactly on a word boundary (null octets added)', () => {
    // "abcdef" CNAME: 4 (ssrc) + 2 + 6 = 12 octets; the terminating null forces another word.
    const buffer = serializeRtcpCompound([
      { type: 'sdes', chunks: [{ ssrc: 1, items: [{ type: 1, text: 'abcdef' }] }] },
    ]);
    expect(buffer.length).toBe(4 + 16);
    const parsed = parseRtcpCompound(buffer);
    expect(parsed.ok && parsed.packets[0]).toEqual({
      type: 'sdes',
      chunks: [{ ssrc: 1, items: [{ type: 1, text: 'abcdef' }] }],
    });
  });

  it('rejects broken compounds', () => {
    expect(parseRtcpCompound(Buffer.from('80c9', 'hex'))).toEqual({ ok: false, reason: 'too-short' });
    expect(parseRtcpCompound(Buffer.from('40c900010000000000000000', 'hex'))).toEqual({
      ok: false,
      reason: 'bad-version',
    });
    expect(parseRtcpCompound(Buffer.from('80c900050000000000000000', 'hex'))).toEqual({
      ok: false,
      reason: 'bad-length',
    });
    expect(parseRtcpCompound(Buffer.from('81c9000100000001', 'hex'))).toEqual({
      ok: false,
      reason: 'truncated-report',
    });
    // Padding in a packet that is not the last one.
    expect(parseRtcpCompound(Buffer.from('a0c90001000000010000000480c9000100000002', 'hex'))).toEqual({
      ok: false,
      reason: 'bad-padding',
    });
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const data = Buffer.from(bytes);
        if (data.length > 0) data[0] = 0x80 | (data[0]! & 0x3f);
        parseRtcpCompound(data);
      }),
    );
  });
});

describe('RtcpReporter', () => {
  it('sends an SR with a report block and computes the round trip from the peer RR', () => {
    let wall = 1_700_000_000_000;
    let mono = 0;
    const ours = new RtcpReporter(
      'ours',
      () => wall,
      () => mono,
    );
    const theirs = new RtcpReporter(
      'theirs',
      () => wall,
      () => mono,
    );
    const stats = new ReceiveStatistics(8000);
    for (let i = 0; i < 10; i++) stats.update(i, i * 160, i * 20);
    const sr = ours.build(
      { ssrc: 1, packetsSent: 10, octetsSent: 1600, rtpTimestampNow: 1600, sentRecently: true },
      { ssrc: 2, statistics: stats },
    );
    const parsedSr = parseRtcpCompound(sr);
    expect(parsedSr.ok).toBe(true);
    if (!parsedSr.ok) return;
    expect(parsedSr.packets.map((p) => p.type)).toEqual(['sr', 'sdes']);
    // The peer gets our SR 30 ms later (one way), answers 100 ms after that.
    wall += 30;
    mono += 30;
    theirs.receive(parsedSr.packets, 2);
    expect(theirs.peerSenderPackets).toBe(10);
    wall += 100;
    mono += 100;
    const peerStats = new ReceiveStatistics(8000);
    peerStats.update(5, 0, 0);
    const rr = theirs.build(
      { ssrc: 2, packetsSent: 0, octetsSent: 0, rtpTimestampNow: 0, sentRecently: false },
      { ssrc: 1, statistics: peerStats },
    );
    wall += 30;
    mono += 30;
    const parsedRr = parseRtcpCompound(rr);
    if (!parsedRr.ok) throw new Error(parsedRr.reason);
    expect(parsedRr.packets[0]!.type).toBe('rr');
    ours.receive(parsedRr.packets, 1);
    // RTT = 30 + 30 ms; the 100 ms the peer held the report is subtracted.
    expect(ours.peerReport?.roundTripMs).toBeGreaterThan(59);
    expect(ours.peerReport?.roundTripMs).toBeLessThan(61);
  });

  it('randomises the interval over [0.5, 1.5] x 5 s', () => {
    expect(RtcpReporter.nextIntervalMs(() => 0)).toBe(2500);
    expect(RtcpReporter.nextIntervalMs(() => 0.999999)).toBeCloseTo(7500, 0);
  });
});
