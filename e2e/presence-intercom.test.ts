import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPbx, type TestPbx } from './support/pbx.js';
import { freePort } from './support/ports.js';
import { credentials, injection, scenarioDir, sipp } from './support/sipp.js';
import { dial, extension, password, phone } from './support/sipp-calls.js';
import { hasTool } from './support/tools.js';

const haveSipp = hasTool('sipp', 'sip-tester');

/** Busy lamps (RFC 4235 dialog event package) and intercom, driven by SIPp. */
describe.runIf(haveSipp)('busy lamps and intercom', () => {
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
          extensions: [
            extension('1001'),
            extension('1002'),
            extension('1003'),
            extension('1004', { forward: { always: '1003' } }),
          ],
        },
        { id: 'beta', name: 'Beta', domain: 'beta.test', extensions: [extension('3001')] },
      ],
    });
  });

  afterAll(async () => {
    await pbx?.close();
  });

  const blf = () => pbx.running.context.pbx.sip.blf;

  it("lights a watcher's lamp as a call to 1002 rings, is answered and ends", async () => {
    // 1003's phone watches 1002.
    const watcher = sipp(
      [
        target(),
        '-sf',
        join(scenarioDir, 'blf-subscribe.xml'),
        '-inf',
        'users.csv',
        '-m',
        '1',
        '-i',
        '127.0.0.1',
        '-p',
        String(await freePort()),
        '-auth_uri',
        '1002@acme.test',
      ],
      {
        files: {
          'users.csv': injection([['1003', 'acme.test', credentials('1003', password('1003')), '1002']]),
        },
        timeout_s: 40,
      },
    );
    for (let i = 0; i < 100 && blf().size === 0; i++) await new Promise((r) => setTimeout(r, 100));
    if (blf().size === 0) {
      watcher.stop();
      const r = await watcher.done;
      throw new Error(`no subscription: ${r.output}\n${r.messages.slice(-4000)}`);
    }

    const callee = await phone(pbx, '1002', 'acme.test', { timeout_s: 30 });
    const call = await dial(pbx, '1001', 'acme.test', '1002', { hold_ms: 1000 });
    expect(call.successful, call.output).toBe(1);
    expect((await callee.done).successful).toBe(1);

    const watched = await watcher.done;
    expect(watched.successful, `${watched.output}\n${watched.messages.slice(-6000)}`).toBe(1);
    // The NOTIFY bodies in order: idle, early (1001 calling), confirmed, terminated; versions counting up.
    const bodies = [...watched.messages.matchAll(/<dialog-info[\s\S]*?<\/dialog-info>/g)].map((m) => m[0]);
    const states = bodies.map((b) => [...b.matchAll(/<state>(\w+)<\/state>/g)].map((m) => m[1]).join(','));
    expect(states).toEqual(['', 'early', 'confirmed', 'terminated', '']);
    expect(bodies.map((b) => /version="(\d+)"/.exec(b)?.[1])).toEqual(['0', '1', '2', '3', '4']);
    expect(bodies[1]).toContain('direction="recipient"');
    expect(bodies[1]).toContain('<identity display="User 1001">sip:1001@acme.test</identity>');
    expect(bodies.every((b) => b.includes('entity="sip:1002@acme.test"'))).toBe(true);
    expect(blf().size).toBe(0);
  });

  it('refuses a watcher of another tenant', async () => {
    const refused = await sipp(
      [
        target(),
        '-sf',
        join(scenarioDir, 'blf-refused.xml'),
        '-inf',
        'users.csv',
        '-m',
        '1',
        '-i',
        '127.0.0.1',
        '-p',
        String(await freePort()),
      ],
      { files: { 'users.csv': injection([['3001', 'beta.test', '1002', 'acme.test']]) }, timeout_s: 10 },
    ).done;
    expect(refused.successful, `${refused.output}\n${refused.messages.slice(-3000)}`).toBe(1);
    expect(refused.messages).toMatch(/SIP\/2\.0 403 Subscriptions Between Tenants Are Not Allowed/);
    expect(blf().size).toBe(0);
  });

  it('calls an extension on *80 with the auto-answer headers, ringing only its phones', async () => {
    const callee = await phone(pbx, '1002', 'acme.test', { timeout_s: 30 });
    const call = await dial(pbx, '1001', 'acme.test', '*801002');
    expect(call.successful, call.output).toBe(1);
    const phoneSide = await callee.done;
    expect(phoneSide.successful).toBe(1);
    const invite = /INVITE sip:1002@[\s\S]*?\r?\n\r?\n/.exec(phoneSide.messages)?.[0] ?? '';
    expect(invite).toMatch(/^Call-Info: <sip:acme\.test>;answer-after=0\r?$/m);
    expect(invite).toMatch(/^Alert-Info: <http:\/\/www\.notused\.com>;info=alert-autoanswer;delay=0\r?$/m);
    expect(invite).toMatch(/^Answer-Mode: Auto\r?$/m);
    const [cdr] = await pbx.cdrs({ tenantId: 'acme', limit: 10 }, 1, (c) => c.callee === '*801002');
    expect(cdr).toMatchObject({ disposition: 'answered', answeredBy: '1002', caller: '1001' });

    // 1004 forwards everything to 1003, but intercom does not follow forwarding: nobody is rung.
    const forwarded = await dial(pbx, '1001', 'acme.test', '*801004', { scenario: 'call-refused.xml' });
    expect(forwarded.successful, forwarded.output).toBe(1);
    const [unrung] = await pbx.cdrs({ tenantId: 'acme', limit: 10 }, 1, (c) => c.callee === '*801004');
    expect(unrung).toMatchObject({
      disposition: 'unavailable',
      forwardingPath: ['feature:intercom:1004', 'extension:1004'],
    });
  });
});
