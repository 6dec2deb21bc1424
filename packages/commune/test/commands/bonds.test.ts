import { describe, expect, it } from 'vitest';
import type { AuctionResult } from '../../src/bond-auction.js';
import { coop, incorporated, Scenario } from '../support/scenario.js';

const lenders = ['lena', 'otto', 'pia'];

function requested(quantity = 10, price = 90_000n): Scenario {
  const s = incorporated();
  s.given(
    ...lenders.map((person) => ({ type: 'register-person', person, name: person }) as const),
    {
      type: 'request-acquisition',
      request: 'req',
      enterprise: 'coop',
      property: 'router',
      kind: 'capital',
      description: 'a core router',
      price_minor: price,
      seller: 'Vendor',
      lease: { rent_minor: 3_000n, currency: 'EUR', term_months: 24 },
    },
    {
      type: 'issue-bonds',
      series: 'router-bonds',
      purpose: 'core router',
      request: 'req',
      face_minor: 10_000n,
      quantity,
      term_months: 12,
      coupon_frequency: 4,
      closes_on: '2024-03-15',
    },
  );
  return s;
}

describe('request-acquisition', () => {
  it('records the enterprise’s offer of a rental agreement', () => {
    const s = requested();
    expect(s.state.requests.get('req')).toMatchObject({
      status: 'financing',
      series: 'router-bonds',
      rent_minor: 3_000n,
    });
  });

  it('refuses duplicates, unknown enterprises, existing property and foreign currencies, and needs a commune', () => {
    const s = requested();
    const r = {
      type: 'request-acquisition',
      enterprise: 'coop',
      kind: 'capital',
      description: 'x',
      price_minor: 1n,
      seller: 'y',
      lease: { rent_minor: 1n, currency: 'EUR' },
    } as const;
    s.reject({ ...r, request: 'req', property: 'other' }, 'DUPLICATE');
    s.reject({ ...r, request: 'r2', property: 'servers' }, 'DUPLICATE');
    s.reject({ ...r, request: 'r2', property: 'router' }, 'DUPLICATE');
    s.reject({ ...r, request: 'r2', property: 'p', enterprise: 'ghost' }, 'NOT_FOUND');
    s.reject({ ...r, request: 'r2', property: 'p', lease: { rent_minor: 1n, currency: 'CHF' } }, 'INVALID');
    coop().reject({ ...r, request: 'r2', property: 'p' }, 'NOT_INCORPORATED');
  });
});

describe('issue-bonds', () => {
  it('refuses a series that cannot pay for the property, a term that does not fit, a cap below one bond, and duplicates', () => {
    const s = requested();
    const b = {
      type: 'issue-bonds',
      purpose: 'x',
      face_minor: 10_000n,
      quantity: 10,
      term_months: 12,
      coupon_frequency: 4,
      closes_on: '2024-03-15',
    } as const;
    s.given({
      type: 'request-acquisition',
      request: 'req2',
      enterprise: 'coop',
      property: 'switch',
      kind: 'capital',
      description: 'switch',
      price_minor: 200_000n,
      seller: 'v',
      lease: { rent_minor: 1n, currency: 'EUR' },
    });
    s.reject({ ...b, series: 's2', request: 'req2' }, 'INVALID');
    s.reject({ ...b, series: 's2', request: 'req' }, 'INVALID');
    s.reject({ ...b, series: 's2', request: 'ghost' }, 'NOT_FOUND');
    s.reject({ ...b, series: 's2', term_months: 13 }, 'INVALID');
    s.reject({ ...b, series: 's2', per_bidder_cap_bp: 500 }, 'INVALID');
    s.reject({ ...b, series: 'router-bonds' }, 'DUPLICATE');
    s.reject({ ...b, series: 's2', closes_on: '2024-02-01' }, 'INVALID');
    s.reject({ ...b, series: 's2', face_minor: 1_000_000_000_000_000n, quantity: 10 }, 'INVALID');
    coop().reject({ ...b, series: 's2' }, 'NOT_INCORPORATED');
  });

  it('can be reserved for a vote', () => {
    const s = incorporated({ votes_required_for: ['issue-bonds'] });
    s.reject(
      {
        type: 'issue-bonds',
        series: 's',
        purpose: 'x',
        face_minor: 1n,
        quantity: 1,
        term_months: 12,
        coupon_frequency: 1,
        closes_on: '2024-03-02',
      },
      'VOTE_REQUIRED',
    );
  });
});

