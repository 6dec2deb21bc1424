import { describe, expect, it } from 'vitest';
import { coop, type Draft, incorporated, Scenario } from '../support/scenario.js';

const incorporate = (overrides: Record<string, unknown> = {}) =>
  ({
    type: 'incorporate',
    name: 'Test Commune',
    bylaws: { labour_threshold_hours: 500 },
    founding_bonds: { coupon_bp: 400, term_months: 12, coupon_frequency: 4 },
    leasebacks: [{ property: 'servers', rent_minor: 50_000n, currency: 'EUR' }],
    ...overrides,
  }) as Draft;

describe('incorporate', () => {
  it('buys the co-op property with bonds at book value, leases it back and admits the workers who meet the threshold', () => {
    const s = coop();
    s.given(
      { type: 'register-person', person: 'newbie', name: 'New' },
      { type: 'employ', person: 'newbie', enterprise: 'coop' },
    );
    const events = s.on('2024-03-01').accept(incorporate());
    const types = events.map((e) => e.type);
    expect(types).toEqual([
      'commune-incorporated',
      'enterprise-joined-commune',
      'bonds-issued-directly',
      'property-transferred',
      'lease-started',
      'member-admitted',
      'member-admitted',
      'member-admitted',
    ]);
    expect(s.state.meta.value.phase).toBe('incorporated');
    expect([...s.state.members.keys()].sort()).toEqual(['ada', 'bruno', 'chiara']);
    expect(s.state.enterprises.get('coop')?.status).toBe('commune-enterprise');
    expect(s.balance('commune/asset/property/servers')).toBe(1_000_000n);
    expect(s.balance('commune/liability/bonds/founding#servers/enterprise:coop')).toBe(-1_000_000n);
    expect(s.balance('enterprise:coop/asset/bonds/founding#servers')).toBe(1_000_000n);
    expect(s.balance('enterprise:coop/asset/property/servers')).toBe(0n);
    expect(s.state.rentRollAnnual.value).toBe(600_000n);
    // The worker below the threshold is eligible and may apply.
    expect(s.state.members.has('newbie')).toBe(false);
  });

  it('is refused a second time', () => {
    const s = incorporated();
    s.reject(incorporate(), 'ALREADY_INCORPORATED');
  });

  it('needs a co-operative, property, and a worker with the labour', () => {
    const empty = new Scenario();
    empty.reject(incorporate(), 'INVALID');
    const noProperty = new Scenario();
    noProperty.given({ type: 'found-enterprise', enterprise: 'coop', name: 'C' });
    expect(noProperty.reject(incorporate({ leasebacks: [] }), 'INVALID')).toMatch(/property/);
    const lazy = coop(100);
    lazy.on('2024-03-01').reject(incorporate(), 'INSUFFICIENT_LABOUR');
  });

  it('refuses leasebacks of unknown property, twice the same property, a foreign currency, or a term that does not fit', () => {
    const s = coop();
    s.on('2024-03-01');
    s.reject(
      incorporate({ leasebacks: [{ property: 'nope', rent_minor: 1n, currency: 'EUR' }] }),
      'NOT_FOUND',
    );
    s.reject(
      incorporate({
        leasebacks: [
          { property: 'servers', rent_minor: 1n, currency: 'EUR' },
          { property: 'servers', rent_minor: 2n, currency: 'EUR' },
        ],
      }),
      'DUPLICATE',
    );
    s.reject(
      incorporate({ leasebacks: [{ property: 'servers', rent_minor: 1n, currency: 'USD' }] }),
      'INVALID',
    );
    s.reject(
      incorporate({ founding_bonds: { coupon_bp: 400, term_months: 13, coupon_frequency: 4 } }),
      'INVALID',
    );
    s.reject(incorporate({ currency: 'EUR' }), 'INVALID');
  });
});

describe('amend-bylaws', () => {
  it('is reserved for a vote by default and carried out by a passed proposal', () => {
    const s = incorporated();
    s.reject({ type: 'amend-bylaws', changes: { reserve_rate_bp: 2_000 } }, 'VOTE_REQUIRED');
    s.given({
      type: 'propose',
      proposal: 'p1',
      proposer: 'ada',
      title: 'raise the reserve',
      closes_on: '2024-03-10',
      payload: { type: 'amend-bylaws', changes: { reserve_rate_bp: 2_000 } },
    });
    s.given(
      { type: 'vote', proposal: 'p1', member: 'ada', choice: 'yes' },
      { type: 'vote', proposal: 'p1', member: 'bruno', choice: 'yes' },
    );
    s.on('2024-03-10').given({ type: 'close-proposal', proposal: 'p1' });
    expect(s.state.bylaws.reserve_rate_bp).toBe(2_000);
  });

  it('is accepted directly when the bylaws do not reserve it, and cannot lower the backing below what is outstanding', () => {
    const s = incorporated({ votes_required_for: [] });
    s.given({ type: 'fund-enterprise', enterprise: 'coop', amount_minor: 300_000n });
    s.reject({ type: 'amend-bylaws', changes: { rent_backing_ratio_bp: 4_000 } }, 'CURRENCY_CAP_EXCEEDED');
    s.accept({
      type: 'amend-bylaws',
      changes: { rent_backing_ratio_bp: 5_000, labour_threshold_hours: 400 },
    });
    expect(s.state.bylaws.labour_threshold_hours).toBe(400);
  });

  it('refuses a threshold beyond the limit (a bylaw cannot close membership)', () => {
    const s = incorporated({ votes_required_for: [] });
    s.reject({ type: 'amend-bylaws', changes: { labour_threshold_hours: 1_000_000 } }, 'INVALID');
  });

  it('needs a commune', () => {
    coop().reject({ type: 'amend-bylaws', changes: {} }, 'NOT_INCORPORATED');
  });
});
