import { createSocket, Socket } from 'node:dgram';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TestPeer, testPortRange, waitUntil } from '../../test/support/udp.js';
import type { DtmfEvent } from '../dtmf/dtmf-digit.js';
import { DtmfSender } from '../dtmf/dtmf-sender.js';
import { parseRtpPacket, serializeRtpPacket } from '../rtp/rtp-packet.js';
import { MediaEngine } from '../session/media-engine.js';
import { LatchingSocket } from './latching-socket.js';
import { LocalRtpRoutes } from './local-rtp-routes.js';
import { RtpRelay } from './rtp-relay.js';

const sdpFor = (port: number) =>
  [
    'v=0',
    'o=- 1 1 IN IP4 127.0.0.1',
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${port} RTP/AVP 0 101`,
    'a=rtpmap:101 telephone-event/8000',
    '',
  ].join('\r\n');

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function bound(): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  cleanup.push(() => socket.close());
  return socket;
}

/** UDP sends, by the local port they left from. */
function spyOnSends(): Map<number, number> {
  const sends = new Map<number, number>();
  const original = Socket.prototype.send;
  vi.spyOn(Socket.prototype, 'send').mockImplementation(function (this: Socket, ...args: unknown[]) {
    const port = this.address().port;
    sends.set(port, (sends.get(port) ?? 0) + 1);
    return (original as (...a: unknown[]) => void).apply(this, args);
  } as typeof Socket.prototype.send);
  return sends;
}

/** A caller answered by an endpoint through an anchored relay call, as the PBX's IVR does. */
async function anchoredIvrCall() {
  const engine = new MediaEngine({ bindAddress: '127.0.0.1', portRange: await testPortRange() });
  const relay = new RtpRelay({
    bindAddress: '127.0.0.1',
    portRange: await testPortRange(),
    localRoutes: engine.localRoutes,
  });
  const caller = await TestPeer.bind();
  cleanup.push(
    () => engine.close(),
    () => relay.close(),
    () => caller.close(),
  );
  const endpoint = await engine.createEndpoint();
  const call = await relay.createCall('ivr-1');
  const toEndpoint = call.rewrite('a', sdpFor(caller.port));
  if (!toEndpoint.ok) throw new Error('rewrite failed');
  const answer = endpoint.answer(toEndpoint.sdp);
  if (!answer.ok) throw new Error('answer failed');
  const toCaller = call.rewrite('b', answer.answer);
  if (!toCaller.ok) throw new Error('rewrite failed');
  return { engine, relay, call, caller, endpoint };
}

describe('LocalRtpRoutes', () => {
  it('files a socket under its advertised and bound address, and forgets it on removal', async () => {
    const routes = new LocalRtpRoutes();
    const socket = await bound();
    const port = socket.address().port;
    const remove = routes.add(socket, ['192.0.2.7', '127.0.0.1', '0.0.0.0']);
    expect(routes.find('192.0.2.7', port)?.socket).toBe(socket);
    expect(routes.find('127.0.0.1', port)?.socket).toBe(socket);
    expect(routes.find('0.0.0.0', port)).toBeUndefined();
    expect(routes.find('127.0.0.1', port + 1)).toBeUndefined();
    const version = routes.version;
    remove();
    expect(routes.size).toBe(0);
    expect(routes.version).toBeGreaterThan(version);
    remove(); // idempotent
    expect(routes.size).toBe(0);
  });

  it('refuses a key another socket holds, adding nothing', async () => {
    const routes = new LocalRtpRoutes();
    const socket = await bound();
    routes.add(socket, ['127.0.0.1']);
    const other = await bound();
    // Same advertised address and, faked, the same port.
    vi.spyOn(other, 'address').mockReturnValue(socket.address());
    expect(() => routes.add(other, ['198.51.100.1', '127.0.0.1'])).toThrow(/taken/);
    expect(routes.size).toBe(1);
    expect(routes.find('198.51.100.1', socket.address().port)).toBeUndefined();
  });

  it('hands a packet to a local socket as if from the sender, one level deep at most', async () => {
    const routes = new LocalRtpRoutes();
    const [x, y] = [await bound(), await bound()];
    const a = new LatchingSocket(x, true, { routes, advertisedAddress: '127.0.0.1' });
    const b = new LatchingSocket(y, true, { routes, advertisedAddress: '127.0.0.1' });
    const seen: { from: number; size: number }[] = [];
    // b's listener sends the packet back to a from inside the hand-over: that one goes over UDP.
    y.on('message', (msg, rinfo) => {
      seen.push({ from: rinfo.port, size: rinfo.size });
      if (b.accept(rinfo) && seen.length === 1) b.send(msg);
    });
    const back: number[] = [];
    x.on('message', (_msg, rinfo) => back.push(rinfo.port));
    const sends = spyOnSends();
    a.setTarget('127.0.0.1', y.address().port);
    b.setTarget('127.0.0.1', x.address().port);
    expect(a.local).toBe(true);
    expect(a.send(Buffer.alloc(12))).toBe(true);
    expect(seen).toEqual([{ from: x.address().port, size: 12 }]); // synchronous, no UDP
    expect(sends.get(x.address().port)).toBeUndefined();
    expect(sends.get(y.address().port)).toBe(1); // the nested send went over UDP
    await waitUntil(() => back.length === 1, 2000, 'the nested packet');
    expect(back).toEqual([y.address().port]);
    b.close();
    expect(a.local).toBe(false); // b left the table
  });

  it('relays an IVR prompt to the caller and the caller keys to the endpoint without UDP between them', async () => {
    const sends = spyOnSends();
    const { call, caller, endpoint } = await anchoredIvrCall();
    const digits: DtmfEvent[] = [];
    endpoint.on('dtmf', (e) => digits.push(e));
    const playing = endpoint.play(['vm-main-menu']);
    await caller.waitFor(5, 5000);
    // Everything the caller hears comes from the relay's leg a, in sequence.
    expect(caller.received.every((r) => r.from.port === call.portFor('a'))).toBe(true);
    const seqs = caller.received.map((r) => {
      const parsed = parseRtpPacket(r.msg);
      if (!parsed.ok) throw new Error('not RTP');
      return parsed.packet.sequenceNumber;
    });
    for (let i = 1; i < seqs.length; i++) expect((seqs[i]! - seqs[i - 1]!) & 0xffff).toBe(1);
    // RFC 4733 from the caller, through the relay, interrupts the prompt.
    const sender = new DtmfSender();
    sender.enqueue(['7'], 100);
    for (let i = 0; i < 8; i++) {
      const event = sender.tick(8000);
      if (!event) break;
      caller.send(
        serializeRtpPacket({
          payloadType: 101,
          marker: event.marker,
          sequenceNumber: 900 + i,
          timestamp: event.timestamp,
          ssrc: 77,
          payload: event.payload,
        }),
        call.portFor('a'),
      );
    }
    expect(await playing).toMatchObject({ reason: 'interrupted', digit: '7' });
    expect(digits[0]).toEqual({ digit: '7', source: 'rfc4733' });
    // Neither the endpoint's socket nor leg b's sent anything over UDP; leg a did.
    expect(sends.get(endpoint.localPort)).toBeUndefined();
    expect(sends.get(call.portFor('b'))).toBeUndefined();
    expect(sends.get(call.portFor('a'))).toBeGreaterThanOrEqual(5);
    expect(call.stats().b.packetsIn).toBeGreaterThanOrEqual(5);
  });

  it('re-points to a callee on transfer: the caller then talks to the callee over UDP', async () => {
    const { call, caller, endpoint } = await anchoredIvrCall();
    await caller.waitFor(2, 5000);
    // The transfer: the callee answers an offer pointing at leg b, the endpoint leaves.
    const callee = await TestPeer.bind();
    cleanup.push(() => callee.close());
    await endpoint.close();
    expect(call.rewrite('b', sdpFor(callee.port)).ok).toBe(true);
    const packet = serializeRtpPacket({
      payloadType: 0,
      sequenceNumber: 1,
      timestamp: 160,
      ssrc: 5,
      payload: new Uint8Array(160),
    });
    caller.send(packet, call.portFor('a'));
    await callee.waitFor(1, 2000);
    expect(callee.received[0]!.from.port).toBe(call.portFor('b'));
    const heard = caller.received.length;
    callee.send(packet, call.portFor('b'));
    await caller.waitFor(heard + 1, 2000);
    expect(caller.received.at(-1)!.from.port).toBe(call.portFor('a'));
  });
});
