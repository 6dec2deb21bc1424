/**
 * Field schemas shared by every command: identifiers, text, dates, amounts.
 * Amounts arrive as decimal strings (or safe integers) on the wire and leave
 * as `bigint` minor units; nothing else is accepted.
 */
import { z } from 'zod';
import { isIsoDate, isPeriod } from './dates.js';
import { limits } from './limits.js';

/** Client-chosen identifiers: letters, digits, `.`, `_`, `-`; never `#`, `/` or `:`, which generated ids and account names use. */
export const idPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export const id = z.string().min(1).max(limits.idLength).regex(idPattern, 'letters, digits, ".", "_" or "-"');

/** Identifiers the engine generates (`lease#3`) or clients choose. */
export const anyId = z
  .string()
  .min(1)
  .max(limits.idLength * 2)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._#-]*$/);

export const text = z.string().trim().min(1).max(limits.textLength);
export const note = z.string().max(limits.noteLength);

export const isoDate = z.string().refine(isIsoDate, 'a calendar date YYYY-MM-DD');
export const period = z.string().refine(isPeriod, 'a calendar month YYYY-MM');
export const currency = z.string().regex(/^[A-Z]{3}$/, 'three capital letters, e.g. EUR');

const minorInput = z.union([
  z.string().regex(/^-?\d{1,20}$/, 'an integer number of minor units, as a string'),
  z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER),
]);

function minorBetween(min: bigint, message: string) {
  return minorInput
    .transform((value) => BigInt(value))
    .refine((value) => value >= min && value <= limits.amountMinor, message);
}

/** A strictly positive amount in minor units, at most `limits.amountMinor`. */
export const positiveMinor = minorBetween(
  1n,
  `a positive amount of at most ${limits.amountMinor} minor units`,
);
/** A non-negative amount in minor units. */
export const nonNegativeMinor = minorBetween(0n, `an amount from 0 to ${limits.amountMinor} minor units`);

export const basisPoints = z.number().int().min(0).max(10_000);
export const positiveBasisPoints = z.number().int().min(1).max(10_000);
export const yieldBp = z.number().int().min(0).max(limits.yieldBp);
export const termMonths = z.number().int().min(1).max(limits.termMonths);
export const couponFrequency = z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(12)]);
export const bondQuantity = z.number().int().min(1).max(limits.bondsPerSeries);

export const hours = z
  .number()
  .positive()
  .max(limits.labourHoursPerRecord)
  .refine(
    (value) =>
      Number.isInteger(Math.round(value * 100)) && Math.abs(value * 100 - Math.round(value * 100)) < 1e-6,
    'hours with at most two decimals',
  );

export const leaseFrequency = z.enum(['monthly', 'quarterly', 'annual']);
export type LeaseFrequency = z.infer<typeof leaseFrequency>;

export const propertyKind = z.enum(['land', 'capital']);
export type PropertyKind = z.infer<typeof propertyKind>;

/** The rent terms an enterprise offers or a lease fixes (§2 Lease, §5). */
export const leaseTerms = z.strictObject({
  rent_minor: positiveMinor,
  currency,
  frequency: leaseFrequency.optional(),
  term_months: termMonths.optional(),
});
