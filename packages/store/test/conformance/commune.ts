import {
  audit,
  CommuneEngine,
  CommuneService,
  canonicalJson,
  EncodedEntry,
  fingerprintOf,
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

    it('audits the stored log page by page, and finds a row changed in the database', async () => {
      const store = await factory.open();
      const log = new SqlCommuneLog(store);
      const service = new CommuneService(log, { readPage: 9 });
      expect((await service.submitMany(telekommunistenJournal(), { batchSize: 25 })).rejected).toEqual([]);
      const [read] = await log.read(0, 1);
      expect(read).toBeInstanceOf(EncodedEntry);
      const clean = await service.audit();
      expect(clean).toMatchObject({ ok: true, entries: service.engine.seq, differences: [] });

      // The same content written differently: audited on its canonical encoding, still whole.
      const row = await store.db
        .selectFrom('commune_log')
        .select(['seq', 'events'])
        .where('command_type', '=', 'pay-rent')
        .orderBy('seq')
        .executeTakeFirstOrThrow();
      await store.db
        .updateTable('commune_log')
        .set({ events: `${row.events}\n` })
        .where('seq', '=', row.seq)
        .execute();
      expect((await new CommuneService(new SqlCommuneLog(store)).audit()).chain.valid).toBe(true);

      // An amount changed in the stored text breaks the chain at that entry.
      const forged = row.events.replace(
        /"amount_minor":"(\d+)"/,
        (_, n: string) => `"amount_minor":"${BigInt(n) - 1n}"`,
      );
      expect(forged).not.toBe(row.events);
      await store.db.updateTable('commune_log').set({ events: forged }).where('seq', '=', row.seq).execute();
      const report = await new CommuneService(new SqlCommuneLog(store), { readPage: 4 }).audit();
      expect(report.ok).toBe(false);
      expect(report.chain.first_invalid).toEqual({
        seq: Number(row.seq),
        reason: 'hash does not match the entry content',
      });
    });

    it('stores each command fingerprint for replay; rows without one replay alike, a rewritten one is audited', async () => {
      const store = await factory.open();
      const log = new SqlCommuneLog(store);
      const service = new CommuneService(log);
      expect((await service.submitMany(telekommunistenJournal(), { batchSize: 25 })).rejected).toEqual([]);
      const digest = stateDigest(service.engine.state);
      const rows = await store.db
        .selectFrom('commune_log')
        .select(['seq', 'command', 'fingerprint'])
        .execute();
      for (const row of rows) expect(row.fingerprint).toBe(fingerprintOf(row.command));

      // Rows written before the column existed: replay hashes their commands itself.
      await store.db.updateTable('commune_log').set({ fingerprint: null }).where('seq', '<=', 10).execute();
      const fresh = new CommuneService(new SqlCommuneLog(store));
      expect(stateDigest((await fresh.sync()).state)).toBe(digest);
      expect((await fresh.audit()).ok).toBe(true);

      // A fingerprint rewritten in the database: replay believes it, the audit does not.
      await store.db
        .updateTable('commune_log')
        .set({ fingerprint: 'f'.repeat(32) })
        .where('seq', '=', 12)
        .execute();
      const misled = new CommuneService(new SqlCommuneLog(store));
      await misled.sync();
      const report = await misled.audit({ expected_digest: digest });
      expect(report.differences[0]).toEqual({
        seq: 12,
        what: 'entry',
        detail: 'the key, date or fingerprint stored beside the command differs from the command',
      });
      expect(report.ok).toBe(false);
    });

    it('never reads rows that another writer has not committed', async () => {
      const store = await factory.open();
      const log = new SqlCommuneLog(store);
      const engine = new CommuneEngine();
      const outcome = engine.execute(person('ada'));
      if (outcome.status !== 'accepted') throw new Error('setup');
      const entry = outcome.entry;
      let inserted!: () => void;
      const insertedNow = new Promise<void>((resolve) => {
        inserted = resolve;
      });
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const writer = store.db
        .transaction()
        .execute(async (tx) => {
          await tx
            .insertInto('commune_log')
            .values({
              seq: entry.seq,
              idempotency_key: entry.command.idempotency_key,
              command_type: entry.command.type,
              effective_date: entry.command.effective_date,
              command: canonicalJson(entry.command),
              events: canonicalJson(entry.events),
              prev_hash: entry.prev_hash,
              hash: entry.hash,
              recorded_at: new Date().toISOString(),
            })
            .execute();
          inserted();
          await held;
          throw new Error('the writer gives up');
        })
        .catch((fault: Error) => fault.message);
      await insertedNow;
      const reading = log.read(0, 10);
      release();
      expect(await writer).toBe('the writer gives up');
      expect(await reading).toEqual([]);
    });
  });
}
