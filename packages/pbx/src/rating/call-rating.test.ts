import { describe, expect, it } from 'vitest';
import { incrementedSeconds, parseBillingIncrement } from './billing-increment.js';
import { rateCall, withMargin } from './call-rating.js';
import { affordableSeconds, checkCredit } from './credit.js';
import { formatMicro, microToMinor, parseMicro, roundDiv } from './money.js';
import { RateIndex } from './rate-index.js';
import { type RateRow, RateTable } from './rate-table.js';
import { buildStatement, periodRange, statementCsv, statementJson } from './statement.js';

const rate = (prefix: string, perMinute: string, connect: string, increment: string): RateRow => {
  const inc = parseBillingIncrement(increment)!;
  return {
    prefix,
    destination: `dest ${prefix}`,
    rate_micro_per_min: (parseMicro(perMinute) as { micro: bigint }).micro,
    connect_micro: (parseMicro(connect) as { micro: bigint }).micro,
    ...inc,
    effective_ms: 0,
  };
};

describe('money', () => {
  it('parses and formats exactly', () => {
    expect(parseMicro('0.0123')).toEqual({ ok: true, micro: 12_300n });
    expect(parseMicro('12')).toEqual({ ok: true, micro: 12_000_000n });
    expect(parseMicro('-5.5', { allowNegative: true })).toEqual({ ok: true, micro: -5_500_000n });
    expect(parseMicro('-5.5').ok).toBe(false);
    expect(parseMicro('1.1234567').ok).toBe(false);
    expect(parseMicro('1e3').ok).toBe(false);
    expect(parseMicro('99999999999').ok).toBe(false);
    expect(formatMicro(12_345n)).toBe('0.012345');
    expect(formatMicro(12_345n, 2)).toBe('0.01');
    expect(formatMicro(-1_005_000n, 2)).toBe('-1.01');
    expect(microToMinor(5_000n)).toBe(1n);
    expect(microToMinor(4_999n)).toBe(0n);
    expect(roundDiv(-15n, 10n)).toBe(-2n);
  });
});

describe('billing increments', () => {
  it.each([
    ['60/60', 0, 0],
    ['60/60', 1, 60],
    ['60/60', 61, 120],
    ['1/1', 61, 61],
    ['30/6', 1, 30],
    ['30/6', 31, 36],
    ['30/6', 36, 36],
    ['30/6', 37, 42],
  ] as const)('%s bills %d s as %d s', (increment, duration, billed) => {
    expect(incrementedSeconds(duration, parseBillingIncrement(increment)!)).toBe(billed);
  });

  it('refuses nonsense increments', () => {
    for (const text of ['60', '0/60', '60/0', 'a/b', '99999/1'])
      expect(parseBillingIncrement(text)).toBeUndefined();
  });
});

describe('rateCall', () => {
  const carrier = RateIndex.build(
    RateTable.from([rate('49', '0.0100', '0', '60/60'), rate('4930', '0.0075', '0.02', '30/6')]),
  );
  const priceList = RateIndex.build(RateTable.from([rate('4930', '0.0200', '0', '1/1')]));
  const call = (e164: string, seconds: number) => ({
    callId: `c-${e164}-${seconds}`,
    tenantId: 'acme',
    extension: '1001',
    carrierId: 'alpha',
    e164,
    answeredAt_ms: Date.UTC(2025, 2, 1),
    endedAt_ms: Date.UTC(2025, 2, 1) + seconds * 1000,
  });

  it('costs with the carrier increments and connect fee, prices from the price list', () => {
    const result = rateCall(call('+49301234567', 37), { carrier, priceList }, undefined, 'EUR');
    // Cost: 30/6 -> 42 s at 0.0075/min = 5250 micro, + 20000 connect. Price: 1/1 -> 37 s at 0.02/min = 12333.3 -> 12334.
    expect(result).toMatchObject({
      ok: true,
      rated: { prefix: '4930', duration_s: 37, billable_s: 37, cost_micro: 25_250n, price_micro: 12_334n },
    });
  });

  it('prices at cost plus margin where the price list has no rate', () => {
    const result = rateCall(
      call('+49891234567', 61),
      { carrier, priceList },
      { marginPercent: '12.5' },
      'EUR',
    );
    // Cost: 60/60 -> 120 s at 0.01/min = 20000 micro; +12.5% = 22500.
    expect(result).toMatchObject({
      ok: true,
      rated: { billable_s: 120, cost_micro: 20_000n, price_micro: 22_500n },
    });
    expect(withMargin(1n, '0.0001')).toBe(2n);
  });

  it('charges nothing for unanswered calls and refuses numbers the carrier has no rate for', () => {
    expect(
      rateCall(
        { ...call('+49891234567', 10), answeredAt_ms: undefined },
        { carrier, priceList: undefined },
        undefined,
        'EUR',
      ),
    ).toEqual({
      ok: false,
      reason: 'not-answered',
    });
    expect(rateCall(call('+33142685300', 10), { carrier, priceList }, undefined, 'EUR')).toEqual({
      ok: false,
      reason: 'no-carrier-rate',
    });
  });
});

