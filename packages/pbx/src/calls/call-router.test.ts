import { describe, expect, it } from 'vitest';
import { TenantDirectory } from '../directory/tenant-directory.js';
import { provisioningDocumentSchema } from '../provisioning/tenant-config.js';
import { LocationService } from '../registrar/location-service.js';
import type { RegistrationRepository } from '../registrar/registration-repository.js';
import { CallRouter } from './call-router.js';
import type { CallLegs, RingOutcome, RingTarget } from './ring-outcome.js';

const nullRepository: RegistrationRepository = {
  loadActive: async () => [],
  applyChanges: async () => {},
  purgeExpired: async () => 0,
};

interface Ring {
  readonly extensions: string[];
  readonly timeout_ms: number;
  readonly headers?: RingTarget['headers'];
}

/** Records every attempt and answers from a script keyed by the extensions rung. */
class ScriptedLegs implements CallLegs {
  readonly rings: Ring[] = [];
  readonly applications: string[] = [];
  readonly outsideCalls: string[] = [];
  constructor(
    private readonly answers: Record<string, RingOutcome>,
    private readonly clock?: { now: number },
  ) {}
  async ring(targets: readonly RingTarget[], timeout_ms: number): Promise<RingOutcome> {
    const extensions = targets.map((t) => t.extension);
    const headers = targets[0]?.headers;
    this.rings.push(headers ? { extensions, timeout_ms, headers } : { extensions, timeout_ms });
    const outcome = this.answers[extensions.join('+')] ?? { kind: 'no-answer' };
    if (this.clock && outcome.kind === 'no-answer') this.clock.now += timeout_ms;
    return outcome;
  }
  async application(destination: string): Promise<RingOutcome> {
    this.applications.push(destination);
    return { kind: 'answered', by: destination };
  }
  async outside(number: string): Promise<RingOutcome> {
    this.outsideCalls.push(number);
    return { kind: 'answered', by: number };
  }
}
function setup(tenantInput: Record<string, unknown>, registered: string[], clock = { now: 1_000_000 }) {
  const document = provisioningDocumentSchema.parse({
    tenants: [{ id: 'acme', name: 'ACME', domain: 'acme.test', ...tenantInput }],
  });
  const tenant = document.tenants[0]!;
  const directory = new TenantDirectory(document.tenants);
  const location = new LocationService({ repository: nullRepository, now: () => clock.now });
  for (const number of registered) {
    location.register({
      tenantId: 'acme',
      aor: number,
      callId: `c-${number}`,
      cseq: 1,
      wildcard: false,
      contacts: [{ uri: `sip:${number}@10.0.0.1` }],
      flow: { transport: 'udp', address: '10.0.0.1', port: 5060 },
    });
  }
  const router = new CallRouter(
    () => directory,
    location,
    undefined,
    undefined,
    () => clock.now,
  );
  return { tenant, router, clock };
}

function ext(number: string, extra: Record<string, unknown> = {}) {
  return { number, name: `User ${number}`, password: `secret-${number}`, ...extra };
}

const signal = new AbortController().signal;

