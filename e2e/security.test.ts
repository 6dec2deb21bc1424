import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPbx, type TestPbx } from './support/pbx.js';
import { freePort } from './support/ports.js';
import { credentials, injection, scenarioDir, sipp } from './support/sipp.js';
import { hasTool } from './support/tools.js';

const haveSipp = hasTool('sipp', 'sip-tester');

/**
 * Scanner and brute-force defence (pbx.md §6) against SIPp on loopback
 * addresses of their own: a source that fails authentication too often is
 * banned and gets no answer at all (not even a 403) until the ban runs out
 * or an operator lifts it; a known scanner's User-Agent is never answered;
 * a phone's normal challenge before its credentials does not count.
 */
describe.runIf(haveSipp)('SIP brute-force and scanner defence, SIPp as the attacker', () => {
  let pbx: TestPbx;
  let token: string;

  beforeAll(async () => {
    pbx = await startTestPbx({
      env: { TK_SIP_BAN_FAILURES: '3', TK_SIP_BAN_MINUTES: '5', TK_SIP_SOURCE_RATE: '20' },
    });
    await pbx.provision({
      tenants: [
        {
          id: 'acme',
          name: 'ACME',
          domain: 'acme.test',
          extensions: [{ number: '1001', name: 'Alice', password: 'alice-secret-1' }],
        },
      ],
    });
    token = (await pbx.running.context.tokens.create('operator', 'security test')).token;
  });

  afterAll(async () => {
    await pbx?.close();
  });

  /** `attempts` REGISTERs from `address` at `rate` per second, each answered (or not) as the scenario says. */
  const register = async (
    address: string,
    secret: string,
    attempts: number,
    agent = 'desk-phone/1.0',
    rate = 5,
  ) =>
    sipp(
      [
        `127.0.0.1:${pbx.sipPort}`,
        '-sf',
        join(scenarioDir, 'register-probe.xml'),
        '-inf',
        'users.csv',
        '-m',
        String(attempts),
        '-r',
        String(rate),
        '-i',
        address,
        '-p',
        String(await freePort(address)),
        '-auth_uri',
        'acme.test',
      ],
      {
        files: { 'users.csv': injection([['1001', 'acme.test', credentials('1001', secret), agent]]) },
        timeout_s: 30,
      },
    ).done;

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${pbx.running.httpUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...init.headers },
    });

  it('bans a source after repeated wrong passwords, answers it nothing, and lets an operator lift the ban', async () => {
    const guesser = '127.0.0.7';
    // A phone's first REGISTER without credentials is the normal exchange, not a failure.
    const fine = await register('127.0.0.8', 'alice-secret-1', 5);
    expect(fine.successful, fine.output).toBe(5);

    const guesses = await register(guesser, 'wrong-guess', 3);
    // Each guess was challenged and refused with 401: the scenario takes that as a completed call.
    expect(guesses.successful, guesses.output).toBe(3);
    expect(guesses.messages).toMatch(/SIP\/2\.0 401/);

    const bans = (await (await api('/api/security/bans')).json()) as { address: string; until: string }[];
    expect(bans.map((b) => b.address)).toEqual([guesser]);
    expect(Date.parse(bans[0]!.until) - Date.now()).toBeGreaterThan(4 * 60_000);

    // Banned: even the right password gets no answer at all, not even a challenge.
    const silenced = await register(guesser, 'alice-secret-1', 1);
    expect(silenced.failed, silenced.output).toBe(1);
    expect(silenced.messages).not.toMatch(/SIP\/2\.0 \d{3}/);
    // Other sources are not affected.
    expect((await register('127.0.0.9', 'alice-secret-1', 1)).successful).toBe(1);

    // Tenant tokens may not see or lift bans; an operator lifts it and the phone registers again.
    const tenantToken = (await pbx.running.context.tokens.create('tenant', 'acme admin', 'acme')).token;
    const forbidden = await fetch(`${pbx.running.httpUrl}/api/security/bans`, {
      headers: { authorization: `Bearer ${tenantToken}` },
    });
    expect(forbidden.status).toBe(403);
    expect((await api(`/api/security/bans/${guesser}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/api/security/bans/${guesser}`, { method: 'DELETE' })).status).toBe(404);
    expect(await (await api('/api/security/bans')).json()).toEqual([]);
    const back = await register(guesser, 'alice-secret-1', 1);
    expect(back.successful, back.output).toBe(1);
  }, 90_000);

  it('cuts a flood from one address to its rate, while other addresses are served', async () => {
    // 150 registrations (300 requests) at 300 per second against 20 per second (40 at once).
    const flood = register('127.0.0.11', 'alice-secret-1', 150, 'desk-phone/1.0', 300);
    const neighbour = await register('127.0.0.12', 'alice-secret-1', 3);
    expect(neighbour.successful, neighbour.output).toBe(3);
    const run = await flood;
    expect(run.successful).toBeGreaterThan(10);
    expect(run.failed, run.output).toBeGreaterThan(50);
    expect(pbx.running.context.pbx.sip.sourceRate.dropped).toBeGreaterThan(100);
    // Throttling is not banning: once the flood stops, the address is served again.
    await new Promise((r) => setTimeout(r, 2500));
    expect((await register('127.0.0.11', 'alice-secret-1', 1)).successful).toBe(1);
  }, 60_000);

  it('never answers a known scanner, whatever it sends', async () => {
    const scan = await register('127.0.0.10', 'alice-secret-1', 1, 'friendly-scanner');
    expect(scan.failed, scan.output).toBe(1);
    expect(scan.messages).not.toMatch(/SIP\/2\.0 \d{3}/);
    // Not answering is not banning: the same address with a phone's User-Agent is served.
    expect((await register('127.0.0.10', 'alice-secret-1', 1)).successful).toBe(1);
  }, 60_000);
});
