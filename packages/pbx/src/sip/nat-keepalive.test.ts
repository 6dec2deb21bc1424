import { createSipStack, type SipStack } from '@telekommune/sip';
import { afterEach, describe, expect, it } from 'vitest';
import type { Binding } from '../registrar/binding.js';
import { LocationService } from '../registrar/location-service.js';
import type { RegistrationRepository } from '../registrar/registration-repository.js';
import { NatKeepalive } from './nat-keepalive.js';

const repository: RegistrationRepository = {
  loadActive: async () => [],
  applyChanges: async () => {},
  purgeExpired: async () => 0,
};

describe('NatKeepalive', () => {
  const stacks: SipStack[] = [];
  afterEach(async () => {
    await Promise.all(stacks.splice(0).map((s) => s.close()));
  });

  async function stack(onOptions: () => boolean): Promise<SipStack> {
    const created = await createSipStack({
      listen: [{ protocol: 'udp', address: '127.0.0.1', port: 0 }],
      timerConfig: { t1_ms: 20, t2_ms: 80, t4_ms: 100 },
      handlers: {
        onRequest: (request, transaction) => {
          if (request.method === 'OPTIONS' && onOptions()) transaction.reply(200);
        },
      },
    });
    stacks.push(created);
    return created;
  }

  function register(location: LocationService, port: number, natted: boolean): void {
    location.register({
      tenantId: 't',
      aor: '1001',
      callId: `c-${port}-${natted}`,
      cseq: 1,
      wildcard: false,
      contacts: [{ uri: `sip:1001@10.0.0.5:${port}` }],
      flow: { transport: 'udp', address: '127.0.0.1', port, natted },
    });
  }

  it('pings NATed UDP devices at their flow and leaves the others alone', async () => {
    let pings = 0;
    const phone = await stack(() => {
      pings++;
      return true;
    });
    const pbx = await stack(() => true);
    const location = new LocationService({ repository });
    const port = phone.listeners[0]!.port;
    register(location, port, true);
    const keepalive = new NatKeepalive(pbx, location, { interval_ms: 0, maxFailures: 3, maxInFlight: 10 });
    keepalive.tick();
    await new Promise((r) => setTimeout(r, 200));
    expect(pings).toBe(1);
    location.dropAor('t', '1001');
    register(location, port, false);
    keepalive.tick();
    await new Promise((r) => setTimeout(r, 200));
    expect(pings).toBe(1);
  });

  it('drops a binding whose device stopped answering after the failure limit', async () => {
    const phone = await stack(() => false);
    const pbx = await stack(() => true);
    const dropped: Binding[][] = [];
    const location = new LocationService({
      repository,
      onChange: (_t, _a, bindings) => dropped.push([...bindings]),
    });
    register(location, phone.listeners[0]!.port, true);
    const keepalive = new NatKeepalive(pbx, location, { interval_ms: 0, maxFailures: 2, maxInFlight: 10 });
    for (let round = 0; round < 2; round++) {
      keepalive.tick();
      // Timer F is 64*T1 = 1.28 s with T1 = 20 ms.
      await new Promise((r) => setTimeout(r, 1500));
    }
    expect(location.lookup('t', '1001')).toEqual([]);
    expect(dropped.at(-1)).toEqual([]);
  }, 10_000);
});
