import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { sleep, TestPeer, testPortRange, waitUntil } from '../../test/support/udp.js';
import { MediaError } from '../errors.js';
import { serializeRtpPacket } from '../rtp/rtp-packet.js';
import { RtpRelay } from './rtp-relay.js';

const sdpFor = (port: number, extra: string[] = []) =>
  [
    'v=0',
    'o=- 1 1 IN IP4 127.0.0.1',
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${port} RTP/AVP 0`,
    ...extra,
    '',
  ].join('\r\n');

const rtp = (seq: number, ssrc = 1234) =>
  serializeRtpPacket({
    payloadType: 0,
    sequenceNumber: seq,
    timestamp: seq * 160,
    ssrc,
    payload: new Uint8Array(160).fill(seq & 0xff),
  });

const open: { close(): void }[] = [];
afterEach(() => {
  for (const thing of open.splice(0)) thing.close();
});

async function setup(options: { mediaTimeoutMs?: number; holdTimeoutMs?: number; maxCalls?: number } = {}) {
  const relay = new RtpRelay({ bindAddress: '127.0.0.1', portRange: await testPortRange(), ...options });
  const a = await TestPeer.bind();
  const b = await TestPeer.bind();
  open.push(relay, a, b);
  const call = await relay.createCall('call-1');
  const toB = call.rewrite('a', sdpFor(a.port));
  const toA = call.rewrite('b', sdpFor(b.port));
  if (!toB.ok || !toA.ok) throw new Error('rewrite failed');
  const portA = Number(/m=audio (\d+)/.exec(toA.sdp)![1]);
  const portB = Number(/m=audio (\d+)/.exec(toB.sdp)![1]);
  return { relay, call, a, b, portA, portB };
}

/** Sends packets one by one, waiting for each to arrive, so ordering and latching are deterministic. */
async function exchange(from: TestPeer, to: TestPeer, port: number, seqs: number[], ssrc?: number) {
  for (const seq of seqs) {
    const before = to.received.length;
    from.send(rtp(seq, ssrc), port);
    await to.waitFor(before + 1, 2000);
  }
}

describe('RtpRelay over loopback', () => {
  it("shows a party's media as the other party would get it, without recording anything (toward)", async () => {
    const { call, a, b, portA, portB } = await setup();
    const view = call.toward('b', sdpFor(b.port, ['a=sendonly']));
    expect(view.ok && Number(/m=audio (\d+)/.exec(view.sdp)![1])).toBe(portA);
    expect(view.ok && view.held).toBe(true);
    expect(call.held).toBe(false);
    // The relay still sends to b where b said it receives.
    await exchange(a, b, portA, [1, 2]);
    expect(call.toward('a', 'v=0 nonsense').ok).toBe(false);
    expect(portB).not.toBe(portA);
  });

  it('rewrites SDP to the relay and forwards RTP and RTCP both ways, symmetrically', async () => {
    const { call, a, b, portA, portB } = await setup();
    expect(portA).toBe(call.portFor('a'));
    expect(portB).toBe(call.portFor('b'));
    await exchange(a, b, portA, [1, 2, 3]);
    await exchange(b, a, portB, [100, 101]);
    // Each party hears the other from the relay port it sends to.
    expect(b.received.every((r) => r.from.port === portB)).toBe(true);
    expect(a.received.every((r) => r.from.port === portA)).toBe(true);
    expect(b.received.map((r) => r.msg.readUInt16BE(2))).toEqual([1, 2, 3]);
    // RTCP: each party's a=rtcp port, relayed between the relay's RTP port + 1 on each side.
    const rtcpA = await TestPeer.bind();
    const rtcpB = await TestPeer.bind();
    open.push(rtcpA, rtcpB);
    expect(call.rewrite('a', sdpFor(a.port, [`a=rtcp:${rtcpA.port}`])).ok).toBe(true);
    expect(call.rewrite('b', sdpFor(b.port, [`a=rtcp:${rtcpB.port}`])).ok).toBe(true);
    const rr = Buffer.from('80c9000100000001', 'hex');
    rtcpA.send(rr, portA + 1);
    await rtcpB.waitFor(1, 2000);
    expect(rtcpB.received[0]!.msg.equals(rr)).toBe(true);
    expect(rtcpB.received[0]!.from.port).toBe(portB + 1);
    rtcpB.send(rr, portB + 1);
    await rtcpA.waitFor(1, 2000);
    expect(rtcpA.received[0]!.from.port).toBe(portA + 1);
    const stats = call.stats();
    expect(stats.a).toMatchObject({ packetsIn: 3, octetsIn: 3 * 172, lostIn: 0, dropped: 0, rtcpIn: 1 });
    expect(stats.b).toMatchObject({ packetsIn: 2, lostIn: 0 });
  });

  it('latches to the source it sees (NAT) instead of the SDP address, and drops other sources', async () => {
    const { call, a, b, portA, portB } = await setup();
    const natted = await TestPeer.bind(); // A's packets really come from here
    const stranger = await TestPeer.bind();
    open.push(natted, stranger);
    // Before A sends anything, B's audio goes where A's SDP said.
    await exchange(b, a, portB, [1]);
    await exchange(natted, b, portA, [10, 11]);
    await exchange(b, natted, portB, [2, 3]);
    expect(a.received).toHaveLength(1);
    expect(call.stats().a.latchedTo).toBe(`127.0.0.1:${natted.port}`);
    stranger.send(rtp(999), portA);
    await sleep(100);
    expect(b.received.map((r) => r.msg.readUInt16BE(2))).toEqual([10, 11]);
  });

  it('re-latches after a re-INVITE moves a party', async () => {
    const { call, a, b, portA, portB } = await setup();
    await exchange(a, b, portA, [1]);
    const moved = await TestPeer.bind();
    open.push(moved);
    const reinvite = call.rewrite('a', sdpFor(moved.port));
    expect(reinvite.ok).toBe(true);
    await exchange(b, moved, portB, [50]); // to the new SDP address at once
    await exchange(moved, b, portA, [2]);
    await exchange(b, moved, portB, [51]);
    expect(call.stats().a.latchedTo).toBe(`127.0.0.1:${moved.port}`);
    expect(a.received).toHaveLength(0);
  });

  it('counts lost packets from sequence gaps', async () => {
    const { call, a, b, portA } = await setup();
    await exchange(a, b, portA, [10, 11, 14, 15, 20]);
    expect(call.stats().a).toMatchObject({ packetsIn: 5, lostIn: 6 });
  });

  it('times out a call whose media stopped, but not a held one', async () => {
    const { call, a, b, portA } = await setup({ mediaTimeoutMs: 300, holdTimeoutMs: 60_000 });
    await exchange(a, b, portA, [1]);
    const timedOut = new Promise<boolean>((resolve) => {
      call.once('timeout', () => resolve(true));
      setTimeout(() => resolve(false), 3000);
    });
    expect(await timedOut).toBe(true);

    const held = await setup({ mediaTimeoutMs: 300, holdTimeoutMs: 60_000 });
    expect(held.call.rewrite('a', sdpFor(held.a.port, ['a=sendonly']))).toMatchObject({
      ok: true,
      held: true,
    });
    let fired = false;
    held.call.once('timeout', () => {
      fired = true;
    });
    await sleep(1000);
    expect(fired).toBe(false);
  });

  it('releases ports, stops forwarding and enforces its call limit', async () => {
    const { relay, call, a, b, portA } = await setup({ maxCalls: 1 });
    await expect(relay.createCall('call-2')).rejects.toBeInstanceOf(MediaError);
    await expect(relay.createCall('call-1')).rejects.toThrow(/exists/);
    expect(relay.stats()).toMatchObject({ calls: 1, portsInUse: 4 });
    const released = new Promise<void>((resolve) => call.once('released', () => resolve()));
    call.release();
    await released;
    expect(relay.stats()).toMatchObject({ calls: 0, portsInUse: 0 });
    expect(call.rewrite('a', sdpFor(a.port))).toEqual({ ok: false, reason: 'released' });
    a.send(rtp(1), portA);
    await sleep(100);
    expect(b.received).toHaveLength(0);
    const next = await relay.createCall('call-3');
    expect(next.portFor('a')).not.toBe(portA); // ports rotate rather than being reused at once
  });
});

describe('latching rules', () => {
  it('only lets the signalled IP latch when that IP is public (no RTP bleed), any source when it is private', async () => {
    const { isPrivateAddress } = await import('./private-address.js');
    expect(
      [
        '10.1.2.3',
        '172.20.0.1',
        '192.168.1.9',
        '100.64.0.1',
        '169.254.3.4',
        '0.0.0.0',
        'fd00::1',
        'fe80::1',
      ].every(isPrivateAddress),
    ).toBe(true);
    expect(['203.0.113.9', '8.8.8.8', '127.0.0.1', '172.32.0.1', '2001:db8::1'].some(isPrivateAddress)).toBe(
      false,
    );
    const { LatchingSocket } = await import('./latching-socket.js');
    const peer = await TestPeer.bind();
    open.push(peer);
    const publicSide = new LatchingSocket(peer.socket);
    publicSide.setTarget('203.0.113.9', 4000);
    expect(publicSide.accept({ address: '198.51.100.66', port: 5000, family: 'IPv4', size: 1 })).toBe(false);
    expect(publicSide.latchedTo).toBeUndefined();
    const natSide = new LatchingSocket(peer.socket);
    natSide.setTarget('192.168.1.20', 4000);
    expect(natSide.accept({ address: '198.51.100.66', port: 5000, family: 'IPv4', size: 1 })).toBe(true);
    expect(natSide.latchedTo).toEqual({ address: '198.51.100.66', port: 5000 });
    natSide.close();
    publicSide.close();
  });
});

describe('a relay bound to the wildcard address', () => {
  it('forwards and latches without connecting its sockets', async () => {
    const relay = new RtpRelay({
      bindAddress: '0.0.0.0',
      advertisedAddress: '127.0.0.1',
      portRange: await testPortRange(),
    });
    const a = await TestPeer.bind();
    const b = await TestPeer.bind();
    open.push(relay, a, b);
    const call = await relay.createCall('wild');
    const toB = call.rewrite('a', sdpFor(a.port));
    const toA = call.rewrite('b', sdpFor(b.port));
    if (!toB.ok || !toA.ok) throw new Error('rewrite failed');
    await exchange(a, b, call.portFor('a'), [1, 2]);
    await exchange(b, a, call.portFor('b'), [7, 8]);
    const stranger = await TestPeer.bind();
    open.push(stranger);
    stranger.send(rtp(99), call.portFor('a'));
    await sleep(100);
    expect(b.received.map((r) => r.msg.readUInt16BE(2))).toEqual([1, 2]);
    expect(call.stats().a).toMatchObject({ packetsIn: 2, dropped: 1, latchedTo: `127.0.0.1:${a.port}` });
  });
});

describe('a relay on worker threads', () => {
  it('forwards both ways, latches, counts, times out and releases like the in-thread relay', async () => {
    const relay = new RtpRelay({
      bindAddress: '127.0.0.1',
      portRange: await testPortRange(64),
      threads: 2,
      mediaTimeoutMs: 500,
    });
    const a = await TestPeer.bind();
    const b = await TestPeer.bind();
    const natted = await TestPeer.bind();
    open.push(a, b, natted);
    try {
      const calls = await Promise.all([relay.createCall('t1'), relay.createCall('t2')]);
      const timedOut = new Promise<void>((resolve) => calls[1]!.once('timeout', () => resolve()));
      expect(relay.stats()).toMatchObject({ calls: 2, threads: 2 });
      const call = calls[0]!;
      const toB = call.rewrite('a', sdpFor(a.port));
      const toA = call.rewrite('b', sdpFor(b.port));
      if (!toB.ok || !toA.ok) throw new Error('rewrite failed');
      const portA = call.portFor('a');
      const portB = call.portFor('b');
      await exchange(b, a, portB, [1]); // to A's SDP address before A sent anything
      await exchange(natted, b, portA, [10, 11, 13]); // A really sends from elsewhere
      await exchange(b, natted, portB, [2]);
      await waitUntil(() => call.stats().a.packetsIn === 3, 3000, 'counters from the worker');
      expect(call.stats().a).toMatchObject({
        packetsIn: 3,
        lostIn: 1,
        latchedTo: `127.0.0.1:${natted.port}`,
      });
      await timedOut; // t2 never carried media
      for (const c of calls) c.release();
      expect(relay.stats().calls).toBe(0);
      await waitUntil(() => relay.stats().portsInUse === 0, 3000, 'ports returned');
      natted.send(rtp(99), portA);
      await sleep(100);
      expect(b.received.map((r) => r.msg.readUInt16BE(2))).toEqual([10, 11, 13]);
    } finally {
      await relay.close();
    }
  });

  it.runIf(process.platform === 'linux')(
    "names its threads' operating-system ids (none when it runs on the caller's thread)",
    async () => {
      const threaded = new RtpRelay({
        bindAddress: '127.0.0.1',
        portRange: await testPortRange(64),
        threads: 2,
      });
      const inThread = new RtpRelay({ bindAddress: '127.0.0.1', portRange: await testPortRange(16) });
      try {
        const ids = await threaded.threadIds();
        expect(ids).toHaveLength(2);
        expect(new Set(ids).size).toBe(2);
        for (const id of ids) {
          expect(id).not.toBe(process.pid);
          // A thread of this process: listed among its tasks.
          expect(existsSync(`/proc/${process.pid}/task/${id}`)).toBe(true);
        }
        expect(await inThread.threadIds()).toEqual([]);
      } finally {
        await Promise.all([threaded.close(), inThread.close()]);
      }
    },
  );
});
