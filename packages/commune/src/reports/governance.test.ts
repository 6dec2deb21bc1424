import { describe, expect, it } from 'vitest';
import { CommuneEngine } from '../engine.js';
import { telekommunistenJournal } from '../examples/telekommunisten.js';
import { governanceReport } from './governance.js';
import { rentAuctionsReport } from './rent-auctions.js';

function demo(): CommuneEngine {
  const engine = new CommuneEngine();
  for (const command of telekommunistenJournal()) {
    const outcome = engine.execute(command);
    if (outcome.status !== 'accepted') throw new Error(`${command.type}: ${JSON.stringify(outcome)}`);
  }
  return engine;
}

function run(engine: CommuneEngine, type: string, date: string, args: Record<string, unknown>) {
  return engine.execute({
    type,
    idempotency_key: `t-${type}-${date}-${Math.random()}`,
    effective_date: date,
    ...args,
  });
}

describe('governance report (venture-commune.md §10)', () => {
  it('shows the bylaws, each proposal with its tally and the votes cast, newest first', () => {
    const engine = demo();
    expect(
      run(engine, 'propose', '2024-02-01', {
        proposal: 'lower-threshold',
        proposer: 'bruno',
        title: 'Lower the labour threshold',
        closes_on: '2024-02-10',
        payload: { type: 'amend-bylaws', changes: { labour_threshold_hours: 400 } },
      }).status,
    ).toBe('accepted');
    run(engine, 'vote', '2024-02-02', { proposal: 'lower-threshold', member: 'chiara', choice: 'abstain' });
    const report = governanceReport(engine.state);
    expect(report).toMatchObject({ as_of: '2024-02-02', members: 4, quorum_votes: 2 });
    expect(report.bylaws.labour_threshold_hours).toBe(500);
    expect(report.proposals.map((p) => p.proposal)).toEqual(['lower-threshold', 'retain-2023-12']);
    expect(report.proposals[0]).toMatchObject({
      status: 'open',
      kind: 'amend-bylaws',
      abstain: 1,
      members_at_close: null,
      votes: [{ member: 'chiara', choice: 'abstain' }],
    });
    expect(report.proposals[1]).toMatchObject({
      status: 'passed',
      kind: 'distribute',
      yes: 3,
      no: 1,
      members_at_close: 4,
      executed: true,
      votes: [
        { member: 'ada', choice: 'yes' },
        { member: 'bruno', choice: 'yes' },
        { member: 'chiara', choice: 'no' },
        { member: 'dmitri', choice: 'yes' },
      ],
    });
  });
});

describe('rent auctions report (venture-commune.md §5)', () => {
  it('seals bids while the auction is open, then shows them and the winner', () => {
    const engine = demo();
    expect(run(engine, 'end-lease', '2024-02-01', { property: 'phone-numbers' }).status).toBe('accepted');
    run(engine, 'offer-property', '2024-02-01', {
      property: 'phone-numbers',
      closes_on: '2024-02-15',
      min_rent_minor: '10000',
      currency: 'EUR',
    });
    run(engine, 'bid-rent', '2024-02-03', {
      property: 'phone-numbers',
      enterprise: 'telekommunisten',
      rent_minor: '13000',
    });
    const open = rentAuctionsReport(engine.state).auctions[0];
    expect(open).toMatchObject({
      property: 'phone-numbers',
      status: 'open',
      sealed_bids: 1,
      bids: [],
      winner: null,
    });
    expect(open?.min_rent_minor).toBe(10_000n);
    expect(run(engine, 'close-rent-auction', '2024-02-15', { property: 'phone-numbers' }).status).toBe(
      'accepted',
    );
    const closed = rentAuctionsReport(engine.state).auctions[0];
    expect(closed).toMatchObject({ status: 'closed', sealed_bids: 0 });
    expect(closed?.winner).toEqual({
      enterprise: 'telekommunisten',
      rent_minor: 13_000n,
      placed_on: '2024-02-03',
    });
    expect(closed?.bids).toHaveLength(1);
  });
});
