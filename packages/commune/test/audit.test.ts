import { describe, expect, it } from 'vitest';
import { Auditor, audit } from '../src/audit.js';
import { canonicalJson, toJsonValue } from '../src/canonical-json.js';
import { MemoryCommuneLog } from '../src/commune-log.js';
import { CommuneService } from '../src/commune-service.js';
import { CommuneEngine } from '../src/engine.js';
import type { CommuneEvent } from '../src/events.js';
import { telekommunistenJournal } from '../src/examples/telekommunisten.js';
import { EncodedEntry, entryHash, type LogEntry, sealEntry } from '../src/hash-chain.js';
import { allReports } from '../src/reports/index.js';
import { stateDigest } from '../src/snapshot.js';

function demo() {
  const engine = new CommuneEngine();
  const entries: LogEntry[] = [];
  for (const command of telekommunistenJournal()) {
    const outcome = engine.execute(command);
    if (outcome.status !== 'accepted') throw new Error(`${command.type} ${JSON.stringify(outcome)}`);
    entries.push(outcome.entry);
  }
  return { engine, entries };
}

/** Rewrite the log from `seq` on with new events and a freshly computed chain: a forger with the whole database. */
function forge(
  entries: LogEntry[],
  seq: number,
  change: (events: readonly CommuneEvent[]) => CommuneEvent[],
): LogEntry[] {
  const out: LogEntry[] = [];
  let prev = entries[0]!.prev_hash;
  for (const entry of entries) {
    const events = entry.seq === seq ? change(entry.events) : entry.events;
    const sealed = sealEntry(entry.seq, prev, entry.command, events);
    out.push(sealed);
    prev = sealed.hash;
  }
  return out;
}

