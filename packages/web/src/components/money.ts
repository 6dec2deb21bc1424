/**
 * Exact money for the console. The APIs send amounts as decimal strings:
 * the commune in minor units (`"79000"` is 790.00), billing in major units
 * with up to six decimals (`"12.345600"`). Nothing here goes through a
 * floating-point number.
 */

const grouping = /\B(?=(\d{3})+(?!\d))/g;

/** `"79000"` → `"790.00"`; `"-5"` → `"-0.05"`; with thousands separators when `group`. */
export function formatMinor(minor: string | bigint, options: { group?: boolean } = {}): string {
  const value = typeof minor === 'bigint' ? minor : BigInt(minor);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = (abs / 100n).toString();
  const cents = (abs % 100n).toString().padStart(2, '0');
  const grouped = options.group === false ? whole : whole.replace(grouping, ',');
  return `${negative ? '-' : ''}${grouped}.${cents}`;
}

/** `"79000", "EUR"` → `"EUR 790.00"`. */
export function money(minor: string | bigint, currency: string): string {
  return `${currency} ${formatMinor(minor)}`;
}

/** A decimal number of minor units for charts; exact up to 2^53 cents, which is beyond any limit here. */
export function minorToNumber(minor: string): number {
  return Number(BigInt(minor)) / 100;
}

export type ParsedMinor = { ok: true; minor: string } | { ok: false; message: string };

/**
 * What a person types as an amount in major units (`790`, `790.5`, `1,234.56`)
 * → minor units as a decimal string. At most two decimals; positive unless
 * `allowZero`.
 */
export function parseMajor(text: string, options: { allowZero?: boolean } = {}): ParsedMinor {
  const cleaned = text.trim().replace(/[,\s_]/g, '');
  const match = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!match) return { ok: false, message: 'expected an amount such as 790.00 (at most two decimals)' };
  const minor = BigInt(match[1]!) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
  if (minor === 0n && !options.allowZero) return { ok: false, message: 'expected more than 0.00' };
  return { ok: true, minor: minor.toString() };
}

/** Basis points as a percentage: 350 → `"3.50 %"`. */
export function percent(bp: number): string {
  return `${(bp / 100).toFixed(2)} %`;
}

/** A bid-to-cover ratio from basis points: 14166 → `"1.42"`. */
export function ratio(bp: number): string {
  return (bp / 10_000).toFixed(2);
}

/** A percentage typed with at most two decimals (`4`, `3.75`) → basis points (375), exactly. */
export function parsePercent(text: string): { ok: true; bp: number } | { ok: false; message: string } {
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim().replace(/\s*%$/, ''));
  if (!match) return { ok: false, message: 'expected a percentage such as 3.75' };
  return { ok: true, bp: Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) };
}
