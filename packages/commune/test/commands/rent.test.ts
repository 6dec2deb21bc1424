import { describe, expect, it } from 'vitest';
import { coop, incorporated } from '../support/scenario.js';

describe('run-rent-cycle', () => {
  it('raises one invoice per active lease per period, once', () => {
    const s = incorporated();
    const [invoice] = s.accept({ type: 'run-rent-cycle', period: '2024-03' });
    expect(invoice).toMatchObject({
      type: 'rent-invoiced',
      period: '2024-03',
      amount_minor: 50_000n,
      currency: 'EUR',
      due_on: '2024-03-01',
    });
    expect(s.balance('commune/asset/rent-receivable/coop')).toBe(50_000n);
    expect(s.balance('commune/income/rent')).toBe(-50_000n);
    expect(s.balance('enterprise:coop/expense/rent')).toBe(50_000n);
    expect(s.accept({ type: 'run-rent-cycle', period: '2024-03' })).toEqual([]);
  });

  it('refuses a period that has not begun, and needs a commune', () => {
    const s = incorporated();
    s.reject({ type: 'run-rent-cycle', period: '2024-04' }, 'PERIOD_OPEN');
    s.reject({ type: 'run-rent-cycle', period: '2024-13' }, 'INVALID');
    coop().reject({ type: 'run-rent-cycle', period: '2024-01' }, 'NOT_INCORPORATED');
  });

  it('ends a lease at the end of its term and defaults one whose rent stays unpaid past the bylaw limit', () => {
    const s = incorporated({ default_after_periods: 2 });
    s.given({ type: 'run-rent-cycle', period: '2024-03' });
    s.on('2024-04-01').given({ type: 'run-rent-cycle', period: '2024-04' });
    s.on('2024-05-01');
    const events = s.accept({ type: 'run-rent-cycle', period: '2024-05' });
    expect(events).toEqual([
      expect.objectContaining({ type: 'lease-ended', reason: 'default', property: 'servers' }),
    ]);
    expect(s.state.properties.get('servers')?.status).toBe('vacant');
    // Arrears stay owed after the default.
    expect(s.balance('commune/asset/rent-receivable/coop')).toBe(100_000n);
  });
});

describe('pay-rent', () => {
  it('settles the oldest invoices first', () => {
    const s = incorporated();
    s.given({ type: 'run-rent-cycle', period: '2024-03' });
    s.on('2024-04-02').given({ type: 'run-rent-cycle', period: '2024-04' });
    const [paid] = s.accept({ type: 'pay-rent', enterprise: 'coop', amount_minor: 70_000n, currency: 'EUR' });
    expect(paid).toMatchObject({
      type: 'rent-paid',
      allocations: [
        { invoice: 'lease#1@2024-03', amount_minor: 50_000n },
        { invoice: 'lease#1@2024-04', amount_minor: 20_000n },
      ],
    });
    expect(s.balance('commune/asset/cash')).toBe(70_000n);
    expect(s.balance('commune/asset/rent-receivable/coop')).toBe(30_000n);
  });

  it('takes nothing beyond rent invoiced: no payment of enterprise income to the commune (§3.2)', () => {
    const s = incorporated();
    s.reject(
      { type: 'pay-rent', enterprise: 'coop', amount_minor: 1n, currency: 'EUR' },
      'COMMUNE_TAKES_NO_INCOME',
    );
    s.given({ type: 'run-rent-cycle', period: '2024-03' });
    s.reject(
      { type: 'pay-rent', enterprise: 'coop', amount_minor: 50_001n, currency: 'EUR' },
      'COMMUNE_TAKES_NO_INCOME',
    );
    s.reject(
      { type: 'pay-rent', enterprise: 'coop', amount_minor: 1n, currency: 'VCC' },
      'COMMUNE_TAKES_NO_INCOME',
    );
    expect(s.balance('commune/asset/cash')).toBe(0n);
  });

  it('refuses more than the enterprise holds, unknown enterprises and currencies', () => {
    const s = incorporated();
    s.given({ type: 'run-rent-cycle', period: '2024-03' });
    s.given({
      type: 'record-enterprise-expense',
      enterprise: 'coop',
      amount_minor: 1_090_000n,
      currency: 'EUR',
    });
    s.reject(
      { type: 'pay-rent', enterprise: 'coop', amount_minor: 20_000n, currency: 'EUR' },
      'INSUFFICIENT_FUNDS',
    );
    s.reject({ type: 'pay-rent', enterprise: 'ghost', amount_minor: 1n, currency: 'EUR' }, 'NOT_FOUND');
    s.reject({ type: 'pay-rent', enterprise: 'coop', amount_minor: 1n, currency: 'USD' }, 'INVALID');
    coop().reject(
      { type: 'pay-rent', enterprise: 'coop', amount_minor: 1n, currency: 'EUR' },
      'NOT_INCORPORATED',
    );
  });
});

describe('rent in commune currency', () => {
  it('is retired when paid', () => {
    const s = incorporated({ votes_required_for: [] });
    s.given(
      { type: 'end-lease', property: 'servers' },
      { type: 'lease', property: 'servers', enterprise: 'coop', rent_minor: 30_000n, currency: 'VCC' },
      { type: 'fund-enterprise', enterprise: 'coop', amount_minor: 100_000n },
      { type: 'run-rent-cycle', period: '2024-03' },
    );
    s.accept({ type: 'pay-rent', enterprise: 'coop', amount_minor: 30_000n, currency: 'VCC' });
    expect(s.balance('commune/liability/currency-outstanding', 'VCC')).toBe(-70_000n);
    expect(s.balance('commune/income/rent', 'VCC')).toBe(-30_000n);
    expect(s.balance('enterprise:coop/asset/cash', 'VCC')).toBe(70_000n);
  });
});
