import { describe, expect, it } from 'vitest';
import { sentIntervals } from './packet-capture.js';
import { maxOf, percentile } from './stats.js';

/** A nanosecond pcap on an Ethernet link of UDP/IPv4 packets from 127.0.0.1:`port`, each an RTP or RTCP header. */
function pcap(packets: { atNs: bigint; port: number; seq: number; payloadType?: number }[]): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b23c4d, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(96, 16);
  header.writeUInt32LE(1, 20);
  const records = packets.map(({ atNs, port, seq, payloadType = 0 }) => {
    const frame = Buffer.alloc(14 + 20 + 8 + 12);
    frame.writeUInt16BE(0x0800, 12);
    frame[14] = 0x45;
    frame.writeUInt32BE(0x7f00_0001, 14 + 12);
    frame.writeUInt16BE(port, 34);
    frame.writeUInt16BE(40_000, 36);
    frame[42] = 0x80;
    frame[43] = payloadType;
    frame.writeUInt16BE(seq, 44);
    const record = Buffer.alloc(16);
    record.writeUInt32LE(Number(atNs / 1_000_000_000n), 0);
    record.writeUInt32LE(Number(atNs % 1_000_000_000n), 4);
    record.writeUInt32LE(frame.length, 8);
    record.writeUInt32LE(frame.length + 200, 12);
    return Buffer.concat([record, frame]);
  });
  return Buffer.concat([header, ...records]);
}

const ms = (n: number) => BigInt(Math.round(n * 1e6)) + 1_795_000_000_000_000_000n;

describe('sent intervals from a loopback capture', () => {
  it('measures each stream between consecutive sequence numbers, skipping RTCP and gaps', () => {
    const result = sentIntervals(
      pcap([
        { atNs: ms(0), port: 5000, seq: 65_535 },
        { atNs: ms(0.5), port: 6000, seq: 7 },
        { atNs: ms(20.25), port: 5000, seq: 0 }, // wraps: 0.25 ms late
        { atNs: ms(23), port: 6000, seq: 8 }, // 2.5 ms late
        { atNs: ms(24), port: 6000, seq: 8, payloadType: 200 }, // RTCP sender report: not counted
        { atNs: ms(80), port: 5000, seq: 3 }, // a lost packet between: no interval
        { atNs: ms(96.5), port: 5000, seq: 4 }, // 3.5 ms early
      ]),
    );
    expect(result.streams).toBe(2);
    expect(result.histogram.reduce((a, b) => a + b, 0)).toBe(3);
    expect(percentile(result.histogram, 0.3)).toBeCloseTo(0.26, 5);
    expect(percentile(result.histogram, 0.6)).toBeCloseTo(2.51, 5);
    expect(maxOf(result.histogram)).toBeCloseTo(3.51, 5);
  });

  it('refuses what is not a pcap file', () => {
    expect(() => sentIntervals(Buffer.from('not a capture file, just some text'))).toThrow(/not a/);
  });
});
