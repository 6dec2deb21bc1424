import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPbx, type TestPbx } from './support/pbx.js';
import type { SippResult } from './support/sipp.js';
import { extension, phone, type TransferOptions, transferCall as transferBy } from './support/sipp-calls.js';
import { hasTool } from './support/tools.js';

const haveSipp = hasTool('sipp', 'sip-tester');

// SIPp gives up (the caller after 20 s, a phone after 40 s) before the test does (60 s), so a stuck
// exchange fails with SIPp's own output and message trace instead of a bare test timeout.
describe.runIf(haveSipp)('call transfer (REFER) through the PBX, driven by SIPp', { timeout: 60_000 }, () => {
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
            '1001',
            '1002',
            '1003',
            '1011',
            '1012',
            '1021',
            '1022',
            '1023',
            '1031',
            '1032',
            '1033',
          ].map((n) => extension(n)),
        },
        { id: 'beta', name: 'Beta', domain: 'beta.test', extensions: [extension('3001')] },
      ],
    });
  });

  afterAll(async () => {
    await pbx?.close();
  });

  /** `caller` calls `callee` of acme.test with `scenario`, whose REFER names `referTo` (user@host). */
  const transferCall = (
    scenario: string,
    caller: string,
    callee: string,
    referTo: string,
    more: TransferOptions = {},
  ): Promise<SippResult> => transferBy(pbx, scenario, caller, 'acme.test', callee, referTo, more);

  const cdrsFor = (callee: string) =>
    pbx.cdrs({ tenantId: 'acme', number: callee, limit: 10 }, 1, (c) => c.callee === callee);

  it('transfers the callee blind to another extension: NOTIFYs to the transferor, re-INVITE to the transferee, CDR', async () => {
    const transferee = await phone(pbx, '1002', 'acme.test', { scenario: 'uas-transferee.xml' });
    const target = await phone(pbx, '1003', 'acme.test', { scenario: 'uas-transfer-target.xml' });
    const transferor = await transferCall('call-refer.xml', '1001', '1002', '1003@acme.test');
    expect(transferor.failed, transferor.output).toBe(0);
    expect(transferor.successful).toBe(1);
    const b = await transferee.done;
    const c = await target.done;
    expect(b.failed, b.output).toBe(0);
    expect(c.failed, c.output).toBe(0);
    expect(b.successful).toBe(1);
    expect(c.successful).toBe(1);
    // The target is offered media that flows both ways, through the relay.
    const targetInvite = /INVITE sip:[\s\S]*?\r?\n\r?\n([\s\S]*?m=audio[^\n]*\n[\s\S]*?)(?:-{10,}|$)/.exec(
      c.messages,
    );
    expect(targetInvite?.[1]).toMatch(/c=IN IP4 127\.0\.0\.1/);
    expect(targetInvite?.[1]).not.toMatch(/a=(sendonly|recvonly|inactive)/);
    // The transferee's re-INVITE points it at the relay, sending and receiving.
    const reinvites = b.messages.split(/-{10,}/).filter((m) => /^\s*INVITE /m.test(m) && /received/.test(m));
    expect(reinvites).toHaveLength(2);
    expect(reinvites[1]).not.toMatch(/a=(sendonly|recvonly|inactive)/);
    const [cdr] = await cdrsFor('1002');
    expect(cdr).toMatchObject({
      caller: '1001',
      disposition: 'answered',
      answeredBy: '1003',
      hangupSide: 'callee',
      forwardingPath: ['extension:1002', 'transfer:1003', 'extension:1003'],
    });
  });

  it('joins the held party to the consultation target on an attended transfer (REFER with Replaces); BYE goes across', async () => {
    const transferee = await phone(pbx, '1032', 'acme.test', { scenario: 'uas-attended-transferee.xml' });
    const target = await phone(pbx, '1033', 'acme.test', { scenario: 'uas-attended-target.xml' });
    // The consultation writes its dialog (Call-ID and tags as the transferor sees them) for the REFER to name.
    const replacesFile = join(mkdtempSync(join(tmpdir(), 'tk-replaces-')), 'replaces.txt');
    const [first, consultation] = await Promise.all([
      transferCall('call-attended-refer.xml', '1031', '1032', '1033@acme.test', {
        fields: [replacesFile],
        timeout_s: 15,
      }),
      transferCall('call-attended-consult.xml', '1031', '1033', 'unused', {
        fields: [replacesFile],
        timeout_s: 15,
        args: ['-cid_str', 'consult-%u-%p'],
      }),
    ]);
    expect(first.failed, first.output + first.messages).toBe(0);
    expect(first.successful).toBe(1);
    expect(first.messages).toMatch(
      /Refer-To: <sip:1033@acme\.test\?Replaces=consult-[^%>]+%3Bto-tag%3D[^%>]+%3Bfrom-tag%3D[^%>]+>/,
    );
    // The consultation's leg to the transferor is ended by the PBX.
    expect(consultation.failed, consultation.output).toBe(0);
    expect(consultation.successful).toBe(1);
    const b = await transferee.done;
    const c = await target.done;
    expect(b.failed, b.output).toBe(0);
    expect(c.failed, c.output).toBe(0);
    expect(b.successful).toBe(1);
    // The target got the transferee's BYE (its scenario ends on it).
    expect(c.successful).toBe(1);
    // Both are re-INVITEd to media through the relay, sending and receiving: the held party is resumed.
    const received = (r: SippResult) =>
      r.messages.split(/-{10,}/).filter((m) => /^\s*INVITE /m.test(m) && /received/.test(m));
    const bInvites = received(b);
    expect(bInvites).toHaveLength(3);
    expect(bInvites[1]).toMatch(/a=sendonly/);
    expect(bInvites[2]).not.toMatch(/a=(sendonly|recvonly|inactive)/);
    const cInvites = received(c);
    expect(cInvites).toHaveLength(2);
    expect(cInvites[1]).toMatch(/c=IN IP4 127\.0\.0\.1/);
    expect(cInvites[1]).not.toMatch(/a=(sendonly|recvonly|inactive)/);
    const [held] = await cdrsFor('1032');
    expect(held).toMatchObject({
      caller: '1031',
      disposition: 'answered',
      answeredBy: '1032',
      hangupSide: 'callee',
      forwardingPath: ['extension:1032', 'transfer:1033'],
    });
    const [consulted] = await cdrsFor('1033');
    expect(consulted).toMatchObject({
      caller: '1031',
      disposition: 'answered',
      answeredBy: '1033',
      hangupSide: 'caller',
      forwardingPath: ['extension:1033', 'transfer:1032'],
    });
  });

  it('tells the transferor when the target is busy, and the call goes on as it was', async () => {
    const callee = await phone(pbx, '1022', 'acme.test');
    const busy = await phone(pbx, '1023', 'acme.test', { scenario: 'uas-busy.xml' });
    const caller = await transferCall('call-refer-failed.xml', '1021', '1022', '1023@acme.test');
    expect(caller.failed, caller.output).toBe(0);
    expect(caller.successful).toBe(1);
    expect((await busy.done).successful).toBe(1);
    const b = await callee.done;
    expect(b.successful, b.output).toBe(1);
    const [cdr] = await cdrsFor('1022');
    expect(cdr).toMatchObject({
      disposition: 'answered',
      answeredBy: '1022',
      hangupSide: 'caller',
      forwardingPath: ['extension:1022'],
    });
  });

  it('refuses a transfer into another tenant and leaves the call as it was', async () => {
    const callee = await phone(pbx, '1012', 'acme.test');
    const caller = await transferCall('call-refer-refused.xml', '1011', '1012', '3001@beta.test');
    expect(caller.failed, `${caller.output}\n${caller.messages.slice(-6000)}`).toBe(0);
    expect(caller.messages).toMatch(/SIP\/2\.0 403 Transfers Between Tenants Are Not Allowed/);
    expect(caller.messages).not.toMatch(/NOTIFY sip:/);
    const b = await callee.done;
    expect(b.successful, b.output).toBe(1);
    const [cdr] = await cdrsFor('1012');
    expect(cdr).toMatchObject({
      disposition: 'answered',
      answeredBy: '1012',
      hangupSide: 'caller',
      forwardingPath: ['extension:1012'],
    });
  });
});
