import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPbx, type TestPbx } from './support/pbx.js';
import { password, phone } from './support/sipp-calls.js';
import { hasTool } from './support/tools.js';
import { type VoiceStep, voiceCall } from './support/voice-sipp.js';

const haveTools = hasTool('sipp', 'sip-tester') && hasTool('espeak-ng', 'espeak-ng');
const extension = (number: string, name: string) => ({ number, name, password: password(number) });

/**
 * The auto attendant's dial-by-name directory (docs/ivr.md) walked by a
 * SIPp caller with RFC 4733 keys from pcaps: key 9 of the menu, three
 * letters, the match's key; the extension that answered is read from
 * the CDR. Names without a recording are spoken by espeak-ng.
 */
describe.runIf(haveTools)('the dial-by-name directory, walked by DTMF from SIPp', () => {
  let pbx: TestPbx;

  beforeAll(async () => {
    pbx = await startTestPbx();
    await pbx.provision({
      tenants: [
        {
          id: 'acme',
          name: 'ACME',
          domain: 'acme.test',
          extensions: [
            extension('1001', 'Alice Caller'),
            extension('1002', 'Bob Smith'),
            extension('1003', 'Carol Jones'),
            extension('1006', 'Bob Adams'),
          ],
          ivrs: [
            {
              id: 'main',
              name: 'Main menu',
              number: '500',
              greeting: { say: ['ivr-welcome'] },
              options: { '9': 'directory', '*': 'repeat' },
              timeout_s: 10,
            },
          ],
        },
      ],
    });
  });

  afterAll(async () => {
    await pbx?.close();
  });

  const callMenu = async (steps: readonly VoiceStep[], hangup: 'caller' | 'pbx' = 'caller') => {
    const result = await (await voiceCall(pbx, '1001', 'acme.test', '500', steps, { hangup, timeout_s: 60 }))
      .done;
    expect(result.successful, `${result.output}\n${result.messages.slice(-3000)}`).toBe(1);
  };

  /** The newest CDR once `count` calls have one (CDRs are written in batches, a moment after the call). */
  const lastCdr = async (count: number) => (await pbx.cdrs({ tenantId: 'acme', limit: 100 }, count))[0];

  it('S-M-I-T finds Bob Smith by his last name; the caller confirms with 1 and 1002 answers', async () => {
    const smith = await phone(pbx, '1002', 'acme.test');
    await callMenu([
      { pause_ms: 2000 }, // "Thank you for calling."
      { keys: '9' },
      { pause_ms: 4000 }, // "Please enter the first three letters of the person's name."
      { keys: '7648' }, // spelling on past the three letters asked for narrows the search
      { pause_ms: 4000 }, // "Bob Smith, extension 1 0 0 2, press 1"
      { keys: '1' },
      { pause_ms: 6000 }, // "Please hold while we transfer your call", Bob answers
    ]);
    const answered = await smith.done;
    expect(answered.successful, answered.output).toBe(1);
    const cdr = await lastCdr(1);
    expect(cdr).toMatchObject({ caller: '1001', callee: '500', disposition: 'answered', answeredBy: '1002' });
    expect(cdr?.forwardingPath).toEqual(['ivr:main']);
  }, 90_000);

  it('B-O-B matches two people: Bob Adams is read first, Bob Smith second, and key 2 reaches Smith', async () => {
    const smith = await phone(pbx, '1002', 'acme.test');
    await callMenu([
      { pause_ms: 2000 },
      { keys: '9' },
      { pause_ms: 4000 },
      { keys: '262' },
      { pause_ms: 5000 }, // during the second match
      { keys: '2' },
      { pause_ms: 6000 },
    ]);
    const answered = await smith.done;
    expect(answered.successful, answered.output).toBe(1);
    // Both were read out by name (rendered once and kept as the tenant's speech prompts), not just by number.
    const spoken = await pbx.running.context.voice.repository.listPrompts('acme');
    expect(spoken.filter((p) => p.source === 'speech').map((p) => p.text)).toEqual(
      expect.arrayContaining(['Bob Adams', 'Bob Smith']),
    );
    expect(await lastCdr(2)).toMatchObject({ caller: '1001', disposition: 'answered', answeredBy: '1002' });
  }, 90_000);

  it('letters that spell nobody are told so, and the caller is not transferred', async () => {
    // Everyone but the caller has a phone up; none of them may ring.
    const phones = await Promise.all(
      ['1002', '1003', '1006'].map((n) => phone(pbx, n, 'acme.test', { timeout_s: 60 })),
    );
    await callMenu([
      { pause_ms: 2000 },
      { keys: '9' },
      { pause_ms: 4000 },
      { keys: '999' }, // W-Y-Z: no first or last name starts so
      { pause_ms: 8000 }, // "No one matches those letters. Please enter the first three letters..."
    ]);
    for (const p of phones) p.stop();
    for (const answered of await Promise.all(phones.map((p) => p.done))) {
      expect(answered.successful, answered.output).toBe(0);
    }
    const cdr = await lastCdr(3);
    expect(cdr).toMatchObject({
      caller: '1001',
      callee: '500',
      answeredBy: 'ivr:main',
      hangupSide: 'caller',
    });
    // The path gains the menu only when the menu hands the call on (see the transfers above).
    expect(cdr?.forwardingPath).toEqual([]);
  }, 90_000);
});
