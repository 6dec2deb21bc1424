/**
 * The worked example of venture-commune.md §13, end to end through the engine
 * and through a JSONL journal, with the figures a treasurer would check.
 */
import { describe, expect, it } from 'vitest';
import { audit } from '../src/audit.js';
import type { AuctionResult } from '../src/bond-auction.js';
import { CommuneEngine } from '../src/engine.js';
import type { EventOf } from '../src/events.js';
import { telekommunisten, telekommunistenJournal } from '../src/examples/telekommunisten.js';
import type { LogEntry } from '../src/hash-chain.js';
import { checkInvariants } from '../src/invariants.js';
import { exportJournal, readJsonl, toJsonl } from '../src/journal.js';
import { allReports } from '../src/reports/index.js';
import { stateDigest } from '../src/snapshot.js';

function run() {
  const engine = new CommuneEngine();
  const entries: LogEntry[] = [];
  for (const command of telekommunistenJournal()) {
    const outcome = engine.execute(command);
    expect(outcome.status, `${command.idempotency_key} ${command.type}`).toBe('accepted');
    if (outcome.status === 'accepted') entries.push(outcome.entry);
    expect(checkInvariants(engine.state)).toEqual([]);
  }
  return { engine, entries };
}

describe('the Telekommunisten worked example (§13)', () => {
  it('runs from co-op to commune with every command accepted and every invariant holding', () => {
    const { engine, entries } = run();
    const state = engine.state;
    expect(state.meta.value).toMatchObject({
      phase: 'incorporated',
      name: 'Telekommune Venture Commune',
      incorporated_on: '2023-07-01',
    });
    expect([...state.members.keys()].sort()).toEqual(
      [...telekommunisten.workers, telekommunisten.newcomer].sort(),
    );
    expect(audit(entries).ok).toBe(true);
  });

  it('buys the co-op’s servers, numbers and carrier capacity with founding bonds at book value and leases them back', () => {
    const { engine } = run();
    const reports = allReports(engine.state);
    const founding = reports.bond_register.series.filter((s) => s.sale === 'direct');
    expect(founding.map((s) => [s.series, s.face_minor])).toEqual([
      ['founding#pbx-servers', 1_200_000n],
      ['founding#phone-numbers', 300_000n],
      ['founding#carrier-capacity', 360_000n],
    ]);
    const tenants = reports.rent_roll.properties.map((p) => [
      p.property,
      p.tenant,
      p.contract_rent_minor,
      p.currency,
    ]);
    expect(tenants).toEqual([
      ['carrier-capacity', 'telekommunisten', 15_000n, 'VCC'],
      ['pbx-server-3', 'telekommunisten', 22_000n, 'EUR'],
      ['pbx-servers', 'telekommunisten', 45_000n, 'EUR'],
      ['phone-numbers', 'telekommunisten', 12_000n, 'EUR'],
    ]);
  });

  it('finances the third server by a uniform-price auction prorated at the stop-out', () => {
    const { entries } = run();
    const closed = entries.find((e) => e.command.type === 'close-auction')!
      .events[0] as EventOf<'bond-auction-closed'>;
    const result: AuctionResult = closed.result;
    expect(result).toMatchObject({
      cleared: true,
      stop_out_yield_bp: 400,
      bid_to_cover_bp: 14_166,
      per_bidder_cap: 30,
    });
    expect(result.allotments.map((a) => [a.bidder, a.allotted])).toEqual([
      ['lena', 30],
      ['otto', 17],
      ['pia', 13],
      ['ada', 0],
    ]);
  });

  it('admits the fourth worker automatically once her labour meets the threshold', () => {
    const { entries } = run();
    const admitted = entries
      .flatMap((e) => e.events)
      .find((e) => e.type === 'member-admitted' && e.person === 'dmitri');
    expect(admitted).toMatchObject({ date: '2023-09-26', via: 'application', labour_centihours: 51_000 });
  });

  it('pays rent to bond holders first, then the reserve, then equally to members, and keeps December by vote', () => {
    const { engine } = run();
    const history = allReports(engine.state).distributions.filter((d) => d.currency === 'EUR');
    expect(
      history.map((d) => [d.period, d.waterfall.members, d.waterfall.each_minor, d.waterfall.kept_minor]),
    ).toEqual([
      ['2023-07', 3, 17_100n, 0n],
      ['2023-08', 3, 23_700n, 0n],
      ['2023-09', 4, 17_775n, 0n],
      ['2023-10', 4, 13_286n, 1n],
      ['2023-11', 4, 17_775n, 0n],
      ['2023-12', 4, 0n, 71_100n],
    ]);
    const october = history.find((d) => d.period === '2023-10')!;
    expect(october.waterfall.bond_service_minor).toBe(19_950n);
    expect(october.arithmetic.join('\n')).toContain('EUR 531.45 / 4 members = EUR 132.86 each');
    expect(history.at(-1)?.waterfall.policy).toBe('retain');
  });

  it('keeps the enterprise’s entire product: its only payment to the commune is rent', () => {
    const { engine } = run();
    const reports = allReports(engine.state);
    const tk = reports.enterprises.find((e) => e.enterprise === 'telekommunisten')!;
    const eur = tk.income_statement.currencies.find((c) => c.currency === 'EUR')!;
    const paidToCommune = eur.expenses.lines.filter((l) => l.name === 'rent');
    expect(paidToCommune).toEqual([expect.objectContaining({ amount_minor: 452_000n })]);
    const communeIncome = reports.income_statement.currencies.flatMap((c) =>
      c.income.lines.map((l) => l.name),
    );
    expect(new Set(communeIncome)).toEqual(new Set(['rent']));
    expect(reports.currency).toMatchObject({
      outstanding_minor: 77_500n,
      cap_minor: 1_128_000n,
      over_cap: false,
    });
    expect(reports.trial_balance.currencies.every((c) => c.balanced)).toBe(true);
    expect(reports.balance_sheet.currencies.every((c) => c.balanced)).toBe(true);
  });

  it('round-trips through a JSONL journal to the same log, hash for hash', () => {
    const { engine, entries } = run();
    const text = toJsonl(telekommunistenJournal());
    expect(exportJournal(entries)).toBe(text);
    const replay = new CommuneEngine();
    for (const line of readJsonl(text)) {
      if ('error' in line) throw new Error(line.error);
      expect(replay.execute(line.value).status).toBe('accepted');
    }
    expect(replay.head).toBe(engine.head);
    expect(stateDigest(replay.state)).toBe(stateDigest(engine.state));
  });
});