describe('credit', () => {
  it('lets prepaid tenants call on a positive balance and postpaid ones down to their limit', () => {
    expect(checkCredit(1n, { mode: 'prepaid' })).toEqual({ ok: true, available_micro: 1n });
    expect(checkCredit(0n, { mode: 'prepaid' })).toMatchObject({ ok: false, reason: 'insufficient-credit' });
    expect(checkCredit(-99_000_000n, { mode: 'postpaid', creditLimit: '100.00' })).toMatchObject({
      ok: true,
    });
    expect(checkCredit(-100_000_000n, { mode: 'postpaid', creditLimit: '100.00' })).toMatchObject({
      ok: false,
    });
    expect(checkCredit(-1_000_000_000n, undefined)).toMatchObject({ ok: true });
  });

  it('computes how long a prepaid call may last', () => {
    const price = rate('49', '0.0600', '0.01', '30/6');
    expect(affordableSeconds(10_000n, price)).toBe(0);
    // 0.05 after the connect fee buys 50 s at 0.06/min: 30 + 3 * 6 = 48.
    expect(affordableSeconds(60_000n, price)).toBe(48);
    expect(affordableSeconds(10n ** 12n, price)).toBe(4 * 3600);
  });
});

describe('statements', () => {
  it('sums a month by destination with balances, as JSON and CSV', () => {
    const calls = [
      {
        callId: 'a',
        tenantId: 'acme',
        extension: '1001',
        carrierId: 'x',
        destination: '+49301234567',
        destinationName: 'Berlin',
        prefix: '4930',
        answeredAt_ms: Date.UTC(2025, 0, 5),
        duration_s: 30,
        billable_s: 60,
        cost_micro: 5_000n,
        price_micro: 10_000n,
        currency: 'EUR',
      },
      {
        callId: 'b',
        tenantId: 'acme',
        extension: undefined,
        carrierId: 'x',
        destination: '+442079460958',
        destinationName: '=UK, "London"',
        prefix: '44',
        answeredAt_ms: Date.UTC(2025, 0, 6),
        duration_s: 90,
        billable_s: 120,
        cost_micro: 15_000n,
        price_micro: 20_001n,
        currency: 'EUR',
      },
    ];
    const statement = buildStatement({
      tenantId: 'acme',
      period: '2025-01',
      currency: 'EUR',
      openingBalance_micro: 1_000_000n,
      calls,
      entries: [
        {
          id: 't',
          tenantId: 'acme',
          at_ms: Date.UTC(2025, 0, 2),
          kind: 'topup',
          amount_micro: 5_000_000n,
          note: 'top-up',
        },
      ],
    });
    expect(statement).toMatchObject({
      callCount: 2,
      billable_s: 180,
      callCharges_micro: 30_001n,
      callCharges_minor: 3n,
      closingBalance_micro: 5_969_999n,
    });
    const json = statementJson(statement);
    expect(json).toMatchObject({
      openingBalance: '1.000000',
      callCharges: '0.030001',
      invoiced: '0.03',
      closingBalance: '5.969999',
    });
    expect(json.byDestination.map((d) => d.destination)).toEqual(['=UK, "London"', 'Berlin']);
    expect(statementCsv(statement).split('\r\n')).toEqual([
      'answered_at,call_id,extension,destination,destination_name,duration_s,billable_s,price,currency',
      '2025-01-05T00:00:00.000Z,a,1001,+49301234567,Berlin,30,60,0.010000,EUR',
      `2025-01-06T00:00:00.000Z,b,,+442079460958,"'=UK, ""London""",90,120,0.020001,EUR`,
      'total,,,,,,180,0.030001,EUR',
      '',
    ]);
    expect(periodRange('2025-12')).toEqual({ from_ms: Date.UTC(2025, 11, 1), to_ms: Date.UTC(2026, 0, 1) });
    expect(periodRange('2025-13')).toBeUndefined();
  });
});
