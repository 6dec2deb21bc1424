import { describe, expect, it } from 'vitest';
import { coop, incorporated } from '../support/scenario.js';

describe('record-enterprise-revenue and record-enterprise-expense', () => {
  it('books the enterprise’s own product in its own books: it keeps all of it', () => {
    const s = incorporated();
    s.accept({
      type: 'record-enterprise-revenue',
      enterprise: 'coop',
      amount_minor: 10_000n,
      currency: 'EUR',
      category: 'pbx',
    });
    s.accept({
      type: 'record-enterprise-expense',
      enterprise: 'coop',
      amount_minor: 3_000n,
      currency: 'EUR',
      category: 'carrier',
      payee: 'Carrier GmbH',
    });
    expect(s.balance('enterprise:coop/income/revenue/pbx')).toBe(-10_000n);
    expect(s.balance('enterprise:coop/expense/operating/carrier')).toBe(3_000n);
    expect(s.balance('commune/income/rent')).toBe(0n);
  });

  it('refuses to route an enterprise’s income to the commune as an expense (§3.2)', () => {
    const s = incorporated();
    s.reject(
      {
        type: 'record-enterprise-expense',
        enterprise: 'coop',
        amount_minor: 1n,
        currency: 'EUR',
        payee: 'the commune',
      },
      'COMMUNE_TAKES_NO_INCOME',
    );
    s.reject(
      {
        type: 'record-enterprise-expense',
        enterprise: 'coop',
        amount_minor: 1n,
        currency: 'EUR',
        payee: 'Test Commune',
      },
      'COMMUNE_TAKES_NO_INCOME',
    );
    s.reject(
      {
        type: 'record-enterprise-expense',
        enterprise: 'coop',
        amount_minor: 1n,
        currency: 'EUR',
        category: 'rent',
      },
      'COMMUNE_TAKES_NO_INCOME',
    );
  });

  it('refuses spending cash the enterprise lacks, unknown enterprises and currencies', () => {
    const s = coop();
    s.reject(
      { type: 'record-enterprise-expense', enterprise: 'coop', amount_minor: 10_000_000n, currency: 'EUR' },
      'INSUFFICIENT_FUNDS',
    );
    s.reject(
      { type: 'record-enterprise-revenue', enterprise: 'ghost', amount_minor: 1n, currency: 'EUR' },
      'NOT_FOUND',
    );
    s.reject(
      { type: 'record-enterprise-expense', enterprise: 'ghost', amount_minor: 1n, currency: 'EUR' },
      'NOT_FOUND',
    );
    s.reject(
      { type: 'record-enterprise-revenue', enterprise: 'coop', amount_minor: 1n, currency: 'eur' },
      'INVALID',
    );
    s.reject(
      { type: 'record-enterprise-revenue', enterprise: 'coop', amount_minor: 1n, currency: 'JPY' },
      'INVALID',
    );
  });
});

describe('fund-enterprise', () => {
  it('issues commune currency to a commune enterprise as the commune’s investment', () => {
    const s = incorporated();
    s.accept({ type: 'fund-enterprise', enterprise: 'coop', amount_minor: 600_000n });
    expect(s.balance('commune/asset/investment/coop', 'VCC')).toBe(600_000n);
    expect(s.balance('commune/liability/currency-outstanding', 'VCC')).toBe(-600_000n);
    expect(s.balance('enterprise:coop/equity/commune-investment', 'VCC')).toBe(-600_000n);
  });

  it('refuses issuance past the cap: backing ratio x annual rent roll (§4)', () => {
    const s = incorporated();
    s.given({ type: 'fund-enterprise', enterprise: 'coop', amount_minor: 599_999n });
    s.reject({ type: 'fund-enterprise', enterprise: 'coop', amount_minor: 2n }, 'CURRENCY_CAP_EXCEEDED');
    s.accept({ type: 'fund-enterprise', enterprise: 'coop', amount_minor: 1n });
  });

  it('refuses unknown enterprises and needs a commune', () => {
    incorporated().reject({ type: 'fund-enterprise', enterprise: 'ghost', amount_minor: 1n }, 'NOT_FOUND');
    coop().reject({ type: 'fund-enterprise', enterprise: 'coop', amount_minor: 1n }, 'NOT_INCORPORATED');
  });
});

describe('redeem-currency', () => {
  function funded() {
    const s = incorporated();
    s.given(
      { type: 'fund-enterprise', enterprise: 'coop', amount_minor: 10_000n },
      { type: 'run-rent-cycle', period: '2024-03' },
      { type: 'pay-rent', enterprise: 'coop', amount_minor: 50_000n, currency: 'EUR' },
    );
    s.on('2024-04-01').given({ type: 'distribute', period: '2024-03' });
    return s;
  }

  it('buys commune currency back at par from the reserve', () => {
    const s = funded();
    expect(s.balance('commune/asset/reserve')).toBe(5_000n);
    s.accept({ type: 'redeem-currency', enterprise: 'coop', amount_minor: 4_000n });
    expect(s.balance('commune/asset/reserve')).toBe(1_000n);
    expect(s.balance('commune/liability/currency-outstanding', 'VCC')).toBe(-6_000n);
    expect(s.balance('enterprise:coop/asset/cash', 'VCC')).toBe(6_000n);
    expect(s.balance('commune/equity/exchange', 'VCC') + s.balance('commune/equity/exchange', 'EUR')).toBe(
      0n,
    );
  });

  it('refuses more than the reserve or the enterprise holds, and when the bylaws forbid it', () => {
    const s = funded();
    s.reject({ type: 'redeem-currency', enterprise: 'coop', amount_minor: 6_000n }, 'INSUFFICIENT_FUNDS');
    s.reject({ type: 'redeem-currency', enterprise: 'coop', amount_minor: 20_000n }, 'INSUFFICIENT_FUNDS');
    s.reject({ type: 'redeem-currency', enterprise: 'ghost', amount_minor: 1n }, 'NOT_FOUND');
    const off = incorporated({ currency_buyback: false });
    off.reject({ type: 'redeem-currency', enterprise: 'coop', amount_minor: 1n }, 'BUYBACK_DISABLED');
    coop().reject({ type: 'redeem-currency', enterprise: 'coop', amount_minor: 1n }, 'NOT_INCORPORATED');
  });
});
