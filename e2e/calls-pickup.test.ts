import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPbx, type TestPbx } from './support/pbx.js';
import { dial, extension, phone } from './support/sipp-calls.js';
import { hasTool } from './support/tools.js';

const haveSipp = hasTool('sipp', 'sip-tester');

describe.runIf(haveSipp)('call pickup (**EXT, *8) through the PBX, driven by SIPp', () => {
  let pbx: TestPbx;

  beforeAll(async () => {
    pbx = await startTestPbx();
    await pbx.provision({
      tenants: [
        {
          id: 'acme',
          name: 'ACME',
          domain: 'acme.test',
          extensions: ['1001', '1002', '1003', '1011', '1012', '1013', '1021'].map((n) => extension(n)),
          ringGroups: [
            {
              id: 'desk',
              name: 'Desk',
              strategy: 'simultaneous',
              number: '600',
              members: [{ extension: '1012' }, { extension: '1013' }],
            },
          ],
        },
        { id: 'beta', name: 'Beta', domain: 'beta.test', extensions: [extension('3001')] },
      ],
    });
  });

  afterAll(async () => {
    await pbx?.close();
  });

  /** Waits (up to 10 s) until a call of the PBX rings `number`'s devices. */
  const ringing = async (number: string) => {
    const registry = pbx.running.context.pbx.sip.registry;
    for (let i = 0; i < 100; i++) {
      if (registry.active().some((c) => c.ringingExtensions.has(number))) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`nothing rang ${number}`);
  };

  const cdrFor = async (callee: string) =>
    (await pbx.cdrs({ tenantId: 'acme', number: callee, limit: 10 }, 1, (c) => c.callee === callee))[0];

  it('connects **1002 to the call ringing 1002: 200s with SDP, CANCEL with Reason to the phone, BYE across, CDR', async () => {
    const ringer = await phone(pbx, '1002', 'acme.test', { scenario: 'uas-ring.xml' });
    // The caller waits for the BYE, which the picker sends.
    const caller = dial(pbx, '1001', 'acme.test', '1002', { scenario: 'call-wait-bye.xml', timeout_s: 30 });
    await ringing('1002');
    const picker = await dial(pbx, '1003', 'acme.test', '**1002', { hold_ms: 500 });
    expect(picker.failed, picker.output + picker.messages).toBe(0);
    expect(picker.successful).toBe(1);
    const a = await caller;
    expect(a.failed, a.output + a.messages).toBe(0);
    expect(a.successful).toBe(1);
    const b = await ringer.done;
    expect(b.failed, b.output + b.messages).toBe(0);
    expect(b.messages).toMatch(/CANCEL sip:[\s\S]*Reason: SIP;cause=200;text="Call completed elsewhere"/);
    // Each got an answer through the relay, with the codec both offered.
    const answer = (messages: string) =>
      /SIP\/2\.0 200 OK[\s\S]*?\r?\n\r?\n(v=0[\s\S]*?)(?:-{10,}|$)/.exec(messages)?.[1] ?? '';
    for (const sdp of [answer(picker.messages), answer(a.messages)]) {
      expect(sdp).toMatch(/c=IN IP4 127\.0\.0\.1/);
      expect(sdp).toMatch(/m=audio \d+ RTP\/AVP 0 8 101/);
    }
    const cdr = await cdrFor('1002');
    expect(cdr).toMatchObject({
      caller: '1001',
      disposition: 'answered',
      answeredBy: '1003',
      hangupSide: 'callee',
      forwardingPath: ['extension:1002', 'pickup:1003'],
    });
  });

  it('picks up a ring-group mate’s call with *8', async () => {
    const ringer = await phone(pbx, '1012', 'acme.test', { scenario: 'uas-ring.xml' });
    const caller = dial(pbx, '1011', 'acme.test', '1012', { scenario: 'call-wait-bye.xml', timeout_s: 30 });
    await ringing('1012');
    const picker = await dial(pbx, '1013', 'acme.test', '*8', { hold_ms: 300 });
    expect(picker.failed, picker.output + picker.messages).toBe(0);
    const a = await caller;
    expect(a.failed, a.output + a.messages).toBe(0);
    expect((await ringer.done).failed).toBe(0);
    expect(await cdrFor('1012')).toMatchObject({
      answeredBy: '1013',
      forwardingPath: ['extension:1012', 'pickup:1013'],
    });
  });

  it('refuses a pickup with nothing ringing, of no extension, or by a picker in no ring group', async () => {
    for (const [picker, dialled, status, reason] of [
      ['1003', '**1002', 480, 'No Call To Pick Up'],
      ['1003', '**9999', 404, 'No Such Extension To Pick Up'],
      ['1021', '*8', 480, 'Not In Any Ring Group'],
    ] as const) {
      const refused = await dial(pbx, picker, 'acme.test', dialled, { scenario: 'call-refused.xml' });
      expect(refused.failed, refused.output + refused.messages).toBe(0);
      expect(refused.messages).toContain(`SIP/2.0 ${status} ${reason}`);
    }
  });
});
