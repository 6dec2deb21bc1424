import { describe, expect, it } from 'vitest';
import type { SipTap, TappedMessage } from '../core/network.js';
import { checksum, tracePcap } from './pcap.js';
import { SipTraces } from './sip-trace.js';

const message = (text: string, extra: Partial<TappedMessage> = {}): TappedMessage => ({
  at_ms: 1_800_000_000_123.5,
  direction: 'in',
  protocol: 'udp',
  localAddress: '192.0.2.1',
  localPort: 5060,
  remoteAddress: '198.51.100.7',
  remotePort: 40000,
  bytes: Buffer.from(text),
  ...extra,
});

describe('SipTraces', () => {
  const setup = (limits = {}) => {
    let now = 1_000;
    let tap: SipTap | undefined;
    const traces = new SipTraces(
      (t) => (tap = t),
      limits,
      () => now,
    );
    return { traces, tap: () => tap, advance: (ms: number) => (now += ms) };
  };

  it('taps the stack only while a trace records, and keeps what matches', () => {
    const { traces, tap } = setup();
    expect(tap()).toBeUndefined();
    const acme = traces.start({ match: 'acme.test' }, 60_000);
    const peer = traces.start({ address: '203.0.113.9' }, 60_000);
    expect(tap()).toBeDefined();
    tap()!(message('REGISTER sip:acme.test SIP/2.0\r\n\r\n', { at_ms: 2_000 }));
    tap()!(message('REGISTER sip:globex.test SIP/2.0\r\n\r\n', { at_ms: 2_000 }));
    tap()!(message('OPTIONS sip:x SIP/2.0\r\n\r\n', { at_ms: 2_000, remoteAddress: '203.0.113.9' }));
    expect(traces.get(acme.id)!.messages.map((m) => m.bytes.toString().split(' ')[1])).toEqual([
      'sip:acme.test',
    ]);
    expect(traces.get(peer.id)!.info.messages).toBe(1);
    traces.stop(acme.id);
    expect(tap()).toBeDefined();
    traces.stop(peer.id);
    expect(tap()).toBeUndefined();
    // Finished traces stay for download.
    expect(traces.list().map((t) => t.state)).toEqual(['finished', 'finished']);
    expect(traces.delete(acme.id)).toBe(true);
    expect(traces.get(acme.id)).toBeUndefined();
  });

  it('stops recording at its end time, its message or byte bound, and refuses too many traces', () => {
    const { traces, tap, advance } = setup({ maxMessages: 2, maxTraces: 2 });
    const short = traces.start({}, 5_000);
    traces.start({ match: 'INVITE' }, 60_000);
    expect(() => traces.start({}, 1_000)).toThrow(/2 traces are recording/);
    const record = tap()!;
    for (let i = 0; i < 5; i++) record(message('INVITE sip:a SIP/2.0\r\n\r\n', { at_ms: 2_000 }));
    expect(traces.list().map((t) => [t.state, t.messages])).toEqual([
      ['full', 2],
      ['full', 2],
    ]);
    // Full traces no longer hold a tap on the stack.
    expect(tap()).toBeUndefined();
    advance(10_000);
    expect(traces.get(short.id)!.info.state).toBe('full');
  });

  it('ends a trace whose time is up when the next message or listing comes', () => {
    const { traces, tap, advance } = setup();
    const trace = traces.start({}, 1_000);
    advance(5_000);
    expect(traces.list()[0]!.state).toBe('finished');
    expect(tap()).toBeUndefined();
    expect(traces.get(trace.id)!.info.until_ms).toBe(2_000);
  });
});

describe('tracePcap', () => {
  it('writes a libpcap file of raw IPv4/UDP packets with correct headers and checksums', () => {
    const inbound = message('REGISTER sip:acme.test SIP/2.0\r\n\r\n');
    const outbound = message('SIP/2.0 401 Unauthorized\r\n\r\n', {
      direction: 'out',
      at_ms: 1_800_000_000_124,
    });
    const pcap = tracePcap([inbound, outbound]);
    expect(pcap.readUInt32LE(0)).toBe(0xa1b2c3d4);
    expect(pcap.readUInt32LE(20)).toBe(101);
    let at = 24;
    const packets: Buffer[] = [];
    const times: number[] = [];
    while (at < pcap.length) {
      times.push(pcap.readUInt32LE(at) * 1000 + pcap.readUInt32LE(at + 4) / 1000);
      const length = pcap.readUInt32LE(at + 8);
      expect(pcap.readUInt32LE(at + 12)).toBe(length);
      packets.push(pcap.subarray(at + 16, at + 16 + length));
      at += 16 + length;
    }
    expect(times).toEqual([1_800_000_000_123.5, 1_800_000_000_124]);
    const [first, second] = packets as [Buffer, Buffer];
    expect(first[0]).toBe(0x45);
    expect(checksum([first.subarray(0, 20)])).toBe(0); // a valid IPv4 header sums to zero
    expect([...first.subarray(12, 16)]).toEqual([198, 51, 100, 7]); // inbound: from the far end
    expect([...first.subarray(16, 20)]).toEqual([192, 0, 2, 1]);
    expect(first.readUInt16BE(20)).toBe(40000);
    expect(first.readUInt16BE(22)).toBe(5060);
    expect(first.subarray(28).toString()).toBe(inbound.bytes.toString());
    expect([...second.subarray(12, 16)]).toEqual([192, 0, 2, 1]); // outbound: from us
    expect(second.readUInt16BE(22)).toBe(40000);
  });

  it('writes IPv6 packets with the UDP checksum over the pseudo-header', () => {
    const pcap = tracePcap([
      message('OPTIONS sip:x SIP/2.0\r\n\r\n', {
        localAddress: '2001:db8::1',
        remoteAddress: '2001:db8:0:0:1::7',
      }),
    ]);
    const packet = pcap.subarray(24 + 16);
    expect(packet[0]! >> 4).toBe(6);
    expect(packet.subarray(8, 24).toString('hex')).toBe('20010db8000000000001000000000007');
    expect(packet.subarray(24, 40).toString('hex')).toBe('20010db8000000000000000000000001');
    const udp = packet.subarray(40);
    const pseudo = Buffer.alloc(40);
    packet.subarray(8, 40).copy(pseudo, 0);
    pseudo.writeUInt32BE(udp.length, 32);
    pseudo[39] = 17;
    expect(checksum([pseudo, udp])).toBe(0);
  });
});
