import { type CountryCode, getCountries, getCountryCallingCode } from 'libphonenumber-js/max';
import { z } from 'zod';

export type { CountryCode };

const countries = getCountries() as [CountryCode, ...CountryCode[]];
const countryError = 'expected a two-letter country code such as DE';

/**
 * An ISO 3166-1 alpha-2 country the phone-number metadata knows, e.g. `DE`;
 * written in capitals. Trimmed and capitalised, then one of the known codes
 * (an enum, so /openapi.json lists them rather than showing `{}`).
 */
export const countrySchema = z
  .string({ error: countryError })
  .trim()
  .toUpperCase()
  .pipe(z.enum(countries, { error: countryError }));

/** The country calling code of a country: `DE` -> `49`. */
export function callingCodeOf(country: CountryCode): string {
  return getCountryCallingCode(country);
}
