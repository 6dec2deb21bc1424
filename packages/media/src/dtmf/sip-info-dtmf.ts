import { type DtmfDigit, parseDtmfDigit } from './dtmf-digit.js';

/**
 * DTMF carried in SIP INFO bodies, as desk phones and many WebRTC clients
 * send it. Two de-facto formats (neither has an RFC):
 *
 * - `application/dtmf-relay`: lines `Signal=5` and `Duration=160` (ms),
 *   keys in any case, `Signal` also as event numbers 10 (*) and 11 (#).
 * - `application/dtmf`: the body is the digit (or its event number).
 */

export const MAX_INFO_BODY_OCTETS = 1024;
const MAX_DURATION_MS = 60_000;

export type SipInfoDtmfFailure =
  | 'unsupported-content-type'
  | 'too-large'
  | 'no-signal'
  | 'unknown-signal'
  | 'bad-duration';

export type SipInfoDtmfResult =
  | { readonly ok: true; readonly digit: DtmfDigit; readonly durationMs?: number }
  | { readonly ok: false; readonly reason: SipInfoDtmfFailure };

/** Whether an INFO with this Content-Type carries DTMF we understand. */
export function isSipInfoDtmfContentType(contentType: string): boolean {
  const type = mediaType(contentType);
  return type === 'application/dtmf-relay' || type === 'application/dtmf';
}

export function parseSipInfoDtmf(contentType: string, body: string | Uint8Array): SipInfoDtmfResult {
  const type = mediaType(contentType);
  if (type !== 'application/dtmf-relay' && type !== 'application/dtmf') {
    return { ok: false, reason: 'unsupported-content-type' };
  }
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  if (length > MAX_INFO_BODY_OCTETS) return { ok: false, reason: 'too-large' };
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('latin1');
  if (type === 'application/dtmf') {
    const value = text.trim();
    if (value === '') return { ok: false, reason: 'no-signal' };
    const digit = signalDigit(value);
    return digit ? { ok: true, digit } : { ok: false, reason: 'unknown-signal' };
  }
  let signal: string | undefined;
  let duration: string | undefined;
  for (const line of text.split(/\r\n|\n|\r/)) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1).trim();
    if (key === 'signal' && signal === undefined) signal = value;
    else if (key === 'duration' && duration === undefined) duration = value;
  }
  if (signal === undefined || signal === '') return { ok: false, reason: 'no-signal' };
  const digit = signalDigit(signal);
  if (!digit) return { ok: false, reason: 'unknown-signal' };
  if (duration === undefined || duration === '') return { ok: true, digit };
  if (!/^\d{1,6}$/.test(duration)) return { ok: false, reason: 'bad-duration' };
  return { ok: true, digit, durationMs: Math.min(Number(duration), MAX_DURATION_MS) };
}

function mediaType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

function signalDigit(value: string): DtmfDigit | undefined {
  if (value === '10') return '*';
  if (value === '11') return '#';
  if (/^1[2-5]$/.test(value)) return 'ABCD'[Number(value) - 12] as DtmfDigit;
  return value.length === 1 ? parseDtmfDigit(value) : undefined;
}
