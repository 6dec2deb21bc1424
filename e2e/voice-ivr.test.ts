import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPbx, type TestPbx } from './support/pbx.js';
import { freePort } from './support/ports.js';
import { credentials, injection, scenarioDir, sipp } from './support/sipp.js';
import { hasTool } from './support/tools.js';
import { voiceCallScenario } from './support/voice-sipp.js';

const haveSipp = hasTool('sipp', 'sip-tester');
const password = (n: string) => `pw-${n}-secret`;
const extension = (number: string, name: string) => ({ number, name, password: password(number) });

describe.runIf(haveSipp)('the auto attendant, walked by DTMF from SIPp', () => {
  let pbx: TestPbx;
  const target = () => `127.0.0.1:${pbx.sipPort}`;

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

  async function phone(number: string) {
    const port = await freePort();
    const run = sipp(
      ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(port), '-mp', String(await freePort()), '-m', '1'],
      {
        timeout_s: 40,
      },
    );
    const registered = await sipp(
      [
        target(),
        '-sf',
        join(scenarioDir, 'register.xml'),
        '-inf',
        'users.csv',
        '-m',
        '1',
        '-i',
        '127.0.0.1',
        '-p',
        String(await freePort()),
        '-auth_uri',
        'acme.test',
      ],
      {
        files: {
          'users.csv': injection([
            [number, 'acme.test', credentials(number, password(number)), String(port), '600'],
          ]),
        },
        timeout_s: 10,
      },
    ).done;
    expect(registered.successful, registered.output).toBe(1);
    return run;
  }

  async function callMenu(steps: Parameters<typeof voiceCallScenario>[0]) {
    return sipp(
      [
        target(),
        '-sf',
        'scenario.xml',
        '-inf',
        'users.csv',
        '-m',
        '1',
        '-i',
        '127.0.0.1',
        '-p',
        String(await freePort()),
        '-mp',
        String(await freePort()),
        '-auth_uri',
        '500@acme.test',
      ],
      {
        files: {
          'scenario.xml': voiceCallScenario(steps),
          'users.csv': injection([['1001', 'acme.test', credentials('1001', password('1001')), '500']]),
        },
        timeout_s: 40,
      },
    ).done;
  }

  /** The newest CDR once `count` calls have one (CDRs are written in batches, a moment after the call). */
  async function lastCdr(count: number) {
    let cdrs = await pbx.running.context.cdrs.query({ tenantId: 'acme', limit: 100 });
    for (let i = 0; i < 50 && cdrs.length < count; i++) {
      await new Promise((r) => setTimeout(r, 100));
      cdrs = await pbx.running.context.cdrs.query({ tenantId: 'acme', limit: 100 });
    }
    const [cdr] = cdrs;
    return cdr;
  }

  it('in business hours, key 1 transfers the caller to extension 1003', async () => {
    // Monday 10:00 in Berlin.
    pbx.running.context.voice.clock.now = () => new Date('2025-03-03T09:00:00Z');
    const sales = await phone('1003');
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
    const night = await phone('1004');
    const caller = await callMenu([{ pause_ms: 6000 }]);
    expect(caller.successful, caller.output).toBe(1);
    const answered = await night.done;
    expect(answered.successful, answered.output).toBe(1);
    expect(await lastCdr(2)).toMatchObject({ callee: '500', disposition: 'answered', answeredBy: '1004' });
  }, 60_000);
});
