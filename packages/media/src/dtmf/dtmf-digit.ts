/**
 * DTMF digits and their RFC 4733 event codes (§3.2, Table 1): 0-9, * = 10,
 * # = 11, A-D = 12-15. Event 16 (flash) is a line event, kept apart.
 */
export type DtmfDigit =
  | '0'
  | '1'
  | '2'
  | '3'
  | '4'
  | '5'
  | '6'
  | '7'
  | '8'
  | '9'
  | '*'
  | '#'
  | 'A'
  | 'B'
  | 'C'
  | 'D';

const DIGITS: readonly DtmfDigit[] = [
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  '*',
  '#',
  'A',
  'B',
  'C',
  'D',
];

export const FLASH_EVENT = 16;

export function digitFromEvent(event: number): DtmfDigit | undefined {
  return DIGITS[event];
}

export function eventFromDigit(digit: DtmfDigit): number {
  return DIGITS.indexOf(digit);
}

/** Accepts 0-9, *, #, A-D (any case); undefined for anything else. */
export function parseDtmfDigit(text: string): DtmfDigit | undefined {
  const upper = text.toUpperCase();
  return (DIGITS as readonly string[]).includes(upper) ? (upper as DtmfDigit) : undefined;
}

/** Where a digit came from: RFC 4733 events, a SIP INFO, or tones in the audio. */
export type DtmfSource = 'rfc4733' | 'sip-info' | 'inband';

export interface DtmfEvent {
  readonly digit: DtmfDigit;
  readonly source: DtmfSource;
  /** Known when the event's end was seen (RFC 4733) or stated (SIP INFO). */
  readonly durationMs?: number;
}
