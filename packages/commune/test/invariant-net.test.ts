/**
 * The invariant net: whatever events a faulty decider (or a forged log) might
 * produce, the checks after every command name the broken invariant with its
 * code (venture-commune.md §3), and the engine rolls the command back.
 */
import { describe, expect, it } from 'vitest';
import type { CommuneEvent } from '../src/events.js';
import { evolve } from '../src/evolve.js';
import { checkCommand } from '../src/invariants.js';
import type { RejectionCode } from '../src/rejection.js';
import { stateDigest } from '../src/snapshot.js';
import { incorporated } from './support/scenario.js';

function net(events: CommuneEvent[], setup = incorporated()): RejectionCode | null {
  const { state } = setup;
  const before = stateDigest(state);
  state.uow.begin();
  for (const event of events) evolve(state, event);
  const broken = checkCommand(state, events);
  state.uow.rollback();
  expect(stateDigest(state)).toBe(before);
  return broken?.code ?? null;
}

const date = '2024-03-01';
const tx = (lines: [string, bigint][], currency = 'EUR') => ({
  currency,
  memo: 'forged',
  lines: lines.map(([account, amount_minor]) => ({ account, amount_minor })),
});
const revenue = (lines: [string, bigint][]): CommuneEvent => ({
  type: 'enterprise-revenue-recorded',
  date,
  enterprise: 'coop',
  currency: 'EUR',
  amount_minor: 1n,
  category: 'sales',
  note: null,
  transactions: [tx(lines)],
});

