import { describe, expect, it } from 'vitest';
import type { EventOf } from '../../src/events.js';
import { coop, incorporated, type Scenario } from '../support/scenario.js';

function rentReceived(amount = 50_000n): Scenario {
  const s = incorporated();
  s.given(
    { type: 'run-rent-cycle', period: '2024-03' },
    { type: 'pay-rent', enterprise: 'coop', amount_minor: amount, currency: 'EUR' },
  );
  return s;
}

describe('distribute', () => {
  it('applies rent received through the waterfall and pays every member the same amount', () => {
    const s = rentReceived(50_000n);
    s.on('2024-04-01');
    const [event] = s.accept({ type: 'distribute', period: '2024-03' }) as [EventOf<'distribution-made'>];
    expect(event.waterfall).toMatchObject({
      received_minor: 50_000n,
      bond_service_minor: 0n,
      reserve_minor: 5_000n,
      surplus_minor: 45_000n,
      members: 3,
      each_minor: 15_000n,
      distributed_minor: 45_000n,
      kept_minor: 0n,
    });
    expect(event.members).toEqual(['ada', 'bruno', 'chiara']);
    expect(s.balance('commune/asset/reserve')).toBe(5_000n);
    expect(s.balance('commune/asset/cash')).toBe(0n);
    expect(s.balance('commune/liability/dividends-payable/ada')).toBe(0n);
    expect(s.accept({ type: 'distribute', period: '2024-03' })).toEqual([]);
  });

  it('keeps the remainder that cannot be split equally in the undistributed account, never with one member', () => {
    const s = rentReceived(10_001n);
    s.on('2024-04-01');
    const [event] = s.accept({ type: 'distribute', period: '2024-03' }) as [EventOf<'distribution-made'>];
    // 10 001 - reserve 1 000 = 9 001; 9 001 / 3 = 3 000 each, 1 kept.
    expect(event.waterfall).toMatchObject({ reserve_minor: 1_000n, each_minor: 3_000n, kept_minor: 1n });
    expect(s.balance('commune/equity/undistributed')).toBe(-1n);
  });

  it('fixes membership at the period’s end: a member who resigned after it is paid, one admitted after it is not', () => {
    const s = rentReceived();
    s.given(
      { type: 'register-person', person: 'dee', name: 'Dee' },
      { type: 'employ', person: 'dee', enterprise: 'coop' },
      { type: 'record-labour', person: 'dee', enterprise: 'coop', hours: 500 },
    );
    s.on('2024-04-01').given({ type: 'admit-member', person: 'dee' }, { type: 'resign', person: 'chiara' });
    const [event] = s.accept({ type: 'distribute', period: '2024-03' }) as [EventOf<'distribution-made'>];
    expect(event.members).toEqual(['ada', 'bruno', 'chiara']);
  });

  it('charges bond service paid in the period before the reserve', () => {
    const s = rentReceived();
    s.on('2024-06-02').given(
      { type: 'run-rent-cycle', period: '2024-06' },
      { type: 'pay-rent', enterprise: 'coop', amount_minor: 50_000n, currency: 'EUR' },
    );
    s.reject({ type: 'distribute', period: '2024-06' }, 'PERIOD_OPEN');
    s.on('2024-07-01');
    s.reject({ type: 'distribute', period: '2024-06' }, 'BOND_SCHEDULE_NOT_RUN');
    s.given({ type: 'run-bond-schedule', period: '2024-06' });
    const [event] = s.accept({ type: 'distribute', period: '2024-06' }) as [EventOf<'distribution-made'>];
    // founding coupon 100.00; 500.00 - 100.00 = 400.00; reserve 40.00; 360.00 / 3 = 120.00.
    expect(event.waterfall).toMatchObject({
      bond_service_minor: 10_000n,
      reserve_minor: 4_000n,
      each_minor: 12_000n,
      kept_minor: 0n,
    });
  });

  it('distributes rent paid in commune currency as newly issued currency, within the cap', () => {
    const s = incorporated({ votes_required_for: [] });
    s.given(
      { type: 'end-lease', property: 'servers' },
      { type: 'lease', property: 'servers', enterprise: 'coop', rent_minor: 30_000n, currency: 'VCC' },
      { type: 'fund-enterprise', enterprise: 'coop', amount_minor: 100_000n },
      { type: 'run-rent-cycle', period: '2024-03' },
      { type: 'pay-rent', enterprise: 'coop', amount_minor: 30_000n, currency: 'VCC' },
    );
    s.on('2024-04-01');
    const events = s.accept({ type: 'distribute', period: '2024-03' }) as EventOf<'distribution-made'>[];
    expect(events.map((e) => e.waterfall.currency)).toEqual(['EUR', 'VCC']);
    expect(events[1]?.waterfall).toMatchObject({
      received_minor: 30_000n,
      reserve_minor: 3_000n,
      each_minor: 9_000n,
    });
    expect(s.balance('commune/liability/currency-outstanding', 'VCC')).toBe(-(70_000n + 27_000n));
  });

  it('refuses a policy other than the bylaws’ without a vote, and waits for a vote under way', () => {
    const s = rentReceived();
    s.on('2024-04-01');
    s.reject({ type: 'distribute', period: '2024-03', policy: 'retain' }, 'VOTE_REQUIRED');
    s.given({
      type: 'propose',
      proposal: 'keep',
      proposer: 'ada',
      title: 'keep March',
      closes_on: '2024-04-05',
      payload: { type: 'distribute', period: '2024-03', policy: 'retain' },
    });
    s.reject({ type: 'distribute', period: '2024-03' }, 'PROPOSAL_PENDING');
  });
});

describe('distribute guards', () => {
  it('needs a commune', () => {
    coop().reject({ type: 'distribute', period: '2024-01' }, 'NOT_INCORPORATED');
  });

  it('refuses when the treasury has spent the rent', () => {
    const s = incorporated({ votes_required_for: [] });
    s.given(
      { type: 'run-rent-cycle', period: '2024-03' },
      { type: 'pay-rent', enterprise: 'coop', amount_minor: 50_000n, currency: 'EUR' },
    );
    s.given({
      type: 'acquire-property',
      property: 'land',
      kind: 'land',
      description: 'land',
      cost_minor: 40_000n,
      seller: 'Town',
      paid_from: 'treasury',
    });
    s.on('2024-04-01').reject({ type: 'distribute', period: '2024-03' }, 'INSUFFICIENT_FUNDS');
  });
});
