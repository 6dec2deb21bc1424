/**
 * Money is exact: `bigint` minor units, never floating point
 * (venture-commune.md §4). Both currencies have two decimal places; the
 * commune's currency is at par with the outside one (§4, exchange).
 */

/** An ISO 4217-style code: three capital letters (`EUR`, `VCC`). */
export type CurrencyCode = string;

const currencyCodePattern = /^[A-Z]{3}$/;

export function isCurrencyCode(value: string): boolean {
  return currencyCodePattern.test(value);
}

/** Minor units per major unit: every currency the commune handles has cents. */
export const minorPerMajor = 100n;

/** `amount × bp / 10 000`, rounded down (toward zero for non-negative amounts). */
export function basisPointsOf(amount_minor: bigint, bp: number): bigint {
  return (amount_minor * BigInt(bp)) / 10_000n;
}

/** `12 345n` → `"123.45"`; negative amounts keep their sign. */
export function formatMinor(amount_minor: bigint): string {
  const negative = amount_minor < 0n;
  const abs = negative ? -amount_minor : amount_minor;
  const major = abs / minorPerMajor;
  const minor = (abs % minorPerMajor).toString().padStart(2, '0');
  const grouped = major.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}.${minor}`;
}

/** `formatMoney(12 345n, 'EUR')` → `"EUR 123.45"`. */
export function formatMoney(amount_minor: bigint, currency: CurrencyCode): string {
  return `${currency} ${formatMinor(amount_minor)}`;
}

/** Sum of a list of amounts. */
export function sumMinor(amounts: Iterable<bigint>): bigint {
  let total = 0n;
  for (const amount of amounts) total += amount;
  return total;
}

/** The smaller of two amounts (`Math.min` does not take `bigint`). */
export function minMinor(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/** The larger of two amounts. */
export function maxMinor(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
