import { describe, expect, it } from 'vitest';
import { type AppendOutcome, type CommuneLog, MemoryCommuneLog } from './commune-log.js';
import { CommuneService } from './commune-service.js';
import { telekommunistenJournal } from './examples/telekommunisten.js';
import type { LogEntry } from './hash-chain.js';
import { stateDigest } from './snapshot.js';

const person = (id: string, key = `k-${id}`) => ({
  type: 'register-person',
  idempotency_key: key,
  effective_date: '2024-01-01',
  person: id,
  name: id,
});

describe('CommuneService', () => {
  it('stores each accepted command before applying it, and nothing for a rejection', async () => {
    const log = new MemoryCommuneLog();
    const service = new CommuneService(log);
    expect((await service.submit(person('ada'))).status).toBe('accepted');
    expect((await service.submit(person('ada', 'other'))).status).toBe('rejected');
    expect(await service.submit(person('ada'))).toEqual({ status: 'duplicate', seq: 1 });
    expect(await log.head()).toMatchObject({ seq: 1 });
  });

  it('previews a command between others, never in the middle of one', async () => {
    const service = new CommuneService(new MemoryCommuneLog());
    const [stored, preview] = await Promise.all([
      service.submit(person('ada')),
      service.preview(person('bo')),
    ]);
    expect(stored.status).toBe('accepted');
    expect(preview).toEqual({
      events: [expect.objectContaining({ type: 'person-registered', person: 'bo' })],
    });
    expect(service.engine.state.persons.has('bo')).toBe(false);
  });

  it('stores commands that arrive together in one transaction, each with its own outcome', async () => {
    const inner = new MemoryCommuneLog();
    let appends = 0;
    const counting: CommuneLog = {
      head: () => inner.head(),
      read: (after, limit) => inner.read(after, limit),
      append: async (after, entries) => {
        appends += 1;
        return inner.append(after, entries);
      },
    };
    const service = new CommuneService(counting);
    const inputs = [
      ...['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((id) => person(id)),
      person('a', 'k-a'),
      person('a', 'k-other'),
      { type: 'apply', idempotency_key: 'x', effective_date: '2024-01-01', person: 'nobody' },
    ];
    const outcomes = await Promise.all(inputs.map((input) => service.submit(input)));
    expect(outcomes.map((o) => o.status)).toEqual([
      ...Array(8).fill('accepted'),
      'duplicate',
      'rejected',
      'rejected',
    ]);
    expect(outcomes.slice(0, 8).map((o) => (o.status === 'accepted' ? o.entry.seq : 0))).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8,
    ]);
    expect(appends).toBeLessThan(8);
    const fresh = new CommuneService(inner);
    await fresh.sync();
    expect(stateDigest(fresh.engine.state)).toBe(stateDigest(service.engine.state));
  });

  it('lets two processes share one log: each catches up before deciding', async () => {
    const log = new MemoryCommuneLog();
    const a = new CommuneService(log);
    const b = new CommuneService(log);
    await a.submit(person('ada'));
    await b.submit(person('bo'));
    const outcome = await a.submit(person('bo', 'again'));
    expect(outcome.status === 'rejected' && outcome.rejection.code).toBe('DUPLICATE');
    await a.sync();
    expect(stateDigest(a.engine.state)).toBe(stateDigest(b.engine.state));
  });

  it('retries when another writer appends between its decision and its append', async () => {
    const inner = new MemoryCommuneLog();
    const rival = new CommuneService(inner);
    let raced = false;
    const racing: CommuneLog = {
      head: () => inner.head(),
      read: (after, limit) => inner.read(after, limit),
      async append(after: number, entries: readonly LogEntry[]): Promise<AppendOutcome> {
        if (!raced) {
          raced = true;
          await rival.submit(person('rival'));
        }
        return inner.append(after, entries);
      },
    };
    const service = new CommuneService(racing);
    const outcome = await service.submit(person('ada'));
    expect(outcome.status === 'accepted' && outcome.entry.seq).toBe(2);
    expect([...service.engine.state.persons.keys()].sort()).toEqual(['ada', 'rival']);
  });

  it('gives up with CONCURRENCY_CONFLICT when other writers always append first', async () => {
    const inner = new MemoryCommuneLog();
    const rival = new CommuneService(inner);
    let n = 0;
    const crowded: CommuneLog = {
      head: () => inner.head(),
      read: (after, limit) => inner.read(after, limit),
      async append(after: number, entries: readonly LogEntry[]): Promise<AppendOutcome> {
        n += 1;
        await rival.submit(person(`rival-${n}`));
        return inner.append(after, entries);
      },
    };
    const service = new CommuneService(crowded, { maxConflictRetries: 2 });
    const outcome = await service.submit(person('ada'));
    expect(outcome.status === 'rejected' && outcome.rejection.code).toBe('CONCURRENCY_CONFLICT');
    expect(n).toBe(3);
    expect(service.engine.state.persons.has('ada')).toBe(false);
  });

  it('imports a journal in batches and stops at the first rejection unless told to continue', async () => {
    const journal = telekommunistenJournal();
    const service = new CommuneService(new MemoryCommuneLog());
    const result = await service.submitMany(journal, { batchSize: 7 });
    expect(result).toMatchObject({ accepted: journal.length, rejected: [], stoppedAt: null });
    const again = await service.submitMany(
      [
        person('zed', 'z1'),
        { type: 'apply', idempotency_key: 'z2', effective_date: '2030-01-01', person: 'nobody' },
        person('yan', 'z3'),
      ].map((c) => ({ ...c, effective_date: '2030-01-01' })),
    );
    expect(again).toMatchObject({ accepted: 1, stoppedAt: 1 });
    const cont = await service.submitMany(
      [
        { type: 'apply', idempotency_key: 'z4', effective_date: '2030-01-01', person: 'nobody' },
        { ...person('yan', 'z5'), effective_date: '2030-01-01' },
      ],
      { stopOnRejection: false },
    );
    expect(cont).toMatchObject({
      accepted: 1,
      stoppedAt: null,
      rejected: [{ index: 0, rejection: { code: 'NOT_FOUND' } }],
    });
    const fresh = new CommuneService(service.log);
    await fresh.sync();
    expect(stateDigest(fresh.engine.state)).toBe(stateDigest(service.engine.state));
  });

  it('rebuilds its state from the log when a batch cannot be stored', async () => {
    const inner = new MemoryCommuneLog();
    let fail = false;
    const flaky: CommuneLog = {
      head: () => inner.head(),
      read: (after, limit) => inner.read(after, limit),
      append: async (after, entries) => {
        if (fail) throw new Error('disk full');
        return inner.append(after, entries);
      },
    };
    const service = new CommuneService(flaky);
    await service.submit(person('ada'));
    fail = true;
    await expect(service.submitMany([person('bo'), person('cy')])).rejects.toThrow('disk full');
    expect([...service.engine.state.persons.keys()]).toEqual(['ada']);
    await expect(service.submit(person('dee'))).rejects.toThrow('disk full');
    expect([...service.engine.state.persons.keys()]).toEqual(['ada']);
  });
});
