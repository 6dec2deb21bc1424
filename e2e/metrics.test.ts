import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPbx, type TestPbx } from './support/pbx.js';
import { dial, extension, phone } from './support/sipp-calls.js';
import { hasTool } from './support/tools.js';

const haveSipp = hasTool('sipp', 'sip-tester');

/** One sample of `/metrics` text: the value of `name` with exactly these labels (besides `service`). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/([a-z_]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]),
    );
    delete found.service;
    if (JSON.stringify(found) === JSON.stringify(Object.fromEntries(Object.entries(labels).sort()))) {
      return Number(match[3]);
    }
  }
  return undefined;
}

/** The PBX's Prometheus metrics move with real SIP traffic from SIPp. */
describe.runIf(haveSipp)('PBX metrics at /metrics', () => {
  let pbx: TestPbx;

  beforeAll(async () => {
    pbx = await startTestPbx();
    await pbx.provision({
      tenants: [
        { id: 'acme', name: 'ACME', domain: 'acme.test', extensions: [extension('1001'), extension('1002')] },
      ],
    });
  });

  afterAll(async () => {
    await pbx?.close();
  });

  const scrape = async () => (await fetch(`${pbx.running.httpUrl}/metrics`)).text();

  it('counts registrations, SIP requests, active and ended calls', async () => {
    const before = await scrape();
    expect(sample(before, 'telekommune_calls_active')).toBe(0);
    expect(sample(before, 'telekommune_sip_registrations', { transport: 'udp' })).toBeUndefined();

    const bob = await phone(pbx, '1002', 'acme.test');
    const registered = await scrape();
    expect(sample(registered, 'telekommune_sip_registrations', { transport: 'udp' })).toBe(1);
    // The REGISTER without credentials and the one with them.
    expect(sample(registered, 'telekommune_sip_requests_received_total', { method: 'REGISTER' })).toBe(2);

    const call = await dial(pbx, '1001', 'acme.test', '1002');
    expect(call.failed, call.output).toBe(0);
    expect((await bob.done).successful).toBe(1);
    await pbx.cdrs({ tenantId: 'acme' }, 1);
    const after = await scrape();
    expect(sample(after, 'telekommune_calls_total', { direction: 'internal', disposition: 'answered' })).toBe(
      1,
    );
    expect(sample(after, 'telekommune_calls_active')).toBe(0);
    // The INVITE challenged with 407 and the INVITE with credentials.
    expect(sample(after, 'telekommune_sip_requests_received_total', { method: 'INVITE' })).toBe(2);
    expect(
      sample(after, 'telekommune_sip_requests_received_total', { method: 'BYE' }),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'telekommune_sip_responses_received_total')).toBeGreaterThanOrEqual(2);
    expect(sample(after, 'telekommune_sip_banned_sources')).toBe(0);
  }, 60_000);
});
