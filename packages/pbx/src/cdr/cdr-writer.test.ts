import { describe, expect, it } from 'vitest';
import type { Cdr, CdrRepository } from './cdr.js';
import { BatchingCdrWriter } from './cdr-writer.js';

function cdr(id: string): Cdr {
  return {
    id,
    tenantId: 't',
    callId: id,
    direction: 'internal',
    caller: '1001',
    callee: '1002',
    startedAt_ms: 0,
    endedAt_ms: 1000,
    disposition: 'busy',
    sipStatus: 486,
    forwardingPath: [],
  };
}

class Repo implements CdrRepository {
  batches: string[][] = [];
  failures = 0;
  async insert(c: Cdr) {
    this.batches.push([c.id]);
  }
  async insertMany(cdrs: readonly Cdr[]) {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('database is locked');
    }
    this.batches.push(cdrs.map((c) => c.id));
  }
  async query() {
    return [];
  }
}

describe('BatchingCdrWriter', () => {
  it('writes what arrives within the flush interval in one batch', async () => {
    const repo = new Repo();
    const writer = new BatchingCdrWriter(repo, { flush_ms: 20, onError: () => {} });
    for (const id of ['a', 'b', 'c']) writer.write(cdr(id));
    expect(repo.batches).toEqual([]);
    await new Promise((r) => setTimeout(r, 60));
    expect(repo.batches).toEqual([['a', 'b', 'c']]);
  });

  it('flushes at once when a batch is full, in order, bounded by maxBatch', async () => {
    const repo = new Repo();
    const writer = new BatchingCdrWriter(repo, { flush_ms: 10_000, maxBatch: 2, onError: () => {} });
    for (const id of ['a', 'b', 'c', 'd', 'e']) writer.write(cdr(id));
    await writer.stop();
    expect(repo.batches).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('keeps records through a failing store and writes them on the next flush', async () => {
    const repo = new Repo();
    repo.failures = 1;
    const errors: number[] = [];
    const writer = new BatchingCdrWriter(repo, {
      flush_ms: 10_000,
      onError: (_e, pending) => errors.push(pending),
    });
    writer.write(cdr('a'));
    await writer.flush();
    expect(errors).toEqual([1]);
    expect(writer.pending).toBe(1);
    await writer.stop();
    expect(repo.batches).toEqual([['a']]);
  });

  it('bounds what it holds, dropping the oldest and saying so', async () => {
    const repo = new Repo();
    repo.failures = 100;
    const errors: string[] = [];
    const writer = new BatchingCdrWriter(repo, {
      flush_ms: 10_000,
      maxBatch: 1000,
      maxQueued: 3,
      onError: (e) => errors.push(String(e)),
    });
    for (const id of ['a', 'b', 'c', 'd']) writer.write(cdr(id));
    expect(writer.pending).toBe(3);
    expect(errors[0]).toContain('1 records dropped');
  });
});
