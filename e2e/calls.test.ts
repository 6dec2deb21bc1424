import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPbx, type TestPbx } from './support/pbx.js';
import { freePort } from './support/ports.js';
import { credentials, injection, type SippResult, scenarioDir, sipp } from './support/sipp.js';
import { dial, extension, password, phone, register } from './support/sipp-calls.js';
import { hasTool } from './support/tools.js';

const haveSipp = hasTool('sipp', 'sip-tester');
const scenario = (name: string) => join(scenarioDir, name);

describe.runIf(haveSipp)('calls through the PBX, driven by SIPp', () => {
  let pbx: TestPbx;
  const target = () => `127.0.0.1:${pbx.sipPort}`;

  beforeAll(async () => {
    pbx = await startTestPbx();
    const mass = Array.from({ length: 100 }, (_, i) => extension(String(2000 + i)));
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
            extension('1004', { forward: { busy: '1005' } }),
            extension('1005'),
            extension('1006', { ringTime_s: 5, forward: { noAnswer: '1007' } }),
            extension('1007'),
            extension('1008', { dnd: true }),
            extension('1011'),
            extension('1012'),
            extension('1013'),
            extension('1020'),
            extension('1021'),
            ...mass,
          ],
          ringGroups: [
            {
              id: 'support',
              name: 'Support',
              number: '600',
              strategy: 'hunt',
              members: ['1011', { extension: '1012', ringTime_s: 5 }, '1013'],
              timeout_s: 60,
            },
          ],
        },
        {
          id: 'beta',
          name: 'Beta',
          domain: 'beta.test',
          extensions: [extension('1001'), extension('3001')],
        },
      ],
    });
  });

  afterAll(async () => {
    await pbx?.close();
  });

  /** A SIPp UAS registered as `number` of acme.test, answering `calls` calls with `scenario`. */
  const phoneOf = (number: string, scenario: string | 'uas', calls = 1) =>
    phone(pbx, number, 'acme.test', { scenario, calls, timeout_s: 30 });

  /** Calls `callee` of acme.test from `caller` with a scenario; returns SIPp's result. */
  const dialFrom = (caller: string, callee: string, scenario = 'call.xml', calls = 1) =>
    dial(pbx, caller, 'acme.test', callee, { scenario, calls });

  /** The CDRs of calls to `callee`, once `count` are stored. */
  const cdrsFor = (callee: string, count: number) =>
    pbx.cdrs({ tenantId: 'acme', number: callee, limit: 100 }, count, (c) => c.callee === callee);

  it('registers 100 extensions with digest authentication from an injection file', async () => {
    const contact = await freePort();
    const rows = Array.from({ length: 100 }, (_, i) => {
      const n = String(2000 + i);
      return [n, 'acme.test', credentials(n, password(n)), String(contact), '600'];
    });
    const result = await sipp(
      [
        target(),
        '-sf',
        scenario('register.xml'),
        '-inf',
        'users.csv',
        '-m',
        '100',
        '-r',
        '50',
        '-i',
        '127.0.0.1',
        '-p',
        String(await freePort()),
        '-auth_uri',
        'acme.test',
      ],
      { files: { 'users.csv': injection(rows) }, timeout_s: 20 },
    ).done;
    expect(result.failed, result.output).toBe(0);
    expect(result.successful).toBe(100);
    const registered = pbx.running.context.location.list('acme').filter((b) => Number(b.aor) >= 2000);
    expect(new Set(registered.map((b) => b.aor)).size).toBe(100);
    expect(pbx.running.context.location.list('beta')).toEqual([]);
  });

  it('connects a caller to a registered extension through the B2BUA, call after call', async () => {
    const callee = await phoneOf('1002', 'uas', 3);
    const result = await dialFrom('1001', '1002', 'call.xml', 3);
    expect(result.failed, result.output).toBe(0);
    expect(result.successful).toBe(3);
    expect((await callee.done).successful).toBe(3);
    const cdrs = await cdrsFor('1002', 3);
    expect(cdrs).toHaveLength(3);
    for (const cdr of cdrs) {
      expect(cdr).toMatchObject({
        disposition: 'answered',
        answeredBy: '1002',
        hangupSide: 'caller',
        sipStatus: 200,
        caller: '1001',
      });
      expect(cdr.answeredAt_ms).toBeGreaterThanOrEqual(cdr.startedAt_ms);
    }
    // Media was anchored: the B2BUA's INVITE to the phone offered the relay, not the caller.
    const invite = /INVITE sip:1002@[\s\S]*?c=IN IP4 (\S+)[\s\S]*?m=audio (\d+)/.exec(
      (await callee.done).messages,
    );
    expect(invite?.[1]).toBe('127.0.0.1');
  });

  it('stops ringing when the caller cancels, and records the cancelled call', async () => {
    const callee = await phoneOf('1003', 'uas-ring.xml');
    const result = await dialFrom('1001', '1003', 'cancel.xml');
    expect(result.failed, result.output).toBe(0);
    expect(result.successful).toBe(1);
    expect((await callee.done).successful).toBe(1);
    const [cdr] = await cdrsFor('1003', 1);
    expect(cdr).toMatchObject({ disposition: 'cancelled', sipStatus: 487, hangupSide: 'caller' });
  });

  it('forwards a busy extension to its busy target', async () => {
    const busy = await phoneOf('1004', 'uas-busy.xml');
    const other = await phoneOf('1005', 'uas');
    const result = await dialFrom('1001', '1004');
    expect(result.failed, result.output).toBe(0);
    expect(result.successful).toBe(1);
    expect((await busy.done).successful).toBe(1);
    expect((await other.done).successful).toBe(1);
    const [cdr] = await cdrsFor('1004', 1);
    expect(cdr).toMatchObject({
      disposition: 'answered',
      answeredBy: '1005',
      forwardingPath: ['extension:1004', 'extension:1005'],
    });
  });

  it('forwards after the ring time when nobody answers', async () => {
    const ringing = await phoneOf('1006', 'uas-ring.xml');
    const other = await phoneOf('1007', 'uas');
    const result = await dialFrom('1001', '1006');
    expect(result.failed, result.output).toBe(0);
    expect((await ringing.done).successful).toBe(1);
    expect((await other.done).successful).toBe(1);
    const [cdr] = await cdrsFor('1006', 1);
    expect(cdr).toMatchObject({ answeredBy: '1007', forwardingPath: ['extension:1006', 'extension:1007'] });
    expect(cdr!.answeredAt_ms! - cdr!.startedAt_ms).toBeGreaterThanOrEqual(4900);
  });

  it('gives busy for an extension on do not disturb without ringing it', async () => {
    const port = await freePort();
    expect((await register(pbx, '1008', 'acme.test', port)).successful).toBe(1);
    const result = await dialFrom('1001', '1008', 'call-refused.xml');
    expect(result.failed, result.output).toBe(0);
    expect(result.messages).toMatch(/SIP\/2\.0 486 Busy Here/);
    const [cdr] = await cdrsFor('1008', 1);
    expect(cdr).toMatchObject({ disposition: 'busy', sipStatus: 486 });
  });

  it('hunts through a ring group in order', async () => {
    const first = await phoneOf('1011', 'uas-busy.xml');
    const second = await phoneOf('1012', 'uas-ring.xml');
    const third = await phoneOf('1013', 'uas');
    const result = await dialFrom('1001', '600');
    expect(result.failed, result.output).toBe(0);
    const runs = [await first.done, await second.done, await third.done];
    expect(runs.map((r) => r.successful)).toEqual([1, 1, 1]);
    // When each phone's SIPp logged the INVITE, in microseconds: two phones on one machine can log within the
    // same millisecond, but never in the wrong order when the second is rung after the first said busy.
    const inviteTime = (r: SippResult) => {
      const match = /-{10,} (\S+ \S+)\s*\n[^\n]*received[^\n]*\n\s*\nINVITE /.exec(r.messages);
      const stamp = match?.[1];
      if (!stamp) return Number.NaN;
      const ms = Date.parse(`${stamp.replace(' ', 'T').slice(0, 23)}Z`);
      return ms * 1000 + Number(stamp.slice(23, 26).padEnd(3, '0'));
    };
    const times = runs.map(inviteTime);
    expect(times.every((t) => Number.isFinite(t))).toBe(true);
    expect(times[0]!).toBeLessThan(times[1]!);
    expect(times[1]! + 4_500_000).toBeLessThan(times[2]!);
    const [cdr] = await cdrsFor('600', 1);
    expect(cdr).toMatchObject({ answeredBy: '1013', forwardingPath: ['ringgroup:support'] });
  });

  it('passes hold, resume and a codec change (re-INVITE, UPDATE) across both legs', async () => {
    const callee = await phoneOf('1020', 'uas-hold.xml');
    const result = await dialFrom('1001', '1020', 'call-hold.xml');
    expect(result.failed, result.output).toBe(0);
    expect(result.successful).toBe(1);
    const far = await callee.done;
    expect(far.failed, far.output).toBe(0);
    expect(far.successful).toBe(1);
  });

  it('ends the call for the caller when the callee hangs up, and records who did', async () => {
    const callee = await phoneOf('1021', 'uas-hangup.xml');
    const result = await dialFrom('1001', '1021', 'call-wait-bye.xml');
    expect(result.failed, result.output).toBe(0);
    expect(result.successful).toBe(1);
    expect((await callee.done).successful).toBe(1);
    const [cdr] = await cdrsFor('1021', 1);
    expect(cdr).toMatchObject({ disposition: 'answered', hangupSide: 'callee' });
  }, 60_000);

  it('keeps tenants apart: no calls into another tenant, no registering with its credentials', async () => {
    const refused = await dialFrom('1001', '3001', 'call-refused.xml');
    expect(refused.failed, refused.output).toBe(0);
    expect(refused.messages).toMatch(/SIP\/2\.0 404 /);
    const port = await freePort();
    const foreign = await register(pbx, '3001', 'acme.test', port);
    expect(foreign.successful).toBe(0);
    expect(pbx.running.context.location.list('beta')).toEqual([]);
    // The same extension number in two tenants is two different phones.
    expect((await register(pbx, '1001', 'beta.test', port)).successful).toBe(1);
    expect(pbx.running.context.location.lookup('beta', '1001')).toHaveLength(1);
    expect(
      pbx.running.context.location.lookup('acme', '1001').some((b) => b.contact.endsWith(`:${port}`)),
    ).toBe(false);
  });
});
