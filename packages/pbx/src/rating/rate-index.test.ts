import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RateIndex } from './rate-index.js';
import { type RateRow, RateTable } from './rate-table.js';

const day = (text: string) => Date.parse(`${text}T00:00:00Z`);

function row(prefix: string, rate: bigint, effective = 0): RateRow {
  return {
    prefix,
    destination: `d${prefix}`,
    rate_micro_per_min: rate,
    connect_micro: 0n,
    initial_s: 60,
    increment_s: 60,
    effective_ms: effective,
  };
}

/** The obvious longest-prefix match, to check the index against. */
function naive(rows: readonly RateRow[], number: string, at: number): RateRow | undefined {
  let best: RateRow | undefined;
  for (const r of rows) {
    if (!number.startsWith(r.prefix) || r.effective_ms > at) continue;
    if (
      !best ||
      r.prefix.length > best.prefix.length ||
      (r.prefix.length === best.prefix.length && r.effective_ms > best.effective_ms)
    )
      best = r;
  }
  return best;
}

describe('RateIndex', () => {
  const rows = [
    row('1', 10n),
    row('49', 100n),
    row('4930', 200n),
    row('49301', 300n),
    row('491', 400n),
    row('4915', 500n),
    row('490', 600n),
    row('5', 700n),
  ];
  const index = RateIndex.build(RateTable.from(rows));

  it.each([
    ['+49301234567', '49301'],
    ['49301234567', '49301'],
    ['+49302', '4930'],
    ['+49891234', '49'],
    ['+4915112345', '4915'],
    ['+4914', '491'],
    ['+4901', '490'],
    ['+12125550123', '1'],
    ['+5', '5'],
    ['+49', '49'],
    ['+4', undefined],
    ['+33142685300', undefined],
    ['+999', undefined],
  ])('matches %s to prefix %s', (number, prefix) => {
    expect(index.lookup(number)?.prefix).toBe(prefix);
  });

  it('refuses what is not a number', () => {
    expect(index.lookup('')).toBeUndefined();
    expect(index.lookup('+')).toBeUndefined();
    expect(index.lookup('49a')).toBeUndefined();
    expect(index.lookup('4'.repeat(16))).toBeUndefined();
  });

  it('honours effective dates, falling back to a shorter prefix before a rate starts', () => {
    const dated = RateIndex.build(
      RateTable.from([
        row('49', 100n, day('2025-01-01')),
        row('49', 90n, day('2025-06-01')),
        row('4930', 50n, day('2025-03-01')),
      ]),
    );
    expect(dated.lookup('+49301234567', day('2024-12-31'))).toBeUndefined();
    expect(dated.lookup('+49301234567', day('2025-02-01'))?.rate_micro_per_min).toBe(100n);
    expect(dated.lookup('+49301234567', day('2025-03-01'))?.rate_micro_per_min).toBe(50n);
    expect(dated.lookup('+49891234567', day('2025-05-31'))?.rate_micro_per_min).toBe(100n);
    expect(dated.lookup('+49891234567', day('2025-06-01'))?.rate_micro_per_min).toBe(90n);
  });

  it('reports duplicate prefix and date pairs', () => {
    const dup = RateIndex.build(RateTable.from([row('49', 1n), row('1', 2n), row('49', 3n)]));
    expect(dup.duplicates).toEqual([[0, 2]]);
  });

  it('agrees with a naive scan on random decks', () => {
    const digits = fc.stringMatching(/^[1-9][0-9]{0,5}$/);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(digits, fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 60 }),
        fc.array(fc.stringMatching(/^[1-9][0-9]{0,14}$/), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 0, max: 4 }),
        (entries, numbers, at) => {
          const seen = new Set<string>();
          const deck = entries
            .filter(([p, e]) => !seen.has(`${p}@${e}`) && seen.add(`${p}@${e}`))
            .map(([p, e], i) => row(p, BigInt(i), e));
          const built = RateIndex.build(RateTable.from(deck));
          for (const number of numbers) {
            const expected = naive(deck, number, at);
            const got = built.lookup(number, at);
            expect(got?.prefix).toBe(expected?.prefix);
            expect(got?.rate_micro_per_min).toBe(expected?.rate_micro_per_min);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