describe('audit', () => {
  it('re-derives the demo exactly: chain, events, state, reports', () => {
    const { engine, entries } = demo();
    const report = audit(entries, {
      expected_digest: stateDigest(engine.state),
      expected_reports: toJsonValue(allReports(engine.state)) as Record<string, unknown>,
    });
    expect(report).toMatchObject({ ok: true, entries: entries.length, differences: [], violations: [] });
    expect(report.state_digest).toBe(stateDigest(engine.state));
  });

  it('finds a rent payment rewritten in the log even when the forger recomputed every hash', () => {
    const { entries } = demo();
    const payment = entries.find((e) => e.command.type === 'pay-rent' && e.command.currency === 'EUR')!;
    const forged = forge(entries, payment.seq, (events) =>
      events.map((event) =>
        event.type === 'rent-paid'
          ? {
              ...event,
              transactions: event.transactions.map((t) => ({
                ...t,
                lines: t.lines.map((l) =>
                  l.account === 'commune/asset/cash' ? { ...l, amount_minor: l.amount_minor - 100n } : l,
                ),
              })),
            }
          : event,
      ),
    );
    const report = audit(forged);
    expect(report.chain.valid).toBe(true);
    expect(report.ok).toBe(false);
    expect(report.differences[0]).toMatchObject({ seq: payment.seq, what: 'events' });
    const fast = audit(forged, { redecide: false });
    expect(fast.differences[0]).toMatchObject({
      seq: payment.seq,
      what: 'invariant',
      detail: expect.stringMatching(/^UNBALANCED_TRANSACTION/),
    });
  });

  it('reports a broken chain, a reused key, and state or reports that the log does not produce', () => {
    const { engine, entries } = demo();
    const broken = entries.map((e) =>
      e.seq === 7 ? { ...e, hash: entryHash(99, e.prev_hash, e.command, e.events) } : e,
    );
    expect(audit(broken).differences[0]).toMatchObject({ seq: 7, what: 'hash chain' });

    const dup = [...entries];
    const last = dup.at(-1)!;
    dup.push(
      sealEntry(
        last.seq + 1,
        last.hash,
        { ...dup[2]!.command, effective_date: last.command.effective_date },
        [],
      ),
    );
    expect(audit(dup).differences.map((d) => d.what)).toContain('idempotency');

    const claimed = toJsonValue(allReports(engine.state)) as Record<string, { [k: string]: unknown }>;
    const wrong = { ...claimed, currency: { ...claimed.currency, outstanding_minor: '1' } };
    const report = audit(entries, { expected_digest: 'f'.repeat(64), expected_reports: wrong });
    expect(report.differences.map((d) => d.what)).toEqual(['state', 'report']);
    expect(canonicalJson(report.differences[1])).toContain('currency');
  });

  it('audits entry by entry exactly as the whole log at once, a service page by page', async () => {
    const { engine, entries } = demo();
    const whole = audit(entries, { expected_digest: stateDigest(engine.state) });
    const auditor = new Auditor({ expected_digest: stateDigest(engine.state) });
    for (const entry of entries) auditor.add(entry);
    expect(auditor.finish()).toEqual(whole);
    expect(() => auditor.add(entries[0]!)).toThrow(/finished/);

    const log = new MemoryCommuneLog();
    const service = new CommuneService(log, { readPage: 7 });
    const result = await service.submitMany(telekommunistenJournal(), { batchSize: 10 });
    expect(result.rejected).toEqual([]);
    expect(await service.audit()).toEqual(whole);
    expect((await service.audit({ expected_digest: 'f'.repeat(64) })).differences).toEqual([
      expect.objectContaining({ what: 'state' }),
    ]);
  });

  it('audits the same whether or not entries carry their stored JSON, canonical or not', () => {
    const { entries } = demo();
    const plain = entries.map((e) => ({ ...e }));
    const encoded = entries.map((e) =>
      EncodedEntry.parse(e.seq, canonicalJson(e.command), canonicalJson(e.events), e.prev_hash, e.hash),
    );
    // Stored text that means the same but is not canonical: verified on the canonical encoding.
    const spaced = entries.map((e) =>
      EncodedEntry.parse(
        e.seq,
        ` ${canonicalJson(e.command)}`,
        `${canonicalJson(e.events)}\n`,
        e.prev_hash,
        e.hash,
      ),
    );
    const expected = audit(plain);
    expect(expected.ok).toBe(true);
    expect(audit(encoded)).toEqual(expected);
    expect(audit(spaced).chain).toEqual(expected.chain);
    // A key's fingerprint is taken from the stored text: text that is not canonical is reported.
    expect(audit(spaced).differences[0]).toMatchObject({
      what: 'idempotency',
      detail: 'fingerprint mismatch',
    });

    // A copy with changed events carries no stored text: it is encoded afresh and fails.
    const payment = entries.find((e) => e.command.type === 'pay-rent')!;
    const forged = encoded.map((e) =>
      e.seq === payment.seq
        ? { ...e, events: e.events.map((event) => ({ ...event, date: '2099-01-01' })) }
        : e,
    );
    expect(forged[payment.seq - 1]).not.toBeInstanceOf(EncodedEntry);
    const report = audit(forged);
    expect(report.chain.first_invalid).toEqual({
      seq: payment.seq,
      reason: 'hash does not match the entry content',
    });
    expect(report.differences.map((d) => d.what).slice(0, 2)).toEqual(['hash chain', 'events']);
  });

  it('replays a stored command undecoded from the key and date stored beside it, and audits that they agree', () => {
    const { engine, entries } = demo();
    const stored = entries.map((e) =>
      EncodedEntry.parse(
        e.seq,
        canonicalJson(e.command),
        canonicalJson(e.events),
        e.prev_hash,
        e.hash,
        e.command,
      ),
    );
    const replayed = CommuneEngine.fromLog(stored);
    expect(stateDigest(replayed.state)).toBe(stateDigest(engine.state));
    expect(audit(stored, { expected_digest: stateDigest(engine.state) }).ok).toBe(true);

    // A key column rewritten: replay takes it, the audit reports it and the state it leads to.
    const target = entries.find((e) => e.command.type === 'pay-rent')!;
    const rewritten = stored.map((e) =>
      e.seq === target.seq
        ? EncodedEntry.parse(e.seq, e.commandJson, e.eventsJson, e.prev_hash, e.hash, {
            idempotency_key: 'someone-else',
            effective_date: e.command.effective_date,
          })
        : e,
    );
    const misled = CommuneEngine.fromLog(rewritten);
    expect(misled.state.keys.has('someone-else')).toBe(true);
    const report = audit(rewritten, { expected_digest: stateDigest(misled.state) });
    expect(report.ok).toBe(false);
    expect(report.differences).toEqual([
      {
        seq: target.seq,
        what: 'entry',
        detail: 'the key, date or fingerprint stored beside the command differs from the command',
      },
      expect.objectContaining({ what: 'state' }),
    ]);
  });

  it('lists a broken chain first and keeps to max_differences', () => {
    const { entries } = demo();
    const wrong = entries.map((e) => ({
      ...e,
      events: e.events.map((event) => ({ ...event, date: '2099-01-01' })),
    }));
    const report = audit(wrong, { max_differences: 3 });
    expect(report.differences).toHaveLength(3);
    expect(report.differences.map((d) => d.what)).toEqual(['hash chain', 'events', 'events']);
    expect(audit(wrong, { max_differences: 0 }).differences).toEqual([]);
  });
});
