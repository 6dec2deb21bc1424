import { describe, expect, it } from 'vitest';
import { coop, incorporated, raw, withVacantProperty } from '../support/scenario.js';

describe('register-property', () => {
  it('books property an enterprise buys with its own cash, at cost less depreciation', () => {
    const s = coop();
    s.accept({
      type: 'register-property',
      property: 'numbers',
      enterprise: 'coop',
      kind: 'capital',
      description: 'DIDs',
      cost_minor: 30_000n,
      book_value_minor: 25_000n,
    });
    expect(s.balance('enterprise:coop/asset/property/numbers')).toBe(25_000n);
    expect(s.balance('enterprise:coop/expense/depreciation')).toBe(5_000n);
    expect(s.state.properties.get('numbers')?.held_since).toBeNull();
  });

  it('refuses a duplicate, an unknown enterprise, a book value above cost, and more than the enterprise holds', () => {
    const s = coop();
    const p = { type: 'register-property', enterprise: 'coop', kind: 'capital', description: 'x' } as const;
    s.reject({ ...p, property: 'servers', cost_minor: 1n }, 'DUPLICATE');
    s.reject({ ...p, property: 'x', enterprise: 'ghost', cost_minor: 1n }, 'NOT_FOUND');
    s.reject({ ...p, property: 'x', cost_minor: 10n, book_value_minor: 11n }, 'INVALID');
    s.reject({ ...p, property: 'x', cost_minor: 999_999_999n }, 'INSUFFICIENT_FUNDS');
    s.reject({ ...p, property: 'x', cost_minor: -5n }, 'INVALID');
    s.reject(raw({ ...p, property: 'x', cost_minor: '1.5' }), 'INVALID');
  });

  it('starts the grace clock after incorporation; past it the enterprise takes no new lease or funding until it sells (§3.2)', () => {
    const s = withVacantProperty();
    s.given({
      type: 'record-enterprise-revenue',
      enterprise: 'coop',
      amount_minor: 100_000n,
      currency: 'EUR',
    });
    s.given({
      type: 'register-property',
      property: 'van',
      enterprise: 'coop',
      kind: 'capital',
      description: 'a van',
      cost_minor: 50_000n,
    });
    expect(s.state.properties.get('van')?.held_since).toBe('2024-03-02');
    // Within the grace period it may still take a lease.
    s.on('2024-05-01').accept({ type: 'fund-enterprise', enterprise: 'coop', amount_minor: 1n });
    s.on('2024-06-01');
    s.reject(
      { type: 'lease', property: 'land', enterprise: 'coop', rent_minor: 1_000n, currency: 'EUR' },
      'PROPERTY_HELD_BY_ENTERPRISE',
    );
    s.reject(
      { type: 'fund-enterprise', enterprise: 'coop', amount_minor: 1n },
      'PROPERTY_HELD_BY_ENTERPRISE',
    );
    s.reject(
      {
        type: 'request-acquisition',
        request: 'r',
        enterprise: 'coop',
        property: 'p',
        kind: 'capital',
        description: 'x',
        price_minor: 1n,
        seller: 'y',
        lease: { rent_minor: 1n, currency: 'EUR' },
      },
      'PROPERTY_HELD_BY_ENTERPRISE',
    );
    // Selling it to the commune (and leasing it back) clears the flag.
    s.accept({
      type: 'sell-property-to-commune',
      property: 'van',
      payment: 'bonds',
      bonds: { series: 'van-bonds', coupon_bp: 300, term_months: 12, coupon_frequency: 1 },
      lease: { rent_minor: 2_000n, currency: 'EUR' },
    });
    s.accept({ type: 'lease', property: 'land', enterprise: 'coop', rent_minor: 1_000n, currency: 'EUR' });
  });
});

