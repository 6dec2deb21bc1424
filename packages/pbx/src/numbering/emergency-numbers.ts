import type { CountryCode } from 'libphonenumber-js/max';

/**
 * Emergency short codes by country (national regulators' published lists;
 * 112 is the EU-wide number under the European Electronic Communications
 * Code art. 109, 911 the North American one). These are dialled as short
 * codes, never in E.164, and are always allowed (pbx.md §6).
 */
const byCountry: Partial<Record<CountryCode, readonly string[]>> = {
  AT: ['112', '122', '133', '144'],
  AU: ['000', '112'],
  BE: ['112', '100', '101'],
  BR: ['190', '192', '193'],
  CA: ['911'],
  CH: ['112', '117', '118', '144'],
  CN: ['110', '119', '120'],
  DE: ['112', '110'],
  DK: ['112', '114'],
  ES: ['112', '091', '092', '062'],
  FI: ['112'],
  FR: ['112', '15', '17', '18', '114'],
  GB: ['999', '112'],
  GR: ['112', '100', '166', '199'],
  HK: ['999', '112'],
  IE: ['999', '112'],
  IL: ['100', '101', '102'],
  IN: ['112', '100', '101', '102'],
  IT: ['112', '113', '115', '118'],
  JP: ['110', '119'],
  KR: ['112', '119'],
  MX: ['911'],
  NL: ['112'],
  NO: ['112', '110', '113'],
  NZ: ['111'],
  PL: ['112', '997', '998', '999'],
  PT: ['112'],
  RU: ['112', '101', '102', '103'],
  SE: ['112'],
  SG: ['999', '995'],
  TR: ['112'],
  US: ['911'],
  ZA: ['10111', '112'],
};

/** Where the country is unknown or unlisted: the two numbers GSM handsets treat as emergency everywhere. */
const fallback: readonly string[] = ['112', '911'];

export function emergencyNumbersFor(country: CountryCode | undefined): readonly string[] {
  return (country && byCountry[country]) ?? fallback;
}

export function isEmergencyNumber(dialled: string, country: CountryCode | undefined): boolean {
  return emergencyNumbersFor(country).includes(dialled);
}
