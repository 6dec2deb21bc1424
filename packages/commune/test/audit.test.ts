import { describe, expect, it } from 'vitest';
import { audit } from '../src/audit.js';
import { canonicalJson, toJsonValue } from '../src/canonical-json.js';
import { CommuneEngine } from '../src/engine.js';
import type { CommuneEvent } from '../src/events.js';
import { telekommunistenJournal } from '../src/examples/telekommunisten.js';
import { entryHash, type LogEntry, sealEntry } from '../src/hash-chain.js';
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
});