describe('bid', () => {
  it('takes sealed bids from anyone until the auction closes', () => {
    const s = requested();
    const [event] = s.accept({
      type: 'bid',
      series: 'router-bonds',
      bidder: 'lena',
      quantity: 6,
      min_yield_bp: 300,
    });
    expect(event).toMatchObject({ type: 'bond-bid-placed', bidder: 'lena', quantity: 6, min_yield_bp: 300 });
    s.reject(
      { type: 'bid', series: 'router-bonds', bidder: 'ghost', quantity: 1, min_yield_bp: 1 },
      'NOT_FOUND',
    );
    s.reject({ type: 'bid', series: 'ghost', bidder: 'lena', quantity: 1, min_yield_bp: 1 }, 'NOT_FOUND');
    s.reject(
      { type: 'bid', series: 'router-bonds', bidder: 'lena', quantity: 11, min_yield_bp: 1 },
      'INVALID',
    );
    s.reject(
      { type: 'bid', series: 'router-bonds', bidder: 'lena', quantity: 1, min_yield_bp: 10_001 },
      'INVALID',
    );
    s.reject(
      { type: 'bid', series: 'router-bonds', bidder: 'lena', quantity: 0, min_yield_bp: 100 },
      'INVALID',
    );
    s.on('2024-03-16').reject(
      { type: 'bid', series: 'router-bonds', bidder: 'otto', quantity: 1, min_yield_bp: 1 },
      'AUCTION_CLOSED',
    );
  });
});

describe('close-auction', () => {
  it('clears a covered series: the stop-out yield becomes the coupon, the property is bought and the offered lease starts at once', () => {
    const s = requested();
    s.given(
      { type: 'bid', series: 'router-bonds', bidder: 'lena', quantity: 6, min_yield_bp: 300 },
      { type: 'bid', series: 'router-bonds', bidder: 'otto', quantity: 4, min_yield_bp: 450 },
      { type: 'bid', series: 'router-bonds', bidder: 'pia', quantity: 4, min_yield_bp: 450 },
    );
    s.reject({ type: 'close-auction', series: 'router-bonds' }, 'AUCTION_OPEN');
    s.on('2024-03-15');
    const events = s.accept({ type: 'close-auction', series: 'router-bonds' });
    expect(events.map((e) => e.type)).toEqual(['bond-auction-closed', 'property-acquired', 'lease-started']);
    const result = (events[0] as { result: AuctionResult }).result;
    expect(result).toMatchObject({ cleared: true, stop_out_yield_bp: 450, bid_to_cover_bp: 14_000 });
    expect(result.allotments.map((a) => a.allotted)).toEqual([6, 2, 2]);
    const series = s.state.series.get('router-bonds');
    expect(series?.coupon_bp).toBe(450);
    expect(s.balance('commune/asset/property/router')).toBe(90_000n);
    expect(s.balance('commune/asset/cash')).toBe(10_000n);
    expect(s.balance('commune/liability/bonds/router-bonds/person:lena')).toBe(-60_000n);
    expect(s.state.leases.get(s.state.activeLease.get('router')!)).toMatchObject({
      enterprise: 'coop',
      rent_minor: 3_000n,
      source: 'acquisition',
    });
    s.reject({ type: 'close-auction', series: 'router-bonds' }, 'AUCTION_CLOSED');
  });

  it('buys nothing when the bids do not cover the series', () => {
    const s = requested();
    s.given({ type: 'bid', series: 'router-bonds', bidder: 'lena', quantity: 9, min_yield_bp: 300 });
    s.on('2024-03-15');
    const events = s.accept({ type: 'close-auction', series: 'router-bonds' });
    expect(events.map((e) => e.type)).toEqual(['bond-auction-closed', 'acquisition-failed']);
    expect(s.state.properties.has('router')).toBe(false);
    expect(s.state.series.get('router-bonds')?.status).toBe('failed');
    expect(s.state.requests.get('req')?.status).toBe('failed');
    expect(s.balance('commune/asset/cash')).toBe(0n);
  });

  it('refuses an unknown series', () => {
    requested().reject({ type: 'close-auction', series: 'ghost' }, 'NOT_FOUND');
  });
});

