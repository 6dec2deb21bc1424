import { describe, expect, it } from 'vitest';
import type { NumberClass } from '../numbering/number-class.js';
import { tenantConfigSchema } from '../provisioning/tenant-config.js';
import { type FraudAlert, LogAndWebhookAlertSink } from './fraud-alert.js';
import { type FraudCall, FraudGuard, type Suspension } from './fraud-guard.js';
import { fraudPolicyOf } from './fraud-policy.js';

const tenant = tenantConfigSchema.parse({
  id: 'acme',
  name: 'ACME',
  domain: 'acme.test',
  country: 'DE',
  extensions: [
    {
      number: '1001',
      name: 'A',
      password: 'secret-1001',
      fraud: { maxConcurrentCalls: 3, maxSpendPerDay: '2.00' },
    },
    { number: '1002', name: 'B', password: 'secret-1002' },
  ],
  fraud: {
    maxConcurrentCalls: 4,
    maxSpendPerDay: '3.00',
    perExtension: { maxConcurrentCalls: 2, maxSpendPerDay: '1.00' },
    newDestination: { maxConcurrentCalls: 2, maxSpendPerDay: '0.50' },
    blockedPrefixes: ['+53', '4990'],
    maxDeniedPerHour: 5,
    alertWebhook: 'https://hooks.acme.test/fraud',
  },
});

function setup(start = Date.UTC(2025, 2, 1, 10)) {
  let now = start;
  const alerts: FraudAlert[] = [];
  const cut: string[][] = [];
  const suspended: Suspension[] = [];
  const guard = new FraudGuard(
    (id) => (id === 'acme' ? fraudPolicyOf(tenant) : undefined),
    {
      alerts: { alert: (a) => alerts.push(a) },
      cut: (ids) => cut.push([...ids]),
      suspended: (s) => suspended.push(s),
    },
    () => now,
  );
  let n = 0;
  const call = (
    extension: string | undefined,
    e164: string,
    numberClass: NumberClass = 'national',
  ): FraudCall => ({
    callId: `c${++n}`,
    tenantId: 'acme',
    extension,
    e164,
    numberClass,
  });
  return { guard, alerts, cut, suspended, call, advance: (ms: number) => (now += ms) };
}

