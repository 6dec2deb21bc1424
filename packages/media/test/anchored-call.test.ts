import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type DtmfEvent, goertzelPower, MediaEngine, parseWav, RtpRelay } from '../src/index.js';
import { testPortRange, waitUntil } from './support/udp.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/**
 * Two media endpoints as the two phones of a call, the relay between them
 * as the B2BUA anchors it: SDP offer and answer pass through the relay,
 * audio and DTMF cross it both ways.
 */
describe('a call anchored through the relay', () => {
  it('carries tones both ways and RFC 4733 digits across, and survives hold and unhold', async () => {
    const engine = new MediaEngine({ bindAddress: '127.0.0.1', portRange: await testPortRange(32) });
    const relay = new RtpRelay({ bindAddress: '127.0.0.1', portRange: await testPortRange(32) });
    const dir = mkdtempSync(join(tmpdir(), 'tk-call-'));
    cleanup.push(
      () => engine.close(),
      () => relay.close(),
      () => rmSync(dir, { recursive: true, force: true }),
    );
    const caller = await engine.createEndpoint();
    const callee = await engine.createEndpoint();
    const call = await relay.createCall('call-1');

    const offer = call.rewrite('a', caller.createOffer());
    if (!offer.ok) throw new Error(offer.reason);
    const answered = callee.answer(offer.sdp);
    if (!answered.ok) throw new Error(answered.reason);
    const answer = call.rewrite('b', answered.answer);
    if (!answer.ok) throw new Error(answer.reason);
    expect(caller.acceptAnswer(answer.sdp).ok).toBe(true);

    const heardByCallee = await callee.record(join(dir, 'callee.wav'), { keepTrailingSilenceMs: 5000 });
    const heardByCaller = await caller.record(join(dir, 'caller.wav'), { keepTrailingSilenceMs: 5000 });
    const digits: DtmfEvent[] = [];
    callee.on('dtmf', (e) => digits.push(e));
    await Promise.all([
      caller.play([
        {
          kind: 'tone',
          plan: { name: 'a', segments: [{ frequencies: [440], durationMs: 1000 }], repeat: true },
          durationMs: 1500,
        },
      ]),
      callee.play([
        {
          kind: 'tone',
          plan: { name: 'b', segments: [{ frequencies: [1200], durationMs: 1000 }], repeat: true },
          durationMs: 1500,
        },
      ]),
    ]);
    caller.sendDtmf(['4', '2']);
    await waitUntil(() => digits.length >= 2, 5000, 'both digits');
    expect(digits.map((d) => d.digit)).toEqual(['4', '2']);

    // Hold (sendonly from the caller) and back.
    const hold = call.rewrite('a', caller.createOffer('sendonly'));
    expect(hold.ok && hold.held).toBe(true);
    if (!hold.ok) return;
    const holdAnswer = callee.answer(hold.sdp);
    expect(holdAnswer.ok && holdAnswer.answer).toContain('a=recvonly');
    const resume = call.rewrite('a', caller.createOffer('sendrecv'));
    expect(resume.ok && !resume.held).toBe(true);

    const [fromCaller, fromCallee] = await Promise.all([heardByCallee.stop(), heardByCaller.stop()]);
    const audio = (path: string) => {
      const parsed = parseWav(readFileSync(path));
      if (!parsed.ok) throw new Error(parsed.reason);
      return parsed.audio.samples;
    };
    // The strongest half second of each frequency, wherever it fell in the recording.
    const peak = (samples: Int16Array, hz: number) => {
      let best = 0;
      for (let at = 0; at + 4000 <= samples.length; at += 800) {
        best = Math.max(best, goertzelPower(samples.subarray(at, at + 4000), hz, 8000));
      }
      return best;
    };
    const calleeHeard = audio(fromCaller.recording!.path);
    const callerHeard = audio(fromCallee.recording!.path);
    expect(peak(calleeHeard, 440)).toBeGreaterThan(0.01);
    expect(peak(calleeHeard, 1200)).toBeLessThan(0.001);
    expect(peak(callerHeard, 1200)).toBeGreaterThan(0.01);
    expect(peak(callerHeard, 440)).toBeLessThan(0.001);
    const stats = call.stats();
    expect(stats.a.packetsIn).toBeGreaterThan(60);
    expect(stats.b.packetsIn).toBeGreaterThan(60);
    expect(stats.a.lostIn + stats.b.lostIn).toBe(0);
  });
});
