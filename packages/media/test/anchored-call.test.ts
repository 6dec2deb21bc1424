import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type DtmfEvent, goertzelPower, MediaEngine, parseWav, RtpRelay } from '../src/index.js';
import { sleep, testPortRange } from './support/udp.js';

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
    await sleep(600);
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
      return parsed.audio.samples.subarray(0, 8000);
    };
    const calleeHeard = audio(fromCaller.recording!.path);
    const callerHeard = audio(fromCallee.recording!.path);
    expect(goertzelPower(calleeHeard, 440, 8000)).toBeGreaterThan(0.01);
    expect(goertzelPower(calleeHeard, 1200, 8000)).toBeLessThan(0.001);
    expect(goertzelPower(callerHeard, 1200, 8000)).toBeGreaterThan(0.01);
    expect(goertzelPower(callerHeard, 440, 8000)).toBeLessThan(0.001);
    const stats = call.stats();
    expect(stats.a.packetsIn).toBeGreaterThan(60);
    expect(stats.b.packetsIn).toBeGreaterThan(60);
    expect(stats.a.lostIn + stats.b.lostIn).toBe(0);
  });
});
