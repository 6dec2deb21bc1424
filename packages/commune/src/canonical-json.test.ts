import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, parseCanonicalJson } from './canonical-json.js';

describe('canonical JSON', () => {
  it('sorts keys, writes bigint as strings and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: 2n, c: undefined }, list: [3n, 'x'] })).toBe(
      '{"a":{"d":"2"},"b":1,"list":["3","x"]}',
    );
  });

  it('reads amounts back as bigint only where the field says minor units', () => {
    const value = parseCanonicalJson(
      '{"rent_minor":"12","note":"12","lines":[{"amount_minor":"-5"}],"amounts_minor":["1","2"]}',
    );
    expect(value).toEqual({
      rent_minor: 12n,
      note: '12',
      lines: [{ amount_minor: -5n }],
      amounts_minor: [1n, 2n],
    });
  });

  it('refuses what JSON cannot say exactly', () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ x: () => 1 })).toThrow(TypeError);
  });

  it('round-trips any record of amounts, text and integers', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ maxLength: 8 }).map((k) => `${k}_minor`),
          fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }),
        ),
        fc.dictionary(
          fc.string({ maxLength: 8 }).filter((k) => !k.endsWith('_minor')),
          fc.oneof(fc.string(), fc.integer()),
        ),
        (amounts, other) => {
          const value = { ...other, ...amounts };
          expect(parseCanonicalJson(canonicalJson(value))).toEqual(
            JSON.parse(canonicalJson(value), (k, v) => (k.endsWith('_minor') ? BigInt(v) : v)),
          );
          expect(canonicalJson(parseCanonicalJson(canonicalJson(value)))).toBe(canonicalJson(value));
        },
      ),
    );
  });
});
