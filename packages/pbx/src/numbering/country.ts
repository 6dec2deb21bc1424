import { type CountryCode, getCountryCallingCode, isSupportedCountry } from 'libphonenumber-js/max';
import { z } from 'zod';

export type { CountryCode };

/** An ISO 3166-1 alpha-2 country the phone-number metadata knows, e.g. `DE`; written in capitals. */
export const countrySchema = z
  .string({ error: 'expected a two-letter country code such as DE' })
  .transform((text) => text.trim().toUpperCase())
  .refine((code) => isSupportedCountry(code), { error: 'expected a two-letter country code such as DE' })
  .transform((code) => code as CountryCode);

/** The country calling code of a country: `DE` -> `49`. */
export function callingCodeOf(country: CountryCode): string {
  return getCountryCallingCode(country);
}
