import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readPcapUdp } from '../../test/support/pcap.js';
import { sleep, TestPeer, testPortRange, waitUntil } from '../../test/support/udp.js';
import { goertzelPower, rmsDbfs } from '../audio/level.js';
import { systemClock } from '../clock/clock.js';
import { ManualClock } from '../clock/manual-clock.js';
import { MediaClock } from '../clock/media-clock.js';
import { g711Decode, g711Encode } from '../codec/g711.js';
import type { DtmfEvent } from '../dtmf/dtmf-digit.js';
import { DtmfSender } from '../dtmf/dtmf-sender.js';
import { renderDtmfTones } from '../dtmf/dtmf-tones.js';
import { parseTelephoneEvent } from '../dtmf/telephone-event.js';
import { parseRtcpCompound } from '../rtp/rtcp-packet.js';
import { parseRtpPacket, type RtpPacket, serializeRtpPacket } from '../rtp/rtp-packet.js';
import { renderTone } from '../tone/tone-source.js';
import { parseWav } from '../wav/wav-format.js';
import { MediaEngine } from './media-engine.js';

const offerFrom = (port: number, extra: string[] = [], payloads = '0 8 101') =>
  [
    'v=0',
    'o=- 1 1 IN IP4 127.0.0.1',
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${port} RTP/AVP ${payloads}`,
    'a=rtpmap:101 telephone-event/8000',
    ...extra,
    '',
  ].join('\r\n');

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function setup(options: { timers?: ManualClock; rtpTimeoutMs?: number } = {}) {
  const engine = new MediaEngine({
    bindAddress: '127.0.0.1',
    portRange: await testPortRange(),
    // A stall of the test process (a loaded CI machine) never skips ticks here: each packet's
    // timestamp is then exactly 160 after the one before. Skipping is the clock's own test.
    mediaClock: new MediaClock({ maxCatchUpTicks: Number.POSITIVE_INFINITY }),
    ...(options.timers ? { timers: options.timers, mediaClock: new MediaClock(), clock: systemClock } : {}),
    ...(options.rtpTimeoutMs ? { rtpTimeoutMs: options.rtpTimeoutMs } : {}),
  });
  const phone = await TestPeer.bind();
  cleanup.push(
    () => engine.close(),
    () => phone.close(),
  );
  const endpoint = await engine.createEndpoint();
  return { engine, phone, endpoint };
}

function rtpPackets(phone: TestPeer): RtpPacket[] {
  return phone.received
    .map((r) => parseRtpPacket(r.msg))
    .filter((r) => r.ok)
    .map((r) => (r as { packet: RtpPacket }).packet);
}

const tone = renderTone(
  { name: 't', segments: [{ frequencies: [1000], durationMs: 1000 }], repeat: true },
  1000,
);

function phoneAudio(seq: number, samples: Int16Array, ssrc = 77): Buffer {
  return serializeRtpPacket({
    payloadType: 0,
    sequenceNumber: seq,
    timestamp: seq * 160,
    ssrc,
    payload: g711Encode('mulaw', samples),
  });
}

describe('MediaEndpoint over loopback', () => {
  it('answers an offer and plays a prompt as paced PCMU with consecutive sequence numbers and timestamps', async () => {
    const { phone, endpoint } = await setup();
    const answer = endpoint.answer(offerFrom(phone.port));
    if (!answer.ok) throw new Error(answer.reason);
    expect(answer.answer).toContain(`m=audio ${endpoint.localPort} RTP/AVP 0 101`);
    const played = await endpoint.play(['digit-5']);
    expect(played.reason).toBe('finished');
    expect(played.playedSamples).toBeGreaterThan(2000);
    await phone.waitFor(Math.ceil(played.playedSamples / 160));
    const packets = rtpPackets(phone);
    expect(packets[0]!.marker).toBe(true);
    expect(
      packets.every((p) => p.payloadType === 0 && p.payload.length === 160 && p.ssrc === packets[0]!.ssrc),
    ).toBe(true);
    for (let i = 1; i < packets.length; i++) {
      expect((packets[i]!.sequenceNumber - packets[i - 1]!.sequenceNumber) & 0xffff).toBe(1);
      expect((packets[i]!.timestamp - packets[i - 1]!.timestamp) >>> 0).toBe(160);
    }
    const audio = Int16Array.from(packets.flatMap((p) => [...g711Decode('mulaw', p.payload)]));
    expect(rmsDbfs(audio)).toBeGreaterThan(-40); // speech, not silence
  });

  it('reports RFC 4733 digits, interrupting a prompt (barge-in), and SIP INFO digits', async () => {
    const { phone, endpoint } = await setup();
    expect(endpoint.answer(offerFrom(phone.port)).ok).toBe(true);
    const digits: DtmfEvent[] = [];
    const ends: DtmfEvent[] = [];
    endpoint.on('dtmf', (e) => digits.push(e));
    endpoint.on('dtmf-end', (e) => ends.push(e));
    const playing = endpoint.play(['vm-main-menu']);
    await phone.waitFor(5);
    const sender = new DtmfSender();
    sender.enqueue(['4'], 100);
    for (let i = 0; i < 8; i++) {
      const event = sender.tick(8000);
      if (!event) break;
      phone.send(
        serializeRtpPacket({
          payloadType: 101,
          marker: event.marker,
          sequenceNumber: 500 + i,
          timestamp: event.timestamp,
          ssrc: 9,
          payload: event.payload,
        }),
        endpoint.localPort,
      );
    }
    const result = await playing;
    expect(result).toMatchObject({ reason: 'interrupted', digit: '4' });
    await waitUntil(() => ends.length > 0, 5000, 'the end of the key press');
    expect(digits).toEqual([{ digit: '4', source: 'rfc4733' }]);
    expect(ends).toEqual([{ digit: '4', source: 'rfc4733', durationMs: 100 }]);
    expect(endpoint.receiveSipInfo('application/dtmf-relay', 'Signal=#\r\nDuration=120')).toMatchObject({
      ok: true,
    });
    expect(digits.at(-1)).toEqual({ digit: '#', source: 'sip-info', durationMs: 120 });
  });

  it('hears in-band key tones when the phone offered no telephone-event', async () => {
    const { phone, endpoint } = await setup();
    expect(endpoint.answer(offerFrom(phone.port, [], '0')).ok).toBe(true);
    const digits: DtmfEvent[] = [];
    endpoint.on('dtmf', (e) => digits.push(e));
    const tones = renderDtmfTones(['1', '#'], 100, 100);
    for (let seq = 0; seq * 160 < tones.length; seq++) {
      phone.send(phoneAudio(seq, tones.subarray(seq * 160, seq * 160 + 160)), endpoint.localPort);
      if (seq % 5 === 4) await sleep(5);
    }
    await waitUntil(
      () => endpoint.stats().packetsReceived >= Math.ceil(tones.length / 160),
      5000,
      'all tones',
    );
    expect(digits).toEqual([
      { digit: '1', source: 'inband' },
      { digit: '#', source: 'inband' },
    ]);
  });

  it('sends DTMF as RFC 4733 events with the negotiated payload type', async () => {
    const { phone, endpoint } = await setup();
    expect(endpoint.answer(offerFrom(phone.port, [], '0 101')).ok).toBe(true);
    expect(endpoint.sendDtmf(['7'])).toBe(true);
    await phone.waitFor(15);
    const events = rtpPackets(phone).filter((p) => p.payloadType === 101);
    expect(events.length).toBeGreaterThanOrEqual(7);
    expect(events[0]!.marker).toBe(true);
    const parsed = events.map((p) => parseTelephoneEvent(p.payload)!);
    expect(parsed.every((e) => e.event === 7)).toBe(true);
    expect(parsed.filter((e) => e.end)).toHaveLength(3);
  });

  it('records what the phone says, with the gap of a lost packet concealed', async () => {
    const { phone, endpoint } = await setup();
    const dir = mkdtempSync(join(tmpdir(), 'tk-ep-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    expect(endpoint.answer(offerFrom(phone.port)).ok).toBe(true);
    const recorder = await endpoint.record(join(dir, 'vm.wav'));
    for (let seq = 0; seq < 50; seq++) {
      if (seq === 20) continue; // lost
      phone.send(
        phoneAudio(seq, tone.subarray((seq % 50) * 160, (seq % 50) * 160 + 160)),
        endpoint.localPort,
      );
      if (seq % 10 === 9) await sleep(5);
    }
    await waitUntil(() => endpoint.stats().packetsReceived === 49, 5000, 'the 49 packets');
    const result = await recorder.stop();
    expect(result.reason).toBe('stopped');
    expect(result.durationMs).toBe(1000);
    const parsed = parseWav(readFileSync(join(dir, 'vm.wav')));
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(goertzelPower(parsed.audio.samples.subarray(0, 3000), 1000, 8000)).toBeGreaterThan(0.005);
    await result.recording!.acknowledge();
  });

  it('latches to where the phone really sends from (symmetric RTP)', async () => {
    const { phone, endpoint } = await setup();
    const natted = await TestPeer.bind();
    cleanup.push(() => natted.close());
    expect(endpoint.answer(offerFrom(phone.port)).ok).toBe(true);
    await phone.waitFor(2); // silence goes to the SDP address first
    natted.send(phoneAudio(1, tone.subarray(0, 160)), endpoint.localPort);
    await natted.waitFor(3);
    const stranger = await TestPeer.bind();
    cleanup.push(() => stranger.close());
    const received = endpoint.stats().packetsReceived;
    stranger.send(phoneAudio(2, tone.subarray(0, 160), 5), endpoint.localPort);
    await sleep(60);
    // Dropped: by the kernel once the socket is connected to the latched source, or counted as foreign.
    expect(endpoint.stats().packetsReceived).toBe(received);
    expect(stranger.received).toHaveLength(0);
    const before = natted.received.length;
    await natted.waitFor(before + 2);
  });

  it('answers 488 material without changing state, follows hold, and echoes (*43)', async () => {
    const { phone, endpoint } = await setup();
    expect(endpoint.answer(offerFrom(phone.port, [], '9'))).toEqual({ ok: false, reason: 'no-common-codec' });
    expect(endpoint.media).toBeUndefined();
    expect(endpoint.answer(offerFrom(phone.port)).ok).toBe(true);
    const held = endpoint.answer(offerFrom(phone.port, ['a=sendonly']));
    expect(held.ok && held.answer).toContain('a=recvonly');
    const before = phone.received.length;
    await sleep(100);
    expect(phone.received.length - before).toBeLessThanOrEqual(1); // nothing sent while held
    expect(endpoint.answer(offerFrom(phone.port)).ok).toBe(true);
    endpoint.startEcho(2);
    for (let seq = 0; seq < 10; seq++)
      phone.send(phoneAudio(seq, tone.subarray(seq * 160, seq * 160 + 160)), endpoint.localPort);
    const echoed = () =>
      rtpPackets(phone).some((p) => goertzelPower(g711Decode('mulaw', p.payload), 1000, 8000) > 0.005);
    await waitUntil(echoed, 5000, 'the echo');
  });

  it('sends RTCP reports and BYE (muxed on the RTP port), times out dead media, and frees its ports', async () => {
    const timers = new ManualClock();
    const { engine, phone, endpoint } = await setup({ timers, rtpTimeoutMs: 200 });
    expect(endpoint.answer(offerFrom(phone.port, ['a=rtcp-mux'])).ok).toBe(true);
    await phone.waitFor(3);
    let timedOut = false;
    endpoint.on('timeout', () => {
      timedOut = true;
    });
    await sleep(250);
    timers.advance(8000); // RTCP interval and housekeeping
    expect(timedOut).toBe(true);
    const isReport = (r: { msg: Buffer }) => r.msg[1] === 200 || r.msg[1] === 201;
    await waitUntil(() => phone.received.some(isReport), 5000, 'an RTCP report');
    const rtcp = phone.received.filter(isReport);
    const report = parseRtcpCompound(rtcp[0]!.msg);
    expect(report.ok && report.packets.map((p) => p.type)).toEqual(['sr', 'sdes']);
    const count = phone.received.length;
    await endpoint.close();
    const hasBye = () =>
      phone.received
        .slice(count)
        .map((r) => parseRtcpCompound(r.msg))
        .some((r) => r.ok && r.packets.some((p) => p.type === 'bye'));
    await waitUntil(hasBye, 5000, 'RTCP BYE');
    expect(engine.activeEndpoints).toBe(0);
    expect(engine.ports.allocated).toBe(0);
    expect(() => endpoint.createOffer()).toThrow(/closed/);
  });
});

describe('MediaEndpoint with a captured call', () => {
  const capture = '/usr/share/sip-tester/g711a.pcap';
  const available = existsSync(capture);
  if (!available && process.env.CI === 'true')
    throw new Error(`${capture} missing: apt-get install -y sip-tester`);

  it.skipIf(!available)(
    'records the PCMA stream of sip-tester g711a.pcap (30 ms packets) at its full length',
    async () => {
      const { phone, endpoint } = await setup();
      const dir = mkdtempSync(join(tmpdir(), 'tk-pcap-'));
      cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
      expect(endpoint.answer(offerFrom(phone.port, [], '8')).ok).toBe(true);
      expect(endpoint.media?.codec.codec.name).toBe('PCMA');
      const recorder = await endpoint.record(join(dir, 'pcap.wav'), { keepTrailingSilenceMs: 10_000 });
      const packets = readPcapUdp(capture);
      let samples = 0;
      for (const [i, udp] of packets.entries()) {
        phone.send(udp.payload, endpoint.localPort);
        samples += udp.payload.length - 12;
        if (i % 10 === 9) await sleep(2);
      }
      await waitUntil(() => endpoint.stats().packetsReceived === packets.length, 10_000, 'the whole capture');
      const result = await recorder.stop();
      expect(result.heardVoice).toBe(true);
      expect(result.durationMs).toBe(samples / 8);
      const parsed = parseWav(readFileSync(join(dir, 'pcap.wav')));
      if (!parsed.ok) throw new Error(parsed.reason);
      expect(rmsDbfs(parsed.audio.samples)).toBeGreaterThan(-40);
      await result.recording!.acknowledge();
    },
  );
});

describe('MediaEndpoint timestamps', () => {
  it('keeps the RTP timestamp line and sequence across hold and resume, with a marker on resume', async () => {
    const { phone, endpoint } = await setup();
    expect(endpoint.answer(offerFrom(phone.port)).ok).toBe(true);
    await phone.waitFor(5);
    expect(endpoint.answer(offerFrom(phone.port, ['a=sendonly'])).ok).toBe(true);
    await sleep(200);
    const beforeResume = rtpPackets(phone).length;
    expect(endpoint.answer(offerFrom(phone.port)).ok).toBe(true);
    await phone.waitFor(beforeResume + 5);
    const packets = rtpPackets(phone);
    const last = packets[beforeResume - 1]!;
    const resumed = packets[beforeResume]!;
    expect(resumed.marker).toBe(true);
    expect((resumed.sequenceNumber - last.sequenceNumber) & 0xffff).toBe(1);
    const gap = (resumed.timestamp - last.timestamp) >>> 0;
    // About 200 ms of hold at 8 kHz, in whole packets, and never backwards.
    expect(gap % 160).toBe(0);
    expect(gap).toBeGreaterThanOrEqual(160 * 8);
    expect(gap).toBeLessThan(8000 * 5);
  });
});
