import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPcapUdp } from '../../test/support/pcap.js';
import { parseRtpPacket } from '../rtp/rtp-packet.js';
import type { DtmfDigit } from './dtmf-digit.js';
import { type DtmfNotification, DtmfReceiver } from './dtmf-receiver.js';
import { DtmfSender, type EventPacket } from './dtmf-sender.js';
import { parseTelephoneEvent } from './telephone-event.js';

function sendAll(sender: DtmfSender, ticks: number, startTs = 1000): (EventPacket | undefined)[] {
  const out: (EventPacket | undefined)[] = [];
  for (let i = 0; i < ticks; i++) out.push(sender.tick(startTs + i * 160));
  return out;
}

function feed(
  receiver: DtmfReceiver,
  packets: { payload: Buffer; timestamp: number; marker: boolean }[],
  ssrc = 5,
) {
  const notes: DtmfNotification[] = [];
  packets.forEach((p, i) => {
    notes.push(...receiver.receive(p.payload, ssrc, p.timestamp, p.marker, i * 20));
  });
  return notes;
}

describe('RFC 4733 sender', () => {
  it('sends start with marker, growing durations, and the end three times', () => {
    const sender = new DtmfSender();
    sender.enqueue(['5'], 100);
    const packets = sendAll(sender, 10).filter((p): p is EventPacket => p !== undefined);
    const events = packets.map((p) => parseTelephoneEvent(p.payload)!);
    expect(packets.map((p) => p.marker)).toEqual([true, false, false, false, false, false, false]);
    expect(new Set(packets.map((p) => p.timestamp))).toEqual(new Set([1000]));
    expect(events.map((e) => e.duration)).toEqual([160, 320, 480, 640, 800, 800, 800]);
    expect(events.map((e) => e.end)).toEqual([false, false, false, false, true, true, true]);
    expect(events.every((e) => e.event === 5 && e.volume === 10)).toBe(true);
  });

  it('leaves a gap of audio between queued digits and gives each its own timestamp', () => {
    const sender = new DtmfSender(60);
    sender.enqueue(['1', '#'], 60);
    const ticks = sendAll(sender, 20);
    const starts = ticks.filter((p) => p?.marker);
    expect(starts).toHaveLength(2);
    expect(starts[0]!.timestamp).not.toBe(starts[1]!.timestamp);
    const firstEnd = ticks.findIndex((p, i) => p && parseTelephoneEvent(p.payload)!.end && !ticks[i + 1]);
    expect(firstEnd).toBeGreaterThan(0);
    expect(ticks[firstEnd + 1]).toBeUndefined(); // the gap: audio goes out here
    expect(parseTelephoneEvent(starts[1]!.payload)!.event).toBe(11);
    expect(sender.busy).toBe(false);
  });

  it('bounds the queue', () => {
    const sender = new DtmfSender();
    expect(sender.enqueue(Array<DtmfDigit>(64).fill('1'))).toBe(true);
    expect(sender.enqueue(['2'])).toBe(false);
  });
});

describe('RFC 4733 receiver', () => {
  const sequence = (digit: DtmfDigit) => {
    const sender = new DtmfSender();
    sender.enqueue([digit], 100);
    return sendAll(sender, 8).filter((p): p is EventPacket => p !== undefined);
  };

  it('reports a digit once at its first packet and its end once', () => {
    const notes = feed(new DtmfReceiver(), sequence('7'));
    expect(notes).toEqual([
      { kind: 'start', digit: '7' },
      { kind: 'end', digit: '7', durationMs: 100 },
    ]);
  });

  it('detects a digit whose start packets were lost', () => {
    const notes = feed(new DtmfReceiver(), sequence('3').slice(3));
    expect(notes.map((n) => n.kind)).toEqual(['start', 'end']);
    expect(notes[0]).toEqual({ kind: 'start', digit: '3' });
  });

  it('detects a digit from a lone end packet', () => {
    const notes = feed(new DtmfReceiver(), sequence('9').slice(-1));
    expect(notes).toEqual([
      { kind: 'start', digit: '9' },
      { kind: 'end', digit: '9', durationMs: 100 },
    ]);
  });

  it('reports the same key pressed twice as two digits', () => {
    const sender = new DtmfSender();
    sender.enqueue(['4', '4'], 80);
    const packets = sendAll(sender, 30).filter((p): p is EventPacket => p !== undefined);
    const notes = feed(new DtmfReceiver(), packets).filter((n) => n.kind === 'start');
    expect(notes).toEqual([
      { kind: 'start', digit: '4' },
      { kind: 'start', digit: '4' },
    ]);
  });

  it('ignores a late retransmission of an event that is over', () => {
    const receiver = new DtmfReceiver();
    const first = sequence('1');
    const second = sequence('2').map((p) => ({ ...p, timestamp: p.timestamp + 8000 }));
    const notes = feed(receiver, [...first, ...second, first.at(-1)!]);
    expect(notes.filter((n) => n.kind === 'start').map((n) => n.digit)).toEqual(['1', '2']);
  });

  it('ignores flash (event 16) and short payloads', () => {
    const receiver = new DtmfReceiver();
    expect(receiver.receive(Buffer.from([16, 0x0a, 0, 160]), 1, 0, true, 0)).toEqual([]);
    expect(receiver.receive(Buffer.from([1, 0x0a]), 1, 0, true, 0)).toEqual([]);
  });

  it('decodes the sip-tester captures of every key', () => {
    const dir = '/usr/share/sip-tester';
    const keys: [string, DtmfDigit][] = [
      ...'0123456789'.split('').map((d) => [d, d as DtmfDigit] as [string, DtmfDigit]),
      ['star', '*'],
      ['pound', '#'],
    ];
    if (!existsSync(`${dir}/dtmf_2833_1.pcap`)) {
      // The committed vector covers the digit 1 without the package.
      const lines = readFileSync(new URL('../rtp/vectors/dtmf-2833-digit-1.hex', import.meta.url), 'utf8')
        .split('\n')
        .filter((l) => l && !l.startsWith('#'));
      const receiver = new DtmfReceiver();
      const notes = lines.flatMap((hex, i) => {
        const r = parseRtpPacket(Buffer.from(hex, 'hex'));
        if (!r.ok) throw new Error(r.reason);
        return receiver.receive(r.packet.payload, r.packet.ssrc, r.packet.timestamp, r.packet.marker, i * 40);
      });
      expect(notes.filter((n) => n.kind === 'start')).toEqual([{ kind: 'start', digit: '1' }]);
      return;
    }
    for (const [name, digit] of keys) {
      const receiver = new DtmfReceiver();
      const notes = readPcapUdp(`${dir}/dtmf_2833_${name}.pcap`).flatMap((udp) => {
        const r = parseRtpPacket(udp.payload);
        if (!r.ok) throw new Error(r.reason);
        return receiver.receive(
          r.packet.payload,
          r.packet.ssrc,
          r.packet.timestamp,
          r.packet.marker,
          udp.timeMs,
        );
      });
      expect(notes[0], name).toEqual({ kind: 'start', digit });
      expect(
        notes.filter((n) => n.kind === 'start'),
        name,
      ).toHaveLength(1);
      expect(
        notes.filter((n) => n.kind === 'end'),
        name,
      ).toHaveLength(1);
    }
  });
});
