import { describe, expect, it } from 'vitest';
import type { BillingRepository, RevenueBooking } from './billing-repository.js';
import type { RatedCall } from './call-rating.js';
import { bookPeriodRevenue, type EnterpriseRevenueLedger } from './revenue-booking.js';

function charges(...prices: [number, bigint, string?][]): RatedCall[] {
  return prices.map(([day, price, currency], i) => ({
    callId: `c${i}`,
    tenantId: 't',
    extension: undefined,
    carrierId: 'x',
    destination: '+49301234567',
    destinationName: 'Berlin',
    prefix: '4930',
    answeredAt_ms: Date.UTC(2025, 0, day),
    duration_s: 60,
    billable_s: 60,
    cost_micro: 1n,
    price_micro: price,
    currency: currency ?? 'EUR',
  }));
}

function fakes(
  calls: RatedCall[],
  answer: Awaited<ReturnType<EnterpriseRevenueLedger['recordEnterpriseRevenue']>>,
) {
  const bookings = new Map<string, RevenueBooking>();
  const commands: unknown[] = [];
  const billing = {
    charges: async ({ from_ms, to_ms }: { from_ms: number; to_ms: number }) =>
      calls.filter((c) => c.answeredAt_ms >= from_ms && c.answeredAt_ms < to_ms),
    revenueBooking: async (period: string) => bookings.get(period),
    saveRevenueBooking: async (b: RevenueBooking) => void bookings.set(b.period, b),
  } as unknown as BillingRepository;
  const ledger: EnterpriseRevenueLedger = {
    recordEnterpriseRevenue: async (command) => {
      commands.push(command);
      return answer;
    },
  };
  return { billing, ledger, commands };
}

const deps = (f: ReturnType<typeof fakes>) => ({
  billing: f.billing,
  ledger: f.ledger,
  enterprise: 'telekommunisten',
  currency: 'EUR',
  now: () => new Date(Date.UTC(2025, 1, 1, 0, 0, 1)),
});

describe('bookPeriodRevenue', () => {
  it("books a closed month's call revenue once, rounded to cents", async () => {
    const f = fakes(charges([3, 1_004_999n], [4, 2_000_000n], [5, 9_999n, 'USD']), {
      ok: true,
      reference: 'tx-9',
    });
    const first = await bookPeriodRevenue('2025-01', deps(f));
    expect(first).toMatchObject({
      kind: 'booked',
      booking: { amount_minor: 300n, currency: 'EUR', reference: 'tx-9' },
    });
    expect(f.commands).toEqual([
      {
        enterprise: 'telekommunisten',
        amount_minor: 300n,
        currency: 'EUR',
        category: 'telephony',
        note: 'call revenue 2025-01',
        idempotencyKey: 'telephony-revenue-2025-01',
        effectiveDate: '2025-01-31',
      },
    ]);
    expect(await bookPeriodRevenue('2025-01', deps(f))).toMatchObject({ kind: 'already-booked' });
    expect(f.commands).toHaveLength(1);
  });

  it('refuses open or malformed periods, books nothing for no revenue, and passes ledger rejections on', async () => {
    const f = fakes(charges(), { ok: true, reference: 'x' });
    expect(await bookPeriodRevenue('2025-02', deps(f))).toMatchObject({
      kind: 'rejected',
      code: 'PERIOD_OPEN',
    });
    expect(await bookPeriodRevenue('2025-1', deps(f))).toMatchObject({ kind: 'rejected', code: 'INVALID' });
    expect(await bookPeriodRevenue('2025-01', deps(f))).toEqual({
      kind: 'nothing-to-book',
      period: '2025-01',
    });
    const refused = fakes(charges([3, 5_000_000n]), {
      ok: false,
      code: 'NOT_ELIGIBLE',
      message: 'no such enterprise',
    });
    expect(await bookPeriodRevenue('2025-01', deps(refused))).toEqual({
      kind: 'rejected',
      code: 'NOT_ELIGIBLE',
      message: 'no such enterprise',
    });
    expect(await refused.billing.revenueBooking('2025-01')).toBeUndefined();
  });
});