describe('the invariant net', () => {
  it('passes honest events', () => {
    expect(
      net([
        revenue([
          ['enterprise:coop/asset/cash', 5n],
          ['enterprise:coop/income/revenue/sales', -5n],
        ]),
      ]),
    ).toBeNull();
  });

  it('refuses an unbalanced transaction, overall or within one owner’s books', () => {
    expect(
      net([
        revenue([
          ['enterprise:coop/asset/cash', 5n],
          ['enterprise:coop/income/revenue/sales', -4n],
        ]),
      ]),
    ).toBe('UNBALANCED_TRANSACTION');
    expect(
      net([
        revenue([
          ['enterprise:coop/asset/cash', 5n],
          ['commune/asset/cash', -5n],
        ]),
      ]),
    ).toBe('UNBALANCED_TRANSACTION');
  });

  it('refuses commune income from anything but rent, and enterprise cash flowing to the commune outside rent', () => {
    expect(
      net([
        revenue([
          ['enterprise:coop/asset/cash', 5n],
          ['enterprise:coop/income/revenue/sales', -5n],
          ['commune/asset/cash', 5n],
          ['commune/income/rent', -5n],
        ]),
      ]),
    ).toBe('COMMUNE_TAKES_NO_INCOME');
    expect(
      net([
        revenue([
          ['enterprise:coop/expense/operating/x', 5n],
          ['enterprise:coop/asset/cash', -5n],
          ['commune/asset/cash', 5n],
          ['commune/equity/undistributed', -5n],
        ]),
      ]),
    ).toBe('COMMUNE_TAKES_NO_INCOME');
  });

  it('refuses a share without the labour, a second share, and a share to the ineligible', () => {
    const admit = (person: string, share: string, labour = 60_000): CommuneEvent => ({
      type: 'member-admitted',
      date,
      person,
      share,
      labour_centihours: labour,
      threshold_centihours: 50_000,
      via: 'admission',
    });
    const s = incorporated();
    s.given(
      { type: 'register-person', person: 'dee', name: 'Dee' },
      { type: 'employ', person: 'dee', enterprise: 'coop' },
    );
    expect(net([admit('dee', 'share#9')], s)).toBe('INSUFFICIENT_LABOUR');
    expect(net([admit('ada', 'share#9')])).toBe('ALREADY_MEMBER');
    const t = incorporated();
    t.given(
      { type: 'register-person', person: 'eve', name: 'Eve' },
      { type: 'found-enterprise', enterprise: 'idle', name: 'Idle' },
      { type: 'employ', person: 'eve', enterprise: 'idle' },
      { type: 'record-labour', person: 'eve', enterprise: 'idle', hours: 600 },
    );
    expect(net([admit('eve', 'share#9')], t)).toBe('NOT_ELIGIBLE');
  });

  it('refuses a distribution that does not pay every member alike', () => {
    const s = incorporated();
    s.given(
      { type: 'run-rent-cycle', period: '2024-03' },
      { type: 'pay-rent', enterprise: 'coop', amount_minor: 30_000n, currency: 'EUR' },
    );
    s.on('2024-04-01');
    const waterfall = {
      currency: 'EUR',
      received_minor: 30_000n,
      bond_service_minor: 0n,
      after_bonds_minor: 30_000n,
      reserve_rate_bp: 0,
      reserve_minor: 0n,
      surplus_minor: 30_000n,
      policy: 'distribute' as const,
      members: 3,
      each_minor: 10_000n,
      distributed_minor: 30_000n,
      kept_minor: 0n,
    };
    const made = (members: string[], lines: [string, bigint][], w = waterfall): CommuneEvent => ({
      type: 'distribution-made',
      date: '2024-04-01',
      period: '2024-03',
      waterfall: w,
      members,
      transactions: [tx(lines)],
    });
    const fair: [string, bigint][] = [
      ['commune/equity/appropriations', 30_000n],
      ['commune/liability/dividends-payable/ada', -10_000n],
      ['commune/liability/dividends-payable/bruno', -10_000n],
      ['commune/liability/dividends-payable/chiara', -10_000n],
    ];
    expect(net([made(['ada', 'bruno', 'chiara'], fair)], s)).toBeNull();
    const skewed: [string, bigint][] = [
      ['commune/equity/appropriations', 30_000n],
      ['commune/liability/dividends-payable/ada', -12_000n],
      ['commune/liability/dividends-payable/bruno', -9_000n],
      ['commune/liability/dividends-payable/chiara', -9_000n],
    ];
    expect(net([made(['ada', 'bruno', 'chiara'], skewed)], s)).toBe('UNEQUAL_DISTRIBUTION');
    expect(net([made(['ada', 'bruno'], fair, { ...waterfall, members: 2, each_minor: 15_000n })], s)).toBe(
      'UNEQUAL_DISTRIBUTION',
    );
    expect(
      net(
        [
          made(['ada', 'bruno', 'chiara'], fair, {
            ...waterfall,
            kept_minor: 3n,
            surplus_minor: 30_003n,
            received_minor: 30_003n,
          }),
        ],
        s,
      ),
    ).toBe('UNEQUAL_DISTRIBUTION');
  });

  it('refuses currency issued past the cap', () => {
    const funded = (amount: bigint): CommuneEvent => ({
      type: 'enterprise-funded',
      date,
      enterprise: 'coop',
      amount_minor: amount,
      transactions: [
        tx(
          [
            ['commune/asset/investment/coop', amount],
            ['commune/liability/currency-outstanding', -amount],
            ['enterprise:coop/asset/cash', amount],
            ['enterprise:coop/equity/commune-investment', -amount],
          ],
          'VCC',
        ),
      ],
    });
    expect(net([funded(600_000n)])).toBeNull();
    expect(net([funded(600_001n)])).toBe('CURRENCY_CAP_EXCEEDED');
  });

  it('refuses a new lease or funding for an enterprise holding property past the grace period', () => {
    const s = incorporated({ grace_period_days: 10 });
    s.given({
      type: 'register-property',
      property: 'van',
      enterprise: 'coop',
      kind: 'capital',
      description: 'van',
      cost_minor: 1n,
    });
    s.on('2024-04-01');
    const lease: CommuneEvent = {
      type: 'lease-started',
      date: '2024-04-01',
      lease: 'lease#9',
      property: 'servers',
      enterprise: 'coop',
      rent_minor: 1n,
      currency: 'EUR',
      frequency: 'monthly',
      last_period: null,
      source: 'auction',
    };
    s.given({ type: 'end-lease', property: 'servers' });
    expect(net([lease], s)).toBe('PROPERTY_HELD_BY_ENTERPRISE');
    expect(net([{ ...lease, source: 'leaseback' }], s)).toBeNull();
  });
});
