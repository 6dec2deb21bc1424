import { createSocket, type Socket } from 'node:dgram';
import { g711Decode, goertzelPower, parseRtpPacket, rmsDbfs, serializeWav } from '@telekommune/media';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPbx, type TestPbx } from './support/pbx.js';
import { dial, extension, phone, transferCall } from './support/sipp-calls.js';
import { hasTool } from './support/tools.js';

const haveTools = hasTool('sipp', 'sip-tester');

/** The audio that reached a phone's RTP port, in 20 ms frames by arrival, and when each came. */
interface Heard {
  readonly frames: { readonly at_ms: number; readonly ssrc: number; readonly pcm: Int16Array }[];
}

async function listen(): Promise<{ socket: Socket; heard: Heard }> {
  const socket = createSocket('udp4');
  const heard: Heard = { frames: [] };
  socket.on('message', (msg) => {
    const parsed = parseRtpPacket(msg);
    if (!parsed.ok || parsed.packet.payloadType !== 0) return;
    heard.frames.push({
      at_ms: performance.now(),
      ssrc: parsed.packet.ssrc,
      pcm: g711Decode('mulaw', parsed.packet.payload),
    });
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { socket, heard };
}

/**
 * Music on hold (pbx.md §4): a SIPp caller puts the callee (a SIPp phone
 * whose media port this test listens on) on hold for 5 s, holding again
 * halfway as a session refresh does. The callee gets the PBX's music from
 * the hold until the resume as one unbroken stream, and nothing before or
 * after (the caller itself sends no audio).
 */
describe.runIf(haveTools)('music on hold', () => {
  let pbx: TestPbx;
  let socket: Socket | undefined;

  beforeAll(async () => {
    pbx = await startTestPbx();
    await pbx.provision({
      tenants: [
        {
          id: 'acme',
          name: 'ACME',
          domain: 'acme.test',
          extensions: [extension('1001'), extension('1002'), extension('1003')],
        },
      ],
    });
  });

  afterAll(async () => {
    socket?.close();
    await pbx?.close();
  });

  it('plays music to the held party from the hold to the resume, and stops', async () => {
    const listener = await listen();
    socket = listener.socket;
    const callee = await phone(pbx, '1002', 'acme.test', {
      scenario: 'uas-hold-listen.xml',
      extra: ['-key', 'listen_port', String(listener.socket.address().port)],
    });
    const started = performance.now();
    const result = await dial(pbx, '1001', 'acme.test', '1002', { scenario: 'call-hold-music.xml' });
    expect(result.failed, result.output).toBe(0);
    expect(result.successful).toBe(1);
    const answered = await callee.done;
    expect(answered.failed, answered.output).toBe(0);
    const ended = performance.now();

    const frames = listener.heard.frames;
    // 5 s of hold at 50 packets a second, give or take the signalling around it.
    expect(frames.length).toBeGreaterThanOrEqual(200);
    expect(frames.length).toBeLessThanOrEqual(300);
    const first = frames[0]!.at_ms;
    const last = frames.at(-1)!.at_ms;
    // Nothing in the second before the hold, nor in the second between the resume and the hang-up.
    expect(first - started).toBeGreaterThanOrEqual(900);
    expect(ended - last).toBeGreaterThanOrEqual(700);
    // In one stretch, paced, one stream (the refresh halfway neither restarts nor interrupts it).
    for (let i = 1; i < frames.length; i++) expect(frames[i]!.at_ms - frames[i - 1]!.at_ms).toBeLessThan(500);
    expect(new Set(frames.map((frame) => frame.ssrc)).size).toBe(1);
    const pcm = new Int16Array(frames.length * 160);
    for (const [i, frame] of frames.entries()) pcm.set(frame.pcm, i * 160);
    // Music: audible throughout, and its first bar is C major (C4 261.6 Hz, not F sharp 370 Hz).
    for (let start = 0; start + 800 <= pcm.length; start += 800)
      expect(rmsDbfs(pcm, start, start + 800)).toBeGreaterThan(-45);
    const firstBar = pcm.subarray(0, 12_000);
    expect(goertzelPower(firstBar, 261.63, 8000)).toBeGreaterThan(10 * goertzelPower(firstBar, 369.99, 8000));
    const [cdr] = await pbx.cdrs({ tenantId: 'acme', number: '1002' }, 1, (c) => c.callee === '1002');
    expect(cdr).toMatchObject({ disposition: 'answered', answeredBy: '1002' });
  });

  it('plays music to a blind transfer’s transferee once the transferor hangs up, until the target answers', async () => {
    const listener = await listen();
    const transferee = await phone(pbx, '1002', 'acme.test', {
      scenario: 'uas-transferee-listen.xml',
      extra: ['-key', 'listen_port', String(listener.socket.address().port)],
    });
    const target = await phone(pbx, '1003', 'acme.test', { scenario: 'uas-transfer-target-rings.xml' });
    // 1001 calls 1002, transfers it blind to 1003 and hangs up at once; 1003 rings for 3 s, then answers.
    const transferor = await transferCall(
      pbx,
      'call-refer-leave.xml',
      '1001',
      'acme.test',
      '1002',
      '1003@acme.test',
    );
    expect(transferor.failed, transferor.output).toBe(0);
    const left = performance.now();
    const answered = await target.done;
    expect(answered.failed, answered.output).toBe(0);
    const b = await transferee.done;
    expect(b.failed, b.output).toBe(0);
    listener.socket.close();

    const frames = listener.heard.frames;
    // About the 3 s the target rang, from the transferor's BYE on, as one stream of music.
    expect(frames.length).toBeGreaterThanOrEqual(100);
    expect(frames.length).toBeLessThanOrEqual(220);
    expect(frames[0]!.at_ms - left).toBeLessThan(1000);
    expect(new Set(frames.map((frame) => frame.ssrc)).size).toBe(1);
    const pcm = new Int16Array(frames.length * 160);
    for (const [i, frame] of frames.entries()) pcm.set(frame.pcm, i * 160);
    const firstBar = pcm.subarray(0, 12_000);
    expect(goertzelPower(firstBar, 261.63, 8000)).toBeGreaterThan(10 * goertzelPower(firstBar, 369.99, 8000));
    const [cdr] = await pbx.cdrs({ tenantId: 'acme', number: '1002' }, 1, (c) =>
      c.forwardingPath.includes('transfer:1003'),
    );
    expect(cdr).toMatchObject({
      answeredBy: '1003',
      forwardingPath: ['extension:1002', 'transfer:1003', 'extension:1003'],
    });
  });

  it('plays the tenant’s own music once it has uploaded a WAV and named it musicOnHold', async () => {
    // A 600 Hz tune, 2 s, uploaded as a tenant prompt through the API, then set in the tenant's configuration.
    const tune = new Int16Array(16_000);
    for (let i = 0; i < tune.length; i++)
      tune[i] = Math.round(6000 * Math.sin((2 * Math.PI * 600 * i) / 8000));
    const token = (await pbx.running.context.tokens.create('tenant', 'hold music test', 'acme')).token;
    const upload = await fetch(`${pbx.running.httpUrl}/api/tenants/acme/prompts/hold-tune`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'audio/wav' },
      body: serializeWav(tune),
    });
    expect(upload.status, await upload.text()).toBeLessThan(300);
    await pbx.provision({
      tenants: [
        {
          id: 'acme',
          name: 'ACME',
          domain: 'acme.test',
          extensions: [extension('1001'), extension('1002'), extension('1003')],
          musicOnHold: { prompt: 'hold-tune' },
        },
      ],
    });
    const listener = await listen();
    const callee = await phone(pbx, '1002', 'acme.test', {
      scenario: 'uas-hold-listen.xml',
      extra: ['-key', 'listen_port', String(listener.socket.address().port)],
    });
    const result = await dial(pbx, '1001', 'acme.test', '1002', { scenario: 'call-hold-music.xml' });
    expect(result.failed, result.output).toBe(0);
    expect((await callee.done).failed).toBe(0);
    listener.socket.close();
    const frames = listener.heard.frames;
    expect(frames.length).toBeGreaterThanOrEqual(200);
    const pcm = new Int16Array(frames.length * 160);
    for (const [i, frame] of frames.entries()) pcm.set(frame.pcm, i * 160);
    // The tenant's 600 Hz throughout (the 2 s clip loops), not the built-in C major.
    for (let start = 0; start + 4000 <= pcm.length; start += 4000) {
      const window = pcm.subarray(start, start + 4000);
      expect(goertzelPower(window, 600, 8000)).toBeGreaterThan(100 * goertzelPower(window, 261.63, 8000));
    }
  });
});
