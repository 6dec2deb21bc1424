import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * What kind of number a call goes to, from the numbering metadata and the
 * tenant's own country and area: the basis of permission classes and fraud
 * policy (pbx.md §5, §6).
 */
export const numberClasses = [
  'emergency',
  'tollfree',
  'local',
  'national',
  'mobile',
  'international',
  'premium',
] as const;
export type NumberClass = (typeof numberClasses)[number];

export interface ClassifyContext {
  /** The caller's country; numbers of other countries are `international` (or `premium`). */
  readonly country?: CountryCode | undefined;
  /** The caller's area code (national significant digits, e.g. `30` for Berlin): fixed lines in it are `local`. */
  readonly areaCode?: string | undefined;
}

export type Classification =
  | { readonly ok: true; readonly numberClass: NumberClass; readonly country: CountryCode | undefined }
  | { readonly ok: false; readonly message: string };

/**
 * Classifies an E.164 number. Premium rate, shared cost and personal numbers
 * are `premium` wherever they are (they are how toll fraud pays out); other
 * foreign numbers are `international`; at home, mobile, toll-free, fixed
 * lines in the caller's area (`local`) and everything else (`national`).
 */
export function classifyNumber(e164: string, context: ClassifyContext = {}): Classification {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed?.isValid()) return { ok: false, message: `${e164} is not a valid number` };
  const type = parsed.getType();
  const country = parsed.country;
  const ok = (numberClass: NumberClass) => ({ ok: true, numberClass, country }) as const;
  if (type === 'PREMIUM_RATE' || type === 'SHARED_COST' || type === 'PERSONAL_NUMBER') return ok('premium');
  // Numbers sharing a calling code (NANP, +7) are domestic only in the same country.
  const domestic = context.country !== undefined && country === context.country;
  if (!domestic) return ok('international');
  if (type === 'TOLL_FREE') return ok('tollfree');
  if (type === 'MOBILE') return ok('mobile');
  if (type === 'FIXED_LINE' || type === 'FIXED_LINE_OR_MOBILE') {
    const area = context.areaCode;
    if (area !== undefined && area !== '' && parsed.nationalNumber.startsWith(area)) return ok('local');
  }
  return ok('national');
}