describe('CallRouter', () => {
  it('rings every device of a registered extension and reports who answered', async () => {
    const { tenant, router } = setup({ extensions: [ext('1001'), ext('1002')] }, ['1002']);
    const legs = new ScriptedLegs({ '1002': { kind: 'answered', by: '1002' } });
    const routed = await router.route(tenant, 'extension:1002', legs, signal);
    expect(routed).toEqual({ outcome: { kind: 'answered', by: '1002' }, path: ['extension:1002'] });
    expect(legs.rings).toEqual([{ extensions: ['1002'], timeout_ms: 120_000 }]);
  });

  it('answers not-found for a number the tenant does not have', async () => {
    const { tenant, router } = setup({ extensions: [ext('1001')] }, []);
    expect((await router.route(tenant, 'extension:1009', new ScriptedLegs({}), signal)).outcome).toEqual({
      kind: 'not-found',
    });
  });

  it('forwards unconditionally without ringing', async () => {
    const { tenant, router } = setup(
      { extensions: [ext('1001'), ext('1002', { forward: { always: '1001' } })] },
      ['1001', '1002'],
    );
    const legs = new ScriptedLegs({ '1001': { kind: 'answered', by: '1001' } });
    const routed = await router.route(tenant, 'extension:1002', legs, signal);
    expect(routed.path).toEqual(['extension:1002', 'extension:1001']);
    expect(legs.rings.map((r) => r.extensions)).toEqual([['1001']]);
  });

  it('forwards on busy, and treats a declined call like busy', async () => {
    const { tenant, router } = setup(
      { extensions: [ext('1001'), ext('1002', { forward: { busy: 'voicemail:1002' } })] },
      ['1002'],
    );
    for (const answer of [{ kind: 'busy' }, { kind: 'declined' }] as RingOutcome[]) {
      const legs = new ScriptedLegs({ '1002': answer });
      const routed = await router.route(tenant, 'extension:1002', legs, signal);
      expect(routed.path).toEqual(['extension:1002', 'voicemail:1002']);
      expect(legs.applications).toEqual(['voicemail:1002']);
    }
  });

  it('rings for ringTime_s, then forwards on no answer', async () => {
    const { tenant, router } = setup(
      { extensions: [ext('1001'), ext('1002', { ringTime_s: 15, forward: { noAnswer: '1001' } })] },
      ['1001', '1002'],
    );
    const legs = new ScriptedLegs({ '1001': { kind: 'answered', by: '1001' } });
    const routed = await router.route(tenant, '1002', legs, signal);
    expect(legs.rings).toEqual([
      { extensions: ['1002'], timeout_ms: 15_000 },
      { extensions: ['1001'], timeout_ms: 120_000 },
    ]);
    expect(routed.outcome).toEqual({ kind: 'answered', by: '1001' });
  });

  it('forwards when unreachable, and is unavailable without a rule', async () => {
    const { tenant, router } = setup(
      {
        extensions: [
          ext('1001'),
          ext('1002', { forward: { unreachable: 'number:+4930123456' } }),
          ext('1003'),
        ],
      },
      [],
    );
    const legs = new ScriptedLegs({});
    const routed = await router.route(tenant, '1002', legs, signal);
    expect(routed.path).toEqual(['extension:1002', 'number:+4930123456']);
    expect(legs.outsideCalls).toEqual(['+4930123456']);
    expect((await router.route(tenant, '1003', legs, signal)).outcome).toEqual({
      kind: 'unavailable',
      reason: 'not registered',
    });
  });

  it('sends DND callers to the busy target, else busy', async () => {
    const { tenant, router } = setup(
      {
        extensions: [
          ext('1001', { dnd: true }),
          ext('1002', { dnd: true, forward: { busy: 'voicemail:1002' } }),
        ],
      },
      ['1001', '1002'],
    );
    const legs = new ScriptedLegs({});
    expect((await router.route(tenant, '1001', legs, signal)).outcome).toEqual({ kind: 'busy' });
    expect((await router.route(tenant, '1002', legs, signal)).path).toEqual([
      'extension:1002',
      'voicemail:1002',
    ]);
    expect(legs.rings).toEqual([]);
  });

  it('stops a forwarding loop', async () => {
    const { tenant, router } = setup(
      {
        extensions: [
          ext('1001', { forward: { always: '1002' } }),
          ext('1002', { forward: { always: '1001' } }),
        ],
      },
      ['1001', '1002'],
    );
    const routed = await router.route(tenant, '1001', new ScriptedLegs({}), signal);
    expect(routed).toEqual({
      outcome: { kind: 'unavailable', reason: 'forwarding loop' },
      path: ['extension:1001', 'extension:1002', 'extension:1001'],
    });
  });

  it('rings a simultaneous group at once, skipping DND and unregistered members', async () => {
    const { tenant, router } = setup(
      {
        extensions: [ext('1001'), ext('1002', { dnd: true }), ext('1003'), ext('1004')],
        ringGroups: [
          {
            id: 'all',
            name: 'All',
            strategy: 'simultaneous',
            members: ['1001', '1002', '1003', '1004'],
            timeout_s: 30,
          },
        ],
      },
      ['1001', '1002', '1003'],
    );
    const legs = new ScriptedLegs({ '1001+1003': { kind: 'answered', by: '1003' } });
    const routed = await router.route(tenant, 'ringgroup:all', legs, signal);
    expect(legs.rings).toEqual([{ extensions: ['1001', '1003'], timeout_ms: 30_000 }]);
    expect(routed.outcome).toEqual({ kind: 'answered', by: '1003' });
  });

  it('hunts in order with per-member ring times, then goes to the final destination', async () => {
    const clock = { now: 0 };
    const { tenant, router } = setup(
      {
        extensions: [ext('1001'), ext('1002'), ext('1003')],
        ringGroups: [
          {
            id: 'sales',
            name: 'Sales',
            strategy: 'hunt',
            members: ['1001', { extension: '1002', ringTime_s: 10 }, '1003'],
            ringTime_s: 15,
            timeout_s: 60,
            finally: 'voicemail:1001',
          },
        ],
      },
      ['1001', '1002', '1003'],
      clock,
    );
    const legs = new ScriptedLegs({ '1002': { kind: 'busy' } }, clock);
    const routed = await router.route(tenant, 'ringgroup:sales', legs, signal);
    expect(legs.rings).toEqual([
      { extensions: ['1001'], timeout_ms: 15_000 },
      { extensions: ['1002'], timeout_ms: 10_000 },
      { extensions: ['1003'], timeout_ms: 15_000 },
    ]);
    expect(routed.path).toEqual(['ringgroup:sales', 'voicemail:1001']);
  });

  it('bounds a hunt by the group timeout', async () => {
    const clock = { now: 0 };
    const { tenant, router } = setup(
      {
        extensions: [ext('1001'), ext('1002'), ext('1003')],
        ringGroups: [
          {
            id: 'g',
            name: 'G',
            strategy: 'hunt',
            members: ['1001', '1002', '1003'],
            ringTime_s: 20,
            timeout_s: 30,
          },
        ],
      },
      ['1001', '1002', '1003'],
      clock,
    );
    const legs = new ScriptedLegs({}, clock);
    const routed = await router.route(tenant, 'ringgroup:g', legs, signal);
    expect(legs.rings).toEqual([
      { extensions: ['1001'], timeout_ms: 20_000 },
      { extensions: ['1002'], timeout_ms: 10_000 },
    ]);
    expect(routed.outcome).toEqual({ kind: 'unavailable', reason: 'hangup' });
  });

  it('starts a round-robin group after the member who rang last', async () => {
    const { tenant, router } = setup(
      {
        extensions: [ext('1001'), ext('1002'), ext('1003')],
        ringGroups: [{ id: 'rr', name: 'RR', strategy: 'roundRobin', members: ['1001', '1002', '1003'] }],
      },
      ['1001', '1002', '1003'],
    );
    const first = new ScriptedLegs({ '1001': { kind: 'answered', by: '1001' } });
    await router.route(tenant, 'ringgroup:rr', first, signal);
    const second = new ScriptedLegs({ '1002': { kind: 'answered', by: '1002' } });
    await router.route(tenant, 'ringgroup:rr', second, signal);
    const third = new ScriptedLegs({ '1003': { kind: 'answered', by: '1003' } });
    await router.route(tenant, 'ringgroup:rr', third, signal);
    expect([first, second, third].map((l) => l.rings[0]?.extensions)).toEqual([['1001'], ['1002'], ['1003']]);
  });

  it('stops at once when the caller hangs up', async () => {
    const { tenant, router } = setup(
      {
        extensions: [ext('1001'), ext('1002')],
        ringGroups: [
          { id: 'g', name: 'G', strategy: 'hunt', members: ['1001', '1002'], finally: 'voicemail:1001' },
        ],
      },
      ['1001', '1002'],
    );
    const legs = new ScriptedLegs({ '1001': { kind: 'cancelled' } });
    const routed = await router.route(tenant, 'ringgroup:g', legs, signal);
    expect(routed.outcome).toEqual({ kind: 'cancelled' });
    expect(legs.rings).toHaveLength(1);
    expect(legs.applications).toEqual([]);
  });

  it('rings an intercom call at the extension alone, asking it to answer by itself', async () => {
    const { tenant, router } = setup(
      {
        extensions: [
          ext('1001'),
          ext('1002', {
            forward: { noAnswer: '1003', busy: '1003' },
            voicemail: { enabled: true, pin: '1234' },
          }),
          ext('1003'),
          ext('1004', { dnd: true, forward: { busy: '1003' } }),
          ext('1005'),
        ],
      },
      ['1002', '1003', '1004'],
    );
    const intercom = (number: string) => ({
      kind: 'feature' as const,
      feature: 'intercom',
      argument: number,
    });
    const legs = new ScriptedLegs({});
    const routed = await router.route(tenant, intercom('1002'), legs, signal);
    // Not answered: no forwarding and no voicemail, after a short ring.
    expect(routed.outcome).toEqual({ kind: 'no-answer' });
    expect(legs.rings).toEqual([
      {
        extensions: ['1002'],
        timeout_ms: 15_000,
        headers: [
          ['Call-Info', '<sip:acme.test>;answer-after=0'],
          ['Alert-Info', '<http://www.notused.com>;info=alert-autoanswer;delay=0'],
          ['Answer-Mode', 'Auto'],
        ],
      },
    ]);
    expect(legs.applications).toEqual([]);
    expect(routed.path).toEqual(['feature:intercom:1002', 'extension:1002']);

    const others = new ScriptedLegs({});
    expect((await router.route(tenant, intercom('1004'), others, signal)).outcome).toEqual({ kind: 'busy' });
    expect((await router.route(tenant, intercom('1005'), others, signal)).outcome).toMatchObject({
      kind: 'unavailable',
    });
    expect((await router.route(tenant, intercom('1099'), others, signal)).outcome).toEqual({
      kind: 'not-found',
    });
    expect(others.rings).toEqual([]);
    expect(others.applications).toEqual([]);
  });
});
