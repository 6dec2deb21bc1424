import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CarrierConfig } from '../carriers/carrier-config.js';
import { numberCandidatesFromCarrier } from '../carriers/number-format.js';
import { dialString } from './e164.js';

export interface InboundCallerId {
  /** The caller's number in E.164 when it could be read as a valid number. */
  readonly e164: string | undefined;
  /** What to show: international format (`+49 30 1234567`), the digits as sent, or `anonymous`. */
  readonly display: string;
}

/**
 * The caller ID of a call from a carrier (From or P-Asserted-Identity user
 * part), normalised to international format using the carrier's number
 * format and country, so users see `+49 30 1234567` whatever the carrier sent.
 */
export function inboundCallerId(
  text: string,
  carrier: Pick<CarrierConfig, 'numberFormat' | 'country'>,
): InboundCallerId {
  const digits = dialString(text);
  if (digits === undefined || /^anonymous$/i.test(text.trim()))
    return { e164: undefined, display: 'anonymous' };
  for (const candidate of numberCandidatesFromCarrier(digits, carrier)) {
    const parsed = parsePhoneNumberFromString(candidate);
    if (parsed?.isValid()) return { e164: parsed.number, display: parsed.formatInternational() };
  }
  return { e164: undefined, display: digits };
}