describe('run-bond-schedule', () => {
  function issued(): Scenario {
    const s = requested();
    s.given({ type: 'bid', series: 'router-bonds', bidder: 'lena', quantity: 10, min_yield_bp: 400 });
    s.on('2024-03-15').given({ type: 'close-auction', series: 'router-bonds' });
    return s;
  }

  it('pays coupons due from the treasury; the rent of a property serves its own series first', () => {
    const s = issued();
    s.on('2024-06-01').given(
      { type: 'run-rent-cycle', period: '2024-06' },
      { type: 'pay-rent', enterprise: 'coop', amount_minor: 53_000n, currency: 'EUR' },
    );
    s.on('2024-06-30');
    const [run] = s.accept({ type: 'run-bond-schedule', period: '2024-06' });
    // router-bonds: 10 bonds x 100.00 at 4.00 % a year, paid quarterly: 10.00.
    // founding#servers: 10 000.00 at 4.00 % a year, paid quarterly: 100.00.
    expect(run).toMatchObject({
      type: 'bond-schedule-run',
      period: '2024-06',
      due_minor: 11_000n,
      paid_minor: 11_000n,
      missed_minor: 0n,
    });
    expect(s.balance('commune/expense/interest')).toBe(11_000n);
    expect(s.balance('enterprise:coop/income/coupons')).toBe(-10_000n);
    expect(s.accept({ type: 'run-bond-schedule', period: '2024-06' })).toEqual([]);
    s.reject({ type: 'run-bond-schedule', period: '2024-05' }, 'PERIOD_CLOSED');
    s.reject({ type: 'run-bond-schedule', period: '2024-08' }, 'PERIOD_OPEN');
  });

  it('reports a missed payment as a default and pays the arrears first when cash comes', () => {
    const s = issued();
    s.on('2024-06-30');
    const [run] = s.accept({ type: 'run-bond-schedule', period: '2024-06' });
    expect(run).toMatchObject({ due_minor: 11_000n, paid_minor: 10_000n, missed_minor: 1_000n });
    // With no rent received, the treasury pays the oldest series first; the newer one falls into arrears.
    expect(s.state.holdings.get('founding#servers enterprise:coop')?.coupons_overdue_minor).toBe(0n);
    expect(s.state.holdings.get('router-bonds person:lena')?.coupons_overdue_minor).toBe(1_000n);
    s.on('2024-07-01').given(
      { type: 'run-rent-cycle', period: '2024-07' },
      { type: 'pay-rent', enterprise: 'coop', amount_minor: 53_000n, currency: 'EUR' },
    );
    const [later] = s.accept({ type: 'run-bond-schedule', period: '2024-07' });
    expect(later).toMatchObject({ due_minor: 0n, paid_minor: 1_000n, missed_minor: 0n });
    expect(s.state.holdings.get('router-bonds person:lena')?.coupons_overdue_minor).toBe(0n);
  });

  it('repays principal at maturity and marks the series redeemed', () => {
    const s = new Scenario();
    s.given(
      { type: 'register-person', person: 'ada', name: 'Ada' },
      { type: 'found-enterprise', enterprise: 'coop', name: 'Coop', opening_cash_minor: 10_000n },
      { type: 'employ', person: 'ada', enterprise: 'coop' },
      { type: 'record-labour', person: 'ada', enterprise: 'coop', hours: 500 },
      {
        type: 'register-property',
        property: 'phone',
        enterprise: 'coop',
        kind: 'capital',
        description: 'a desk phone',
        cost_minor: 10_000n,
      },
      { type: 'record-enterprise-revenue', enterprise: 'coop', amount_minor: 1_000_000n, currency: 'EUR' },
      {
        type: 'incorporate',
        name: 'Small',
        founding_bonds: { coupon_bp: 1_200, term_months: 3, coupon_frequency: 4 },
        leasebacks: [{ property: 'phone', rent_minor: 5_000n, currency: 'EUR' }],
      },
    );
    for (const period of ['2024-01', '2024-02', '2024-03', '2024-04']) {
      s.on(`${period}-02`).given(
        { type: 'run-rent-cycle', period },
        { type: 'pay-rent', enterprise: 'coop', amount_minor: 5_000n, currency: 'EUR' },
      );
    }
    s.on('2024-04-03');
    const [run] = s.accept({ type: 'run-bond-schedule', period: '2024-04' });
    // 100.00 at 12 % a year, one quarter: 3.00 coupon, and the 100.00 principal.
    expect(run).toMatchObject({ due_minor: 10_300n, paid_minor: 10_300n, missed_minor: 0n });
    expect(s.state.series.get('founding#phone')?.status).toBe('redeemed');
    expect(s.balance('commune/liability/bonds/founding#phone/enterprise:coop')).toBe(0n);
    expect(s.balance('enterprise:coop/asset/bonds/founding#phone')).toBe(0n);
  });

  it('needs a commune', () => {
    coop().reject({ type: 'run-bond-schedule', period: '2024-01' }, 'NOT_INCORPORATED');
  });
});
