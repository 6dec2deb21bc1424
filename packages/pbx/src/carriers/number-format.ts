import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { type DigitsForm, e164Candidates } from '../numbering/e164.js';
import type { CarrierConfig } from './carrier-config.js';

type FormattingCarrier = Pick<CarrierConfig, 'numberFormat' | 'country' | 'techPrefix'>;

/**
 * The user part a carrier expects in the Request-URI for an E.164 number:
 * `+4930...`, `4930...`, `004930...`, or the carrier country's national form
 * (`030...`; other countries with that country's international prefix, e.g.
 * `011...` from the US), after the carrier's tech prefix if it has one.
 */
export function formatForCarrier(e164: string, carrier: FormattingCarrier): string {
  const digits = e164.startsWith('+') ? e164.slice(1) : e164;
  let out: string;
  switch (carrier.numberFormat) {
    case 'e164-plus':
      out = `+${digits}`;
      break;
    case 'e164':
      out = digits;
      break;
    case 'international-00':
      out = `00${digits}`;
      break;
    case 'national': {
      const parsed = parsePhoneNumberFromString(`+${digits}`);
      const country = carrier.country;
      if (!parsed || country === undefined) {
        out = `00${digits}`;
        break;
      }
      const text =
        parsed.country === country ? parsed.formatNational() : parsed.format('IDD', { fromCountry: country });
      out = (text ?? `00${digits}`).replace(/[^0-9]/g, '');
      break;
    }
  }
  return `${carrier.techPrefix ?? ''}${out}`;
}

/** How the digits a carrier sends without `+` are most likely written. */
function formOf(carrier: Pick<CarrierConfig, 'numberFormat'>): DigitsForm {
  switch (carrier.numberFormat) {
    case 'e164':
      return 'international';
    case 'national':
      return 'national';
    default:
      return 'auto';
  }
}

/**
 * The E.164 readings of a number a carrier sent (Request-URI, To or From
 * user part, or a `tel:` URI), most likely first. Carriers are not always
 * consistent, so every reading is offered: the carrier's declared format
 * first, then the others.
 */
export function numberCandidatesFromCarrier(
  text: string,
  carrier: Pick<CarrierConfig, 'numberFormat' | 'country'>,
): string[] {
  const context = { country: carrier.country };
  const first = e164Candidates(text, { ...context, form: formOf(carrier) });
  const rest = e164Candidates(text, { ...context, form: 'auto' }).filter((c) => !first.includes(c));
  return [...first, ...rest];
}