describe('sell-property-to-commune', () => {
  function withVan() {
    const s = incorporated();
    s.given({
      type: 'register-property',
      property: 'van',
      enterprise: 'coop',
      kind: 'capital',
      description: 'a van',
      cost_minor: 40_000n,
    });
    return s;
  }

  it('pays in bonds, books the enterprise’s gain and leases the property back at once', () => {
    const s = withVan();
    const events = s.accept({
      type: 'sell-property-to-commune',
      property: 'van',
      price_minor: 45_000n,
      payment: 'bonds',
      bonds: { series: 'van-bonds', coupon_bp: 300, term_months: 24, coupon_frequency: 2 },
      lease: { rent_minor: 1_500n, currency: 'EUR', term_months: 24 },
    });
    expect(events.map((e) => e.type)).toEqual([
      'bonds-issued-directly',
      'property-transferred',
      'lease-started',
    ]);
    expect(s.balance('commune/asset/property/van')).toBe(45_000n);
    expect(s.balance('enterprise:coop/asset/bonds/van-bonds')).toBe(45_000n);
    expect(s.balance('enterprise:coop/income/gain-on-sale')).toBe(-5_000n);
    expect(s.state.properties.get('van')?.status).toBe('leased');
    expect(s.state.leases.get(s.state.activeLease.get('van')!)?.last_period).toBe('2026-02');
  });

  it('pays in commune currency within the cap (the leaseback counts toward the rent roll)', () => {
    const s = withVan();
    s.accept({
      type: 'sell-property-to-commune',
      property: 'van',
      payment: 'currency',
      lease: { rent_minor: 1_000n, currency: 'VCC' },
    });
    expect(s.balance('enterprise:coop/asset/cash', 'VCC')).toBe(40_000n);
    expect(s.balance('commune/liability/currency-outstanding', 'VCC')).toBe(-40_000n);
  });

  it('refuses currency past the cap, outside money the treasury lacks, bonds without terms, and commune property', () => {
    const s = withVan();
    s.given({
      type: 'register-property',
      property: 'truck',
      enterprise: 'coop',
      kind: 'capital',
      description: 'a truck',
      cost_minor: 900_000n,
    });
    s.reject(
      {
        type: 'sell-property-to-commune',
        property: 'truck',
        payment: 'currency',
        lease: { rent_minor: 1n, currency: 'EUR' },
      },
      'CURRENCY_CAP_EXCEEDED',
    );
    s.reject(
      {
        type: 'sell-property-to-commune',
        property: 'van',
        payment: 'outside',
        lease: { rent_minor: 1n, currency: 'EUR' },
      },
      'INSUFFICIENT_FUNDS',
    );
    s.reject(
      {
        type: 'sell-property-to-commune',
        property: 'van',
        payment: 'bonds',
        lease: { rent_minor: 1n, currency: 'EUR' },
      },
      'INVALID',
    );
    s.reject(
      {
        type: 'sell-property-to-commune',
        property: 'servers',
        payment: 'outside',
        lease: { rent_minor: 1n, currency: 'EUR' },
      },
      'NOT_OWNER',
    );
    s.reject(
      {
        type: 'sell-property-to-commune',
        property: 'ghost',
        payment: 'outside',
        lease: { rent_minor: 1n, currency: 'EUR' },
      },
      'NOT_FOUND',
    );
    s.reject(
      {
        type: 'sell-property-to-commune',
        property: 'van',
        payment: 'bonds',
        bonds: { series: 'founding#servers', coupon_bp: 1, term_months: 12, coupon_frequency: 1 },
        lease: { rent_minor: 1n, currency: 'EUR' },
      },
      'INVALID',
    );
    s.reject(
      raw({
        type: 'sell-property-to-commune',
        property: 'van',
        payment: 'share',
        lease: { rent_minor: 1n, currency: 'EUR' },
      }),
      'INVALID',
    );
  });

  it('needs a commune', () => {
    coop().reject(
      {
        type: 'sell-property-to-commune',
        property: 'servers',
        payment: 'outside',
        lease: { rent_minor: 1n, currency: 'EUR' },
      },
      'NOT_INCORPORATED',
    );
  });
});

describe('acquire-property', () => {
  it('is reserved for a vote by default', () => {
    const s = incorporated();
    s.reject(
      {
        type: 'acquire-property',
        property: 'x',
        kind: 'land',
        description: 'x',
        cost_minor: 1n,
        seller: 'y',
        paid_from: 'treasury',
      },
      'VOTE_REQUIRED',
    );
  });

  it('buys from the treasury, the reserve or a series’ earmarked proceeds, and refuses what they cannot pay', () => {
    const s = withVacantProperty();
    expect(s.balance('commune/asset/property/land')).toBe(10_000n);
    expect(s.state.properties.get('land')?.status).toBe('vacant');
    const buy = { type: 'acquire-property', kind: 'land', description: 'x', seller: 'y' } as const;
    s.reject({ ...buy, property: 'p2', cost_minor: 1_000_000n, paid_from: 'treasury' }, 'INSUFFICIENT_FUNDS');
    s.reject({ ...buy, property: 'p2', cost_minor: 1n, paid_from: 'reserve' }, 'INSUFFICIENT_FUNDS');
    s.reject({ ...buy, property: 'p2', cost_minor: 1n, paid_from: 'series' }, 'INVALID');
    s.reject({ ...buy, property: 'p2', cost_minor: 1n, paid_from: 'series', series: 'nope' }, 'NOT_FOUND');
    s.reject({ ...buy, property: 'land', cost_minor: 1n, paid_from: 'treasury' }, 'DUPLICATE');
  });
});

describe('liquidate-property', () => {
  it('is reserved for a vote by default', () => {
    const s = incorporated();
    s.reject(
      { type: 'liquidate-property', property: 'servers', buyer: 'Town', proceeds_minor: 12_000n },
      'VOTE_REQUIRED',
    );
  });

  it('books proceeds and the gain as capital, never income (§3.2), and refuses leased or unknown property', () => {
    const s = withVacantProperty();
    s.reject(
      { type: 'liquidate-property', property: 'servers', buyer: 'x', proceeds_minor: 1n },
      'PROPERTY_LEASED',
    );
    s.reject({ type: 'liquidate-property', property: 'ghost', buyer: 'x', proceeds_minor: 1n }, 'NOT_FOUND');
    const cash = s.balance('commune/asset/cash');
    s.accept({ type: 'liquidate-property', property: 'land', buyer: 'Town', proceeds_minor: 12_000n });
    expect(s.balance('commune/asset/cash')).toBe(cash + 12_000n);
    expect(s.balance('commune/equity/property-revaluation')).toBe(-2_000n);
    expect(s.balance('commune/income/rent')).toBe(-50_000n);
    s.reject({ type: 'liquidate-property', property: 'land', buyer: 'x', proceeds_minor: 1n }, 'INVALID');
  });
});
