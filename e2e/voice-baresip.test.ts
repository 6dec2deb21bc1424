import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTelephonyPcm } from '@telekommune/media';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTone, toneRuns } from './support/audio.js';
import { startTestPbx, type TestPbx } from './support/pbx.js';
import { hasTool } from './support/tools.js';
import {
  type ControlledPhone,
  controlledPhone,
  heardPrompt,
  toneWav,
  untilHeard,
  untilPromptHeard,
} from './support/voice-phone.js';

const haveTools = hasTool('baresip', 'baresip-core') && hasTool('sox', 'sox');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ApiMessage {
  readonly id: string;
  readonly folder: string;
  readonly caller: string | null;
  readonly duration_ms: number;
  readonly heardAt: string | null;
}

describe.runIf(haveTools)('voicemail from baresip: leave a message, then listen to it through *97', () => {
  let pbx: TestPbx;
  let dir: string;
  let token: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tk-vm-baresip-'));
    // baresip sends media from its external address and will not send it to loopback
    // (testing.md): the PBX listens on every address and advertises the external one.
    pbx = await startTestPbx({ sipHost: '0.0.0.0' });
    await pbx.provision({
      tenants: [
        {
          id: 'acme',
          name: 'ACME',
          domain: 'acme.test',
          extensions: [
            { number: '1001', name: 'Alice', password: 'alice-secret-1' },
            { number: '1002', name: 'Bob', password: 'bob-secret-22', voicemail: { pin: '4321' } },
          ],
        },
      ],
    });
    token = (await pbx.running.context.tokens.create('tenant', 'baresip test', 'acme')).token;
    toneWav(join(dir, 'alice.wav'), 440, 60, 0.3);
    toneWav(join(dir, 'bob.wav'), 1200, 60, 0.3);
  });

  afterAll(async () => {
    await pbx?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const api = <T>(path: string) => pbx.get<T>(path, token);

  const phone = (user: string, password: string, wav: string, seconds: number): Promise<ControlledPhone> =>
    controlledPhone(pbx, {
      dir,
      tenant: 'acme',
      domain: 'acme.test',
      user,
      password,
      sourceWav: join(dir, wav),
      seconds,
    });

  it('Alice leaves a tone after the beep (# ends it); Bob hears the envelope and the tone, and saves it', async () => {
    // Alice calls Bob, who has no phone yet: the unavailable greeting (about 11 s), the beep, 6 s of
    // her 440 Hz tone, then # (sent as RFC 4733 by baresip).
    const alice = await phone('1001', 'alice-secret-1', 'alice.wav', 60);
    await alice.dial('sip:1002@acme.test');
    // Every key below waits for what the phone has heard, not for a fixed time.
    await untilHeard(alice.baresip, 'the 1 kHz beep', (heard) =>
      toneRuns(heard, 1000).length > 0 ? true : undefined,
    );
    await sleep(6000);
    await alice.control.press('#');
    await alice.closed(15_000); // "Your message has been recorded. Goodbye." and the PBX hangs up
    await alice.stop();

    let messages: ApiMessage[] = [];
    for (let i = 0; i < 50 && messages.length === 0; i++) {
      messages = await api<ApiMessage[]>('/api/tenants/acme/voicemail/messages?box=1002');
      if (messages.length === 0) await sleep(100);
    }
    expect(messages).toHaveLength(1);
    const message = messages[0]!;
    expect(message).toMatchObject({ folder: 'new', caller: '1001', heardAt: null });
    expect(message.duration_ms).toBeGreaterThan(3000);
    expect(message.duration_ms).toBeLessThan(10_000);
    const stored = join(pbx.running.context.voice.settings.voicemailDir, 'acme', '1002', `${message.id}.wav`);
    const storedTone = await checkTone(stored, 440);
    expect(storedTone.toneShare, JSON.stringify(storedTone)).toBeGreaterThan(0.8);

    // Bob dials *97: PIN, the counts, 1 for new messages, the message with its envelope, 2 saves it, * leaves.
    const bob = await phone('1002', 'bob-secret-22', 'bob.wav', 90);
    await bob.dial('sip:*97@acme.test');
    const pinAsked = await untilPromptHeard(bob.baresip, 'vm-enter-pin');
    await bob.control.press('4321#');
    // "You have one new message", then the main menu.
    const menu = await untilPromptHeard(bob.baresip, 'vm-main-menu', { from: pinAsked, head_ms: 2500 });
    await bob.control.press('1');
    // The first message: its envelope, then Alice's tone; 2 once the tone is over.
    const toneEnd = await untilHeard(bob.baresip, "Alice's tone, whole", (heard) => {
      const run = toneRuns(heard.subarray(menu), 440).find(([start, end]) => (end - start) / 8 > 2000);
      return run !== undefined && menu + run[1] < heard.length - 4000 ? menu + run[1] : undefined;
    });
    await bob.control.press('2');
    await untilPromptHeard(bob.baresip, 'vm-message-saved', { from: toneEnd });
    await bob.control.press('*');
    await bob.closed(15_000);
    await bob.stop();

    const [after] = await api<ApiMessage[]>('/api/tenants/acme/voicemail/messages?box=1002');
    expect(after).toMatchObject({ id: message.id, folder: 'saved' });
    expect(after?.heardAt).not.toBeNull();

    // What Bob's phone heard, in order: the PIN prompt, the envelope, Alice's tone, "Message saved".
    const heardWav = bob.baresip.heardWav();
    expect(heardWav, bob.baresip.log()).toBeDefined();
    const heard = await readTelephonyPcm(heardWav!);
    const runs = toneRuns(heard, 440);
    expect(runs.length, JSON.stringify(runs)).toBeGreaterThanOrEqual(1);
    const longest = runs.reduce((a, b) => (b[1] - b[0] > a[1] - a[0] ? b : a));
    const toneMs = (longest[1] - longest[0]) / 8;
    expect(Math.abs(toneMs - message.duration_ms), `${toneMs} ms of tone heard`).toBeLessThan(1000);
    const find = (name: string, from = 0, to = heard.length) => heardPrompt(heard, name, from, to);
    const pin = await find('vm-enter-pin', 0, longest[0]);
    const first = await find('vm-first-message', 0, longest[0]);
    const received = await find('vm-received', 0, longest[0]);
    const saved = await find('vm-message-saved', longest[1]);
    process.stdout.write(`prompts heard: ${JSON.stringify({ pin, first, received, saved, toneMs })}\n`);
    for (const [name, match] of Object.entries({ pin, first, received, saved })) {
      expect(match.score, `${name} ${JSON.stringify(match)}`).toBeGreaterThanOrEqual(0.7);
    }
    // A prompt that was not played is not found: "Message deleted" shares only its first word.
    expect((await find('vm-message-deleted')).score).toBeLessThan(0.6);
    expect(pin.offset).toBeLessThan(first.offset);
    expect(first.offset).toBeLessThan(received.offset);
    expect(received.offset).toBeLessThan(longest[0]);
  }, 150_000);
});
