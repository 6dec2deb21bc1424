import { describe, expect, it } from 'vitest';
import type { Binding } from './binding.js';
import { LocationService } from './location-service.js';
import type { RegistrationRepository } from './registration-repository.js';

class MemoryRepository implements RegistrationRepository {
  rows = new Map<string, Binding>();
  failNext = false;
  writes = 0;
  async loadActive(now: number) {
    return [...this.rows.values()].filter((b) => b.expiresAt_ms > now);
  }
  async applyChanges(
    upserts: readonly Binding[],
    removals: readonly Pick<Binding, 'tenantId' | 'aor' | 'contact'>[],
  ) {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk full');
    }
    this.writes++;
    for (const r of removals) this.rows.delete(`${r.tenantId}/${r.aor}/${r.contact}`);
    for (const u of upserts) this.rows.set(`${u.tenantId}/${u.aor}/${u.contact}`, u);
  }
  async purgeExpired(now: number) {
    let n = 0;
    for (const [k, b] of this.rows) if (b.expiresAt_ms <= now) this.rows.delete(k) && n++;
    return n;
  }
}

const flow = { transport: 'udp', address: '127.0.0.1', port: 5070 } as const;

describe('LocationService', () => {
  it('serves lookups from memory at once and persists in one batch', async () => {
    let now = 1_000;
    const repository = new MemoryRepository();
    const service = new LocationService({ repository, now: () => now, flushInterval_ms: 60_000 });
    await service.start();
    for (const [i, aor] of ['1001', '1002'].entries()) {
      service.register({
        tenantId: 't',
        aor,
        callId: `c${i}`,
        cseq: 1,
        wildcard: false,
        contacts: [{ uri: `sip:${aor}@h` }],
        flow,
      });
    }
    expect(service.lookup('t', '1001').map((b) => b.contact)).toEqual(['sip:1001@h']);
    expect(repository.rows.size).toBe(0);
    await service.flush();
    expect(repository.writes).toBe(1);
    expect(repository.rows.size).toBe(2);

    // A restart keeps the registrations with their remaining lifetime.
    now += 1_000_000;
    const restarted = new LocationService({ repository, now: () => now, flushInterval_ms: 60_000 });
    expect(await restarted.start()).toBe(2);
    expect(restarted.lookup('t', '1002')[0]?.expiresAt_ms).toBe(1_000 + 3_600_000);
    now += 3_600_000;
    expect(restarted.lookup('t', '1002')).toEqual([]);
    await service.stop();
    await restarted.stop();
  });

  it('keeps changes pending when a write fails and writes them next time', async () => {
    const repository = new MemoryRepository();
    const errors: unknown[] = [];
    const service = new LocationService({
      repository,
      flushInterval_ms: 60_000,
      onError: (e) => errors.push(e),
    });
    await service.start();
    service.register({
      tenantId: 't',
      aor: '1001',
      callId: 'c',
      cseq: 1,
      wildcard: false,
      contacts: [{ uri: 'sip:x@h' }],
      flow,
    });
    repository.failNext = true;
    await service.flush();
    expect(errors).toHaveLength(1);
    expect(repository.rows.size).toBe(0);
    await service.flush();
    expect(repository.rows.size).toBe(1);
    await service.stop();
  });

  it('isolates tenants: the same extension number in two tenants are two addresses', async () => {
    const service = new LocationService({ repository: new MemoryRepository(), flushInterval_ms: 60_000 });
    await service.start();
    service.register({
      tenantId: 'a',
      aor: '1001',
      callId: 'c',
      cseq: 1,
      wildcard: false,
      contacts: [{ uri: 'sip:a@h' }],
      flow,
    });
    expect(service.lookup('b', '1001')).toEqual([]);
    expect(service.list('b')).toEqual([]);
    expect(service.list('a')).toHaveLength(1);
    await service.stop();
  });
});