describe('FraudGuard', () => {
  it('allows ordinary calls and counts them while they last', () => {
    const { guard, call } = setup();
    const c = call('1002', '+49891234567');
    expect(guard.authorise(c)).toEqual({ allow: true });
    guard.callStarted(c);
    expect(guard.usage('acme').concurrentCalls).toBe(1);
    guard.callEnded(c.callId);
    guard.callEnded(c.callId);
    expect(guard.usage('acme').concurrentCalls).toBe(0);
  });

  it('limits concurrent outside calls per extension and per tenant', () => {
    const { guard, call } = setup();
    const start = (ext: string) => {
      const c = call(ext, '+49891234567');
      const decision = guard.authorise(c);
      if (decision.allow) guard.callStarted(c);
      return decision;
    };
    expect(start('1002').allow).toBe(true);
    expect(start('1002').allow).toBe(true);
    expect(start('1002')).toMatchObject({ allow: false, reason: 'extension-concurrency' });
    expect(start('1001').allow).toBe(true);
    expect(start('1001').allow).toBe(true);
    expect(start('1001')).toMatchObject({ allow: false, reason: 'tenant-concurrency' });
  });

  it('blocks prefixes and premium numbers by default, but never emergency calls', () => {
    const { guard, call } = setup();
    expect(guard.authorise(call('1001', '+5351234567', 'international'))).toMatchObject({
      reason: 'blocked-prefix',
    });
    expect(guard.authorise(call('1001', '+499005123456', 'premium'))).toMatchObject({
      reason: 'blocked-prefix',
    });
    expect(guard.authorise(call('1001', '+19005550123', 'premium'))).toMatchObject({
      reason: 'blocked-class',
    });
    guard.suspend('acme', undefined, 'test');
    expect(guard.authorise(call('1001', '112', 'emergency'))).toEqual({ allow: true });
  });

  it('gives destinations first called today lower limits, and normal ones from the next day', () => {
    const { guard, call, advance } = setup();
    const uk = () => call('1001', '+442079460958', 'international');
    const a = uk();
    const b = uk();
    guard.callStarted(a);
    guard.callStarted(b);
    expect(guard.authorise(uk())).toMatchObject({ allow: false, reason: 'new-destination-concurrency' });
    guard.callEnded(a.callId);
    guard.callEnded(b.callId);
    advance(86_400_000);
    const c1 = uk();
    const c2 = uk();
    guard.callStarted(c1);
    guard.callStarted(c2);
    expect(guard.authorise(uk())).toEqual({ allow: true });
  });

  it('cuts off a burst of international calls: spend breach suspends the extension and ends its calls', () => {
    const { guard, call, alerts, cut, suspended, advance } = setup();
    advance(-86_400_000 * 2);
    // Make +44 a known destination two days ago.
    const old = call('1001', '+442079460958', 'international');
    guard.callStarted(old);
    guard.callEnded(old.callId);
    advance(86_400_000 * 2);
    const calls = [0, 1, 2].map(() => call('1001', '+442079460958', 'international'));
    for (const c of calls) {
      expect(guard.authorise(c)).toEqual({ allow: true });
      guard.callStarted(c);
    }
    guard.costAccrued(calls[0]!.callId, 900_000n);
    guard.costAccrued(calls[1]!.callId, 900_000n);
    expect(cut).toEqual([]);
    guard.costAccrued(calls[2]!.callId, 300_000n);
    expect(suspended).toMatchObject([{ tenantId: 'acme', extension: '1001' }]);
    expect(cut).toEqual([calls.map((c) => c.callId)]);
    expect(alerts.map((a) => a.kind)).toEqual(['spend-breach', 'suspended']);
    expect(guard.authorise(call('1001', '+49891234567'))).toMatchObject({
      allow: false,
      reason: 'suspended',
    });
    expect(guard.authorise(call('1002', '+49891234567'))).toEqual({ allow: true });
    // The router ends the cut calls and reports it.
    for (const c of calls) guard.callEnded(c.callId);
    expect(guard.lift('acme', '1001')).toBe(true);
    expect(guard.lift('acme', '1001')).toBe(false);
    expect(guard.authorise(call('1001', '+49891234567'))).toMatchObject({
      allow: false,
      reason: 'extension-spend',
    });
  });

  it('suspends the whole tenant when the tenant limit is crossed, and resets spend each UTC day', () => {
    const { guard, call, suspended, advance } = setup(Date.UTC(2025, 2, 1, 23, 0));
    const a = call('1001', '+49891234567');
    const b = call('1002', '+49891234567');
    guard.callStarted(a);
    guard.callStarted(b);
    guard.costAccrued(a.callId, 1_900_000n);
    guard.costAccrued(b.callId, 900_000n);
    expect(suspended).toEqual([]);
    advance(3_600_000);
    // A new day: spend starts from zero again.
    guard.costAccrued(a.callId, 100_000n);
    expect(guard.usage('acme').spentToday_micro).toBe(100_000n);
    guard.costAccrued(a.callId, 1_850_000n);
    guard.costAccrued(b.callId, 950_000n);
    guard.costAccrued(b.callId, 200_000n);
    expect(suspended.map((s) => s.extension)).toEqual([undefined]);
  });

  it('alerts once a minute per scope on refusals and suspends after too many within an hour', () => {
    const { guard, call, alerts, suspended, advance } = setup();
    const held = [call('1002', '+49891234567'), call('1002', '+49891234567')];
    for (const c of held) guard.callStarted(c);
    for (let i = 0; i < 4; i++) {
      expect(guard.authorise(call('1002', '+49891234567')).allow).toBe(false);
      advance(20_000);
    }
    expect(alerts.filter((a) => a.kind === 'limit-denied')).toHaveLength(2);
    expect(suspended).toEqual([]);
    guard.authorise(call('1002', '+49891234567'));
    expect(suspended).toMatchObject([
      { extension: '1002', reason: '5 outside calls refused for limits within an hour' },
    ]);
  });

  it('restores suspensions, known destinations and spend after a restart', () => {
    const { guard, call } = setup();
    guard.restore({
      suspensions: [{ tenantId: 'acme', extension: '1002', reason: 'earlier', since_ms: 0 }],
      knownDestinations: [{ tenantId: 'acme', key: '44', firstCalled_ms: 0 }],
      spendToday: [{ tenantId: 'acme', extension: '1001', price_micro: 2_000_000n }],
    });
    expect(guard.authorise(call('1002', '+49891234567'))).toMatchObject({ reason: 'suspended' });
    expect(guard.authorise(call('1001', '+49891234567'))).toMatchObject({ reason: 'extension-spend' });
    expect(guard.listSuspensions('acme')).toHaveLength(1);
  });

  it('refuses calls of unknown tenants', () => {
    const { guard } = setup();
    expect(
      guard.authorise({
        callId: 'x',
        tenantId: 'nobody',
        extension: undefined,
        e164: '+49891234567',
        numberClass: 'national',
      }),
    ).toMatchObject({ allow: false, reason: 'unknown-tenant' });
  });
});

describe('LogAndWebhookAlertSink', () => {
  const alert: FraudAlert = {
    kind: 'suspended',
    tenantId: 'acme',
    extension: '1001',
    message: 'm',
    at: '2025-03-01T00:00:00.000Z',
  };

  it('logs every alert and posts it to the webhook', async () => {
    const logged: string[] = [];
    const posted: { url: string; body: unknown }[] = [];
    const sink = new LogAndWebhookAlertSink(
      { warn: (_o, m) => logged.push(m) },
      {
        fetch: (async (url: string, init: RequestInit) => {
          posted.push({ url, body: JSON.parse(String(init.body)) });
          return new Response(null, { status: 204 });
        }) as typeof fetch,
      },
    );
    sink.alert(alert, 'https://hooks.test/a');
    sink.alert(alert, undefined);
    await sink.idle();
    expect(logged).toEqual(['fraud guard: m', 'fraud guard: m']);
    expect(posted).toEqual([{ url: 'https://hooks.test/a', body: { type: 'fraud-alert', ...alert } }]);
  });

  it('logs webhook failures and bounds its queue', async () => {
    const logged: string[] = [];
    const sink = new LogAndWebhookAlertSink(
      { warn: (_o, m) => logged.push(m) },
      { maxQueue: 2, fetch: (async () => Promise.reject(new Error('down'))) as typeof fetch },
    );
    for (let i = 0; i < 5; i++) sink.alert(alert, 'https://hooks.test/a');
    await sink.idle();
    expect(logged.filter((m) => m.includes('failed')).length).toBeGreaterThanOrEqual(2);
    expect(logged.filter((m) => m.includes('queue full')).length).toBeGreaterThanOrEqual(1);
  });
});
