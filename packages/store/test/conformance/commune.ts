import {
  audit,
  CommuneEngine,
  CommuneService,
  canonicalJson,
  type LogEntry,
  sealEntry,
  stateDigest,
  telekommunistenJournal,
  verifyChain,
} from '@telekommune/commune';
import { afterAll, describe, expect, it } from 'vitest';
import { SqlCommuneLog } from '../../src/index.js';
import type { StoreFactory } from '../fresh-store.js';

const person = (id: string, key = `k-${id}`, date = '2024-01-01') => ({
  type: 'register-person',
  idempotency_key: key,
  effective_date: date,
  person: id,
  name: id,
});

function engineBalances(engine: CommuneEngine): Map<string, bigint> {
  return new Map([...engine.state.balances.entries()]);
}

/** The commune log and its ledger projections (venture-commune.md §11, §12). */
export function communeConformance(factory: StoreFactory): void {
  describe(`commune log on ${factory.name}`, () => {
    afterAll(() => factory.cleanup());

    it('starts empty', async () => {
      const log = new SqlCommuneLog(await factory.open());
      expect(await log.head()).toBeNull();
      expect(await log.read(0, 10)).toEqual([]);
      expect(await log.balances()).toEqual([]);
    });

    it('stores the worked example: entries read back hash for hash, balances equal to the ledger', async () => {
      const store = await factory.open();
      const log = new SqlCommuneLog(store);
      const service = new CommuneService(log);
      const result = await service.submitMany(telekommunistenJournal(), { batchSize: 25 });
      expect(result.rejected).toEqual([]);
      const head = await log.head();
      expect(head).toEqual({ seq: service.engine.seq, hash: service.engine.head });

      const entries: LogEntry[] = [];
      for await (const entry of service.entries()) entries.push(entry);
      expect(verifyChain(entries)).toMatchObject({ valid: true, entries: entries.length, head: head?.hash });
      const replayed = CommuneEngine.fromLog(entries);
      expect(stateDigest(replayed.state)).toBe(stateDigest(service.engine.state));

      const stored = new Map(
        (await log.balances()).map((b) => [`${b.currency} ${b.account}`, b.balance_minor]),
      );
      expect(stored).toEqual(engineBalances(service.engine));
      const cash = await log.postings('commune/asset/cash', 'EUR');
      expect(cash.reduce((sum, p) => sum + p.amount_minor, 0n)).toBe(stored.get('EUR commune/asset/cash'));

      expect(audit(entries, { expected_digest: stateDigest(service.engine.state) }).ok).toBe(true);
    });

    it('refuses an append that does not follow the head, and a reused idempotency key, storing nothing', async () => {
      const log = new SqlCommuneLog(await factory.open());
      const engine = new CommuneEngine();
      const first = engine.execute(person('ada'));
      if (first.status !== 'accepted') throw new Error('setup');
      expect(await log.append(0, [first.entry])).toEqual({ ok: true });
      expect(await log.append(0, [first.entry])).toMatchObject({ ok: false, reason: 'conflict' });
      expect(await log.append(5, [{ ...first.entry, seq: 6 }])).toMatchObject({
        ok: false,
        reason: 'conflict',
      });

      const second = engine.execute(person('bo'));
      if (second.status !== 'accepted') throw new Error('setup');
      const reused = sealEntry(3, second.entry.hash, first.entry.command, []);
      expect(await log.append(1, [second.entry, reused])).toMatchObject({
        ok: false,
        reason: 'duplicate-key',
      });
      expect(await log.head()).toMatchObject({ seq: 1 });
      expect(await log.append(1, [second.entry])).toEqual({ ok: true });
    });

    it('keeps amounts exact up to the command limit', async () => {
      const store = await factory.open();
      const service = new CommuneService(new SqlCommuneLog(store));
      const big = 999_999_999_999_999n;
      const d = '2024-01-01';
      for (const command of [
        { type: 'found-enterprise', enterprise: 'big', name: 'Big', opening_cash_minor: big },
        { type: 'record-enterprise-revenue', enterprise: 'big', amount_minor: big, currency: 'EUR' },
        { type: 'record-enterprise-expense', enterprise: 'big', amount_minor: big - 1n, currency: 'EUR' },
      ]) {
        expect(
          (await service.submit({ ...command, idempotency_key: command.type, effective_date: d })).status,
        ).toBe('accepted');
      }
      const stored = await new SqlCommuneLog(store).balances();
      expect(stored.find((b) => b.account === 'enterprise:big/asset/cash')?.balance_minor).toBe(big + 1n);
      const [entry] = await new SqlCommuneLog(store).read(1, 1);
      expect(canonicalJson(entry?.command)).toContain(`"amount_minor":"${big}"`);
    });

    it('lets two services share one database; racing writers both land, in one order, without gaps', async () => {
      const store = await factory.open();
      const a = new CommuneService(new SqlCommuneLog(store));
      const b = new CommuneService(new SqlCommuneLog(store));
      const outcomes = await Promise.all([
        a.submit(person('ada')),
        b.submit(person('bo')),
        a.submit(person('cy')),
        b.submit(person('dee')),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
      await a.sync();
      await b.sync();
      expect(a.engine.seq).toBe(4);
      expect(stateDigest(a.engine.state)).toBe(stateDigest(b.engine.state));
      const dup = await b.submit(person('bo'));
      expect(dup).toEqual({ status: 'duplicate', seq: expect.any(Number) });
    });
  });
}
