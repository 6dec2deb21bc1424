import { z } from 'zod';

/**
 * Money in rating is exact: `bigint` micro-units, millionths of the currency's
 * major unit (1 EUR = 1_000_000 micro). Carrier rates such as 0.0123 EUR per
 * minute need sub-cent precision; statements round to minor units (cents) only
 * at the end, half away from zero.
 */
export const microPerMajor = 1_000_000n;
/** Minor units per major unit for the currencies rating supports (all have two decimals). */
export const minorPerMajor = 100n;
const microPerMinor = microPerMajor / minorPerMajor;

/** Largest amount rating accepts in a configured or imported value: 10^9 major units. */
export const maxMicro = 1_000_000_000n * microPerMajor;

const decimalPattern = /^(-)?([0-9]{1,10})(?:\.([0-9]{1,6}))?$/;

export type MicroParse =
  | { readonly ok: true; readonly micro: bigint }
  | { readonly ok: false; readonly message: string };

/** Parses a decimal in major units (`0.0123`, `12`, `-5.5`) to micro-units, exactly. */
export function parseMicro(text: string, options: { allowNegative?: boolean } = {}): MicroParse {
  const match = decimalPattern.exec(text.trim());
  if (!match) return { ok: false, message: 'expected a decimal amount with at most 6 decimals, e.g. 0.0123' };
  const [, minus, whole = '0', fraction = ''] = match;
  if (minus && !options.allowNegative) return { ok: false, message: 'expected an amount of at least 0' };
  // Up to 9 whole digits the value is exact in a double (< 2^53): one BigInt instead of three.
  const micro =
    whole.length <= 9
      ? BigInt(Number(whole) * 1_000_000 + Number(fraction.padEnd(6, '0')))
      : BigInt(whole) * microPerMajor + BigInt(fraction.padEnd(6, '0'));
  if (micro > maxMicro) return { ok: false, message: 'the amount is too large' };
  return { ok: true, micro: minus ? -micro : micro };
}

/** Formats micro-units as a decimal in major units with `decimals` places (2 to 6), rounding half away from zero. */
export function formatMicro(micro: bigint, decimals = 6): string {
  const places = Math.min(6, Math.max(0, decimals));
  const step = 10n ** BigInt(6 - places);
  const rounded = roundDiv(micro, step);
  const negative = rounded < 0n;
  const abs = negative ? -rounded : rounded;
  const scale = 10n ** BigInt(places);
  const whole = abs / scale;
  const fraction = (abs % scale).toString().padStart(places, '0');
  return `${negative ? '-' : ''}${whole}${places > 0 ? `.${fraction}` : ''}`;
}

/** Rounds micro-units to minor units (cents), half away from zero. */
export function microToMinor(micro: bigint): bigint {
  return roundDiv(micro, microPerMinor);
}

export function minorToMicro(minor: bigint): bigint {
  return minor * microPerMinor;
}

/** Integer division rounding half away from zero. */
export function roundDiv(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  if (twice >= (denominator < 0n ? -denominator : denominator)) {
    return quotient + (numerator < 0n !== denominator < 0n ? -1n : 1n);
  }
  return quotient;
}

/** Integer division rounding up (towards +infinity) for non-negative operands. */
export function ceilDiv(numerator: bigint, denominator: bigint): bigint {
  return (numerator + denominator - 1n) / denominator;
}

/** A money amount in configuration: a decimal string in major units, kept as written. */
export const moneySchema = z
  .string({ error: 'expected an amount as a quoted decimal, e.g. "25.00"' })
  .refine((text) => parseMicro(text).ok, {
    error: 'expected an amount such as "25.00" (at most 6 decimals)',
  });

/** Reads an amount already validated by `moneySchema`. */
export function microOf(text: string): bigint {
  const parsed = parseMicro(text);
  if (!parsed.ok) throw new Error(`invalid stored amount ${JSON.stringify(text)}`);
  return parsed.micro;
}

export const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, { error: 'expected an ISO 4217 currency code such as EUR' });
