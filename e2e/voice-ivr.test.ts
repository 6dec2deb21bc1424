import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPbx, type TestPbx } from './support/pbx.js';
import { password, phone } from './support/sipp-calls.js';
import { hasTool } from './support/tools.js';
import { type VoiceStep, voiceCall } from './support/voice-sipp.js';

const haveSipp = hasTool('sipp', 'sip-tester');
const extension = (number: string, name: string) => ({ number, name, password: password(number) });

describe.runIf(haveSipp)('the auto attendant, walked by DTMF from SIPp', () => {
  let pbx: TestPbx;

  beforeAll(async () => {
    pbx = await startTestPbx();
    await pbx.provision({
      tenants: [
        {
          id: 'acme',
          name: 'ACME',
          domain: 'acme.test',
          timeZone: 'Europe/Berlin',
          extensions: [
            extension('1001', 'Alice Caller'),
            extension('1003', 'Sales Person'),
            extension('1004', 'Night Desk'),
          ],
          schedules: [
            {
              id: 'office',
              weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }],
            },
          ],
          ivrs: [
            {
              id: 'main',
              name: 'Main menu',
              number: '500',
              greeting: { say: ['ivr-welcome'] },
              options: { '1': 'extension:1003', '*': 'repeat' },
              timeout_s: 10,
              interDigit_ms: 1000,
              hours: { schedule: 'office', closed: 'extension:1004' },
            },
          ],
        },
      ],
    });
  });

  afterAll(async () => {
    await pbx?.close();
  });

  const callMenu = async (steps: readonly VoiceStep[]) =>
    (await voiceCall(pbx, '1001', 'acme.test', '500', steps)).done;

  /** The newest CDR once `count` calls have one (CDRs are written in batches, a moment after the call). */
  const lastCdr = async (count: number) => (await pbx.cdrs({ tenantId: 'acme', limit: 100 }, count))[0];

  it('in business hours, key 1 transfers the caller to extension 1003', async () => {
    // Monday 10:00 in Berlin.
    pbx.running.context.voice.clock.now = () => new Date('2025-03-03T09:00:00Z');
    const sales = await phone(pbx, '1003', 'acme.test');
    const caller = await callMenu([{ pause_ms: 2000 }, { keys: '1' }, { pause_ms: 8000 }]);
    expect(caller.successful, caller.output).toBe(1);
    const answered = await sales.done;
    expect(answered.successful, answered.output).toBe(1);
    const cdr = await lastCdr(1);
    expect(cdr).toMatchObject({ caller: '1001', callee: '500', disposition: 'answered', answeredBy: '1003' });
    expect(cdr?.forwardingPath).toEqual(['ivr:main']);
  }, 60_000);

  it('outside business hours the closed destination answers instead of the menu', async () => {
    // Sunday 12:00 in Berlin.
    pbx.running.context.voice.clock.now = () => new Date('2025-03-09T11:00:00Z');
    const night = await phone(pbx, '1004', 'acme.test');
    const caller = await callMenu([{ pause_ms: 6000 }]);
    expect(caller.successful, caller.output).toBe(1);
    const answered = await night.done;
    expect(answered.successful, answered.output).toBe(1);
    expect(await lastCdr(2)).toMatchObject({ callee: '500', disposition: 'answered', answeredBy: '1004' });
  }, 60_000);

  it("paces the menu's prompt packets and counts each interval in the send-deviation histogram", async () => {
    // Monday 10:00 in Berlin: the menu answers and plays its greeting.
    pbx.running.context.voice.clock.now = () => new Date('2025-03-03T09:00:00Z');
    const before = await sendDeviations();
    const caller = await callMenu([{ pause_ms: 3000 }]);
    expect(caller.successful, caller.output).toBe(1);
    const after = await sendDeviations();
    // About 150 packets in 3 s of greeting, each interval after the first observed once.
    expect(after.count - before.count).toBeGreaterThan(100);
    expect(after.count - before.count).toBeLessThan(1000);
    // Paced at 20 ms: most intervals within 20 ms of it even on a busy machine.
    expect(after.within20ms - before.within20ms).toBeGreaterThan((after.count - before.count) / 2);
  }, 60_000);

  /** The histogram's count and its 20 ms bucket, from GET /metrics. */
  const sendDeviations = async () => {
    const text = await (await fetch(`${pbx.running.httpUrl}/metrics`)).text();
    const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? Number.NaN);
    return {
      count: value(/^telekommune_media_send_interval_deviation_seconds_count\{[^}]*\} (\d+)$/m),
      within20ms: value(
        /^telekommune_media_send_interval_deviation_seconds_bucket\{le="0\.02"[^}]*\} (\d+)$/m,
      ),
    };
  };
});
