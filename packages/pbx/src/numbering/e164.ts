import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** E.164 allows at most 15 digits after the `+` (ITU-T E.164 §6.1). */
export const maxE164Digits = 15;
/** Longer input is refused before any parsing: no number needs it. */
export const maxNumberInput = 256;

const e164Pattern = /^\+[1-9][0-9]{1,14}$/;

/** Whether a string is already in E.164 form: `+` then 2 to 15 digits, no leading zero. */
export function isE164(text: string): boolean {
  return e164Pattern.test(text);
}

export type NumberRejection = 'empty' | 'too-long' | 'bad-characters' | 'invalid-number';

export type NumberParse =
  | { readonly ok: true; readonly e164: string }
  | { readonly ok: false; readonly reason: NumberRejection; readonly message: string };

/**
 * How the digits of a number are written, when known: `international`
 * means E.164 digits without the `+` (`4930...`), `national` the form a
 * caller in `country` dials (`030...`). `auto` tries every reading.
 */
export type DigitsForm = 'auto' | 'international' | 'national';

export interface NumberContext {
  /** The country national forms belong to (a tenant's or a carrier's). */
  readonly country?: CountryCode | undefined;
  readonly form?: DigitsForm;
}

/**
 * The bare dialling string inside a `tel:` or `sip:`/`sips:` URI or a
 * name-addr (`<sip:+4930...@host;user=phone>`), with RFC 3966 visual
 * separators (`-`, `.`, `(`, `)`) and spaces removed. Returns undefined when
 * what is left is not `+` and digits.
 */
export function dialString(input: string): string | undefined {
  let text = input.trim();
  const open = text.indexOf('<');
  if (open >= 0) {
    const close = text.indexOf('>', open);
    text = text.slice(open + 1, close > open ? close : undefined);
  }
  const scheme = /^(tel|sips?):/i.exec(text);
  if (scheme) {
    text = text.slice(scheme[0].length);
    const at = text.indexOf('@');
    if (at >= 0) text = text.slice(0, at);
  }
  // RFC 3966 §3 parameters (`;phone-context=`, `;ext=`) and SIP URI parameters end the number.
  const semicolon = text.indexOf(';');
  if (semicolon >= 0) text = text.slice(0, semicolon);
  text = text.replace(/[\s\-.()/\u00a0]/g, '');
  return /^\+?[0-9]+$/.test(text) ? text : undefined;
}

/**
 * Every E.164 reading of a number in the order the context makes most
 * likely, each syntactically E.164; callers pick the first they recognise
 * (a configured DID) or, via `normaliseNumber`, the first valid one.
 */
export function e164Candidates(input: string, context: NumberContext = {}): string[] {
  if (input.length > maxNumberInput) return [];
  const digits = dialString(input);
  if (digits === undefined || digits === '+') return [];
  const out: string[] = [];
  const add = (candidate: string | undefined) => {
    if (candidate !== undefined && isE164(candidate) && !out.includes(candidate)) out.push(candidate);
  };
  if (digits.startsWith('+')) {
    add(digits);
    return out;
  }
  const form = context.form ?? 'auto';
  const country = context.country;
  const asNational = () => {
    if (country === undefined) return;
    // Handles the country's trunk prefix (`0` in DE) and its international prefix (`00`, `011`).
    add(parsePhoneNumberFromString(digits, country)?.number);
  };
  const asInternational = () => {
    if (digits.startsWith('00')) add(`+${digits.slice(2)}`);
    else add(`+${digits}`);
  };
  if (form === 'national') asNational();
  else if (form === 'international') asInternational();
  else if (digits.startsWith('00')) {
    asInternational();
    asNational();
  } else {
    asNational();
    asInternational();
  }
  return out;
}

/**
 * Normalises a number in any form carriers and users write (`+49 30 1234567`,
 * `0049301234567`, `49301234567`, `030 1234567` given `DE`, `tel:+49-30-1234567`)
 * to E.164. The first reading the numbering metadata knows as valid wins.
 */
export function normaliseNumber(input: string, context: NumberContext = {}): NumberParse {
  if (input.trim() === '') return { ok: false, reason: 'empty', message: 'the number is empty' };
  if (input.length > maxNumberInput) {
    return {
      ok: false,
      reason: 'too-long',
      message: `the number is longer than ${maxNumberInput} characters`,
    };
  }
  if (dialString(input) === undefined) {
    return {
      ok: false,
      reason: 'bad-characters',
      message: 'expected digits with an optional leading + (spaces, dashes, dots and brackets are ignored)',
    };
  }
  for (const candidate of e164Candidates(input, context)) {
    if (parsePhoneNumberFromString(candidate)?.isValid()) return { ok: true, e164: candidate };
  }
  return {
    ok: false,
    reason: 'invalid-number',
    message:
      context.country === undefined
        ? 'not a valid phone number (write it in international form, e.g. +49 30 1234567)'
        : `not a valid phone number for ${context.country} or in international form`,
  };
}

/** A number's display form for people, e.g. `+49 30 1234567`; the E.164 text when unknown. */
export function formatInternational(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}
