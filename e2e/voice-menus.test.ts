import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readTelephonyPcm, rmsDbfs } from '@telekommune/media';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPbx, type TestPbx } from './support/pbx.js';
import { password, phone } from './support/sipp-calls.js';
import { hasTool } from './support/tools.js';
import { toneWav } from './support/voice-phone.js';
import { speechPcap, type VoiceStep, voiceCall } from './support/voice-sipp.js';

const haveTools = hasTool('sipp', 'sip-tester') && hasTool('sox', 'sox');

interface ApiMessage {
  readonly id: string;
  readonly folder: string;
  readonly heardAt: string | null;
}

/**
 * The voicemail menus (*97, *98) and the auto attendant walked by SIPp
 * with RFC 4733 keys from Debian's pcaps, and by SIP INFO: what each key
 * does is checked in the store afterwards (folders, heard, deleted,
 * greetings, PIN, lockout, the extension that answered).
 */
describe.runIf(haveTools)('voicemail menus and the IVR from SIPp', () => {
  let pbx: TestPbx;
  let token: string;

  beforeAll(async () => {
    pbx = await startTestPbx();
    await pbx.provision({
      tenants: [
        {
          id: 'acme',
          name: 'ACME',
          domain: 'acme.test',
          extensions: [
            { number: '1001', name: 'Alice', password: password('1001') },
            { number: '1002', name: 'Bob', password: password('1002'), voicemail: { pin: '4321' } },
            { number: '1003', name: 'Carol', password: password('1003'), voicemail: { pin: '5555' } },
            { number: '1004', name: 'Dave', password: password('1004') },
          ],
          ivrs: [
            {
              id: 'main',
              name: 'Main menu',
              number: '500',
              greeting: { say: ['ivr-welcome', 'ivr-dial-extension'] },
              options: { '1': 'extension:1001', '*': 'repeat' },
              timeout_s: 10,
              interDigit_ms: 2000,
            },
          ],
        },
      ],
    });
    token = (await pbx.running.context.tokens.create('tenant', 'menu test', 'acme')).token;
  });

  afterAll(async () => {
    await pbx?.close();
  });

  const api = <T>(path: string) => pbx.get<T>(path, token);

  /** A message of `seconds` of tone put straight into a box, received at `receivedAt`. */
  async function seedMessage(box: string, receivedAt: string, seconds = 2): Promise<string> {
    const voicemail = pbx.running.context.voice.voicemail;
    const file = await voicemail.newMessageFile('acme', box);
    toneWav(file.path, 440, seconds);
    await voicemail.repository.insertMessage({
      id: file.id,
      tenantId: 'acme',
      box,
      folder: 'new',
      caller: '1001',
      callerName: 'Alice',
      receivedAt,
      duration_ms: seconds * 1000,
      heardAt: undefined,
      file: file.file,
    });
    return file.id;
  }

  /** `caller` dials `callee` and runs `steps`; the PBX or the caller hangs up. */
  async function call(caller: string, callee: string, steps: readonly VoiceStep[], hangup: 'caller' | 'pbx') {
    const result = await (await voiceCall(pbx, caller, 'acme.test', callee, steps, { hangup, timeout_s: 90 }))
      .done;
    expect(result.successful, `${result.output}\n${result.messages.slice(-3000)}`).toBe(1);
  }

  it('*98: box and PIN by keys; plays, saves, skips and deletes messages', async () => {
    const m1 = await seedMessage('1002', '2025-03-01T09:00:00.000Z');
    const m2 = await seedMessage('1002', '2025-03-01T10:00:00.000Z');
    const m3 = await seedMessage('1002', '2025-03-01T11:00:00.000Z');
    const m3Path = join(pbx.running.context.voice.settings.voicemailDir, 'acme', '1002', `${m3}.wav`);
    expect(existsSync(m3Path)).toBe(true);
    await call(
      '1001',
      '*98',
      [
        { pause_ms: 1000 },
        { keys: '1002#' }, // "enter your mailbox number" (typed ahead)
        { keys: '4321#' },
        { keys: '1' }, // new messages
        { pause_ms: 12_000 }, // first message: its number, the envelope, 2 s of audio
        { keys: '2' }, // save: "Message saved.", then message 2 begins
        { pause_ms: 2500 },
        { keys: '6' }, // next, during message 2's envelope: it stays unheard
        { keys: '3' }, // delete message 3 during its envelope
        { pause_ms: 1500 },
        { keys: '*' }, // main menu
        { keys: '*' }, // goodbye
      ],
      'pbx',
    );
    const messages = await api<ApiMessage[]>('/api/tenants/acme/voicemail/messages?box=1002');
    expect(
      messages.map((m) => m.id),
      JSON.stringify({ m1, m2, m3, messages }),
    ).toEqual([m1, m2]);
    expect(messages[0]).toMatchObject({ folder: 'saved' });
    expect(messages[0]?.heardAt).not.toBeNull();
    expect(messages[1]).toMatchObject({ folder: 'new', heardAt: null });
    expect(existsSync(m3Path)).toBe(false);
    expect(await pbx.running.context.voice.voicemail.counts('acme', '1002')).toEqual({ new: 1, old: 1 });
  }, 120_000);

  it('*97: records the unavailable greeting after the beep, then changes the PIN', async () => {
    await call(
      '1002',
      '*97',
      [
        { pause_ms: 1000 },
        { keys: '4321#' },
        { keys: '3' }, // greetings
        { keys: '1' }, // unavailable greeting: "Record your greeting after the tone..." (4.3 s), the beep
        { pause_ms: 6000 },
        { play: speechPcap },
        { pause_ms: 7500 },
        { keys: '#' }, // ends the recording
        { keys: '1' }, // keep it
        { pause_ms: 2500 }, // "Your greeting has been saved."
        { keys: '*' }, // back to the main menu
        { keys: '4' }, // change the PIN
        { keys: '98765#' },
        { keys: '98765#' },
        { pause_ms: 3000 }, // "Your PIN has been changed."
        { keys: '*' },
      ],
      'pbx',
    );
    const box = await api<{ greetings: Record<string, boolean> }>('/api/tenants/acme/voicemail/boxes/1002');
    expect(box.greetings).toEqual({ unavailable: true, busy: false, name: false });
    const greeting = await pbx.running.context.voice.voicemail.greeting('acme', '1002', 'unavailable');
    expect(greeting).toBeDefined();
    const samples = await readTelephonyPcm(greeting!);
    // 7 s of speech, trailing silence cut to 250 ms
    expect(samples.length / 8000).toBeGreaterThan(5.5);
    expect(samples.length / 8000).toBeLessThan(8.5);
    expect(rmsDbfs(samples)).toBeGreaterThan(-35);
    const extension = await api<{ voicemail: { pin: string } }>('/api/tenants/acme/extensions/1002');
    expect(extension.voicemail.pin).toBe('98765');
  }, 120_000);

  it('locks a box after five wrong PINs in a row, across calls, until the lock runs out', async () => {
    const repository = pbx.running.context.voice.voicemail.repository;
    const clock = pbx.running.context.voice.clock;
    const wrong = (pins: string[]): VoiceStep[] => [
      { pause_ms: 1000 },
      ...pins.map((pin) => ({ keys: `${pin}#` })),
    ];
    // Three wrong PINs end the call.
    await call('1001', '*981003', wrong(['1111', '2222', '3333']), 'pbx');
    expect(await repository.pinState('acme', '1003')).toMatchObject({ failures: 3, lockedUntil: undefined });
    // Two more lock the box.
    await call('1001', '*981003', wrong(['4444', '6666']), 'pbx');
    const locked = await repository.pinState('acme', '1003');
    expect(locked.failures).toBe(5);
    expect(locked.lockedUntil).toBeDefined();
    const lockMs = Date.parse(locked.lockedUntil!) - clock.now().getTime();
    expect(lockMs).toBeGreaterThan(14 * 60_000);
    expect(lockMs).toBeLessThanOrEqual(15 * 60_000);
    // The right PIN is refused while locked: the PBX says so and hangs up without asking.
    await call('1001', '*981003', [{ pause_ms: 500 }], 'pbx');
    expect((await repository.pinState('acme', '1003')).failures).toBe(5);
    // Sixteen minutes later the right PIN opens the box and clears the count.
    const real = clock.now;
    clock.now = () => new Date(real().getTime() + 16 * 60_000);
    try {
      await call(
        '1001',
        '*981003',
        [{ pause_ms: 1000 }, { keys: '5555#' }, { pause_ms: 1500 }, { keys: '*' }],
        'pbx',
      );
    } finally {
      clock.now = real;
    }
    expect(await repository.pinState('acme', '1003')).toEqual({ failures: 0, lockedUntil: undefined });
  }, 180_000);

  it('walks the IVR by SIP INFO (application/dtmf-relay): dials extension 1004 by its digits', async () => {
    const dave = await phone(pbx, '1004', 'acme.test');
    await call('1001', '500', [{ pause_ms: 1500 }, { info: '1004' }, { pause_ms: 8000 }], 'caller');
    const answered = await dave.done;
    expect(answered.successful, answered.output).toBe(1);
    // CDRs are written in batches, a moment after the call ends.
    const [cdr] = await pbx.cdrs({ tenantId: 'acme', number: '500', limit: 1 });
    expect(cdr).toMatchObject({ caller: '1001', callee: '500', disposition: 'answered', answeredBy: '1004' });
  }, 60_000);
});
