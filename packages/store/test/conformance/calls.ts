import { applyProvisioning, type Binding, type Cdr, provisioningDocumentSchema } from '@telekommune/pbx';
import { afterAll, describe, expect, it } from 'vitest';
import {
  SqlCdrRepository,
  SqlProvisioningRepository,
  SqlRegistrationRepository,
  type Store,
} from '../../src/index.js';
import type { StoreFactory } from '../fresh-store.js';

async function withTenant(store: Store): Promise<void> {
  const document = provisioningDocumentSchema.parse({
    tenants: [
      {
        id: 'acme',
        name: 'ACME',
        domain: 'acme.test',
        extensions: [{ number: '1001', name: 'A', password: 'long-enough' }],
      },
    ],
  });
  await applyProvisioning(document, new SqlProvisioningRepository(store));
}

function binding(contact: string, overrides: Partial<Binding> = {}): Binding {
  return {
    tenantId: 'acme',
    aor: '1001',
    contact,
    callId: 'abc@host',
    cseq: 7,
    expiresAt_ms: 2_000_000_000_000,
    registeredAt_ms: 1_700_000_000_000,
    flow: { transport: 'tcp', address: '2001:db8::1', port: 5060, connectionId: 'c-1' },
    ...overrides,
  };
}

function cdr(id: string, startedAt_ms: number, overrides: Partial<Cdr> = {}): Cdr {
  return {
    id,
    tenantId: 'acme',
    callId: `call-${id}`,
    direction: 'internal',
    caller: '1001',
    callee: '1002',
    startedAt_ms,
    endedAt_ms: startedAt_ms + 30_000,
    disposition: 'answered',
    answeredAt_ms: startedAt_ms + 5_000,
    answeredBy: '1002',
    hangupSide: 'caller',
    sipStatus: 200,
    forwardingPath: ['extension:1002'],
    ...overrides,
  };
}

/** Registrations and CDRs: what every back end must store the same way. */
export function callsConformance(factory: StoreFactory): void {
  describe(`registrations and CDRs on ${factory.name}`, () => {
    afterAll(() => factory.cleanup());

    it('stores, refreshes, removes and purges bindings', async () => {
      const store = await factory.open();
      await withTenant(store);
      const repo = new SqlRegistrationRepository(store);
      const a = binding('sip:1001@10.0.0.1', { instanceId: '<urn:uuid:1>', q: 0.5, userAgent: 'baresip' });
      const b = binding('sip:1001@10.0.0.2', { expiresAt_ms: 1_000 });
      await repo.applyChanges([a, b], []);
      expect(await repo.loadActive(10_000)).toEqual([a]);
      const refreshed = { ...a, cseq: 8, expiresAt_ms: 2_000_000_100_000 };
      await repo.applyChanges([refreshed], []);
      expect(await repo.loadActive(10_000)).toEqual([refreshed]);
      expect(await repo.purgeExpired(10_000)).toBe(1);
      await repo.applyChanges([], [a]);
      expect(await repo.loadActive(0)).toEqual([]);
    });

    it('writes a flush of many bindings, with removals, in one go', async () => {
      const store = await factory.open();
      await withTenant(store);
      const repo = new SqlRegistrationRepository(store);
      const many = Array.from({ length: 450 }, (_, i) =>
        binding(`sip:1001@10.0.${i >> 8}.${i & 255}`, { cseq: i }),
      );
      await repo.applyChanges(many, []);
      await repo.applyChanges(
        many.slice(0, 10).map((b) => ({ ...b, cseq: b.cseq + 1000 })),
        many.slice(440),
      );
      const loaded = await repo.loadActive(0);
      expect(loaded).toHaveLength(440);
      expect(loaded.filter((b) => b.cseq >= 1000)).toHaveLength(10);
    });

    it('drops a tenant’s bindings with the tenant', async () => {
      const store = await factory.open();
      await withTenant(store);
      const repo = new SqlRegistrationRepository(store);
      await repo.applyChanges([binding('sip:x@h')], []);
      await new SqlProvisioningRepository(store).deleteTenant('acme');
      expect(await repo.loadActive(0)).toEqual([]);
    });

    it('stores CDRs exactly and filters them newest first', async () => {
      const store = await factory.open();
      const repo = new SqlCdrRepository(store);
      const answered = cdr('a', 1_000_000, {
        cost_minor: 123456789012345n,
        price_minor: 2n,
        currency: 'EUR',
        did: '+4930123',
      });
      const busy = cdr('b', 2_000_000, {
        disposition: 'busy',
        answeredAt_ms: undefined,
        answeredBy: undefined,
        sipStatus: 486,
        callee: '1003',
      });
      const other = cdr('c', 3_000_000, { tenantId: 'other' });
      for (const c of [answered, busy, other]) await repo.insert(c);
      const strip = (c: Cdr) => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined));
      expect((await repo.query({ tenantId: 'acme', limit: 10 })).map(strip)).toEqual(
        [busy, answered].map(strip),
      );
      expect((await repo.query({ limit: 10, disposition: 'busy' })).map((c) => c.id)).toEqual(['b']);
      expect((await repo.query({ limit: 10, number: '1003' })).map((c) => c.id)).toEqual(['b']);
      expect(
        (await repo.query({ limit: 10, from_ms: 1_500_000, to_ms: 2_500_000 })).map((c) => c.id),
      ).toEqual(['b']);
      expect((await repo.query({ limit: 1 })).map((c) => c.id)).toEqual(['c']);
      expect((await repo.query({ limit: 10, before_ms: 2_000_000 })).map((c) => c.id)).toEqual(['a']);
      await expect(repo.insert(answered)).rejects.toThrow();
    });

    it('stores a batch of CDRs in one transaction, all or none', async () => {
      const store = await factory.open();
      const repo = new SqlCdrRepository(store);
      const batch = Array.from({ length: 120 }, (_, i) => cdr(`batch-${i}`, 5_000_000 + i));
      await repo.insertMany(batch);
      expect(await repo.query({ limit: 1000 })).toHaveLength(120);
      // One duplicate id in the next batch refuses the whole batch.
      await expect(repo.insertMany([cdr('fresh-1', 9_000_000), cdr('batch-3', 9_000_001)])).rejects.toThrow();
      expect((await repo.query({ limit: 1000 })).map((c) => c.id)).not.toContain('fresh-1');
    });
  });
}
