import { headerFault } from '../errors.js';
import {
  isIn,
  isToken,
  type Params,
  parseDigits,
  parseParams,
  scanWhile,
  TOKEN,
  tokenParam,
  trimLws,
  WORD,
} from './scanner.js';

/** Event = event-type *( SEMI event-param ) (RFC 6665 §8.2.1). */
export interface EventHeader {
  readonly type: string;
  readonly id: string | undefined;
  readonly params: Params;
}

export function parseEvent(value: string): EventHeader {
  const text = trimLws(value);
  const end = scanWhile(text, 0, TOKEN);
  if (end === 0) throw headerFault('Event', 'bad event type');
  const params = parseParams(text, end, 'Event');
  return { type: text.slice(0, end).toLowerCase(), id: tokenParam(params, 'id', 'Event'), params };
}

/** Subscription-State = substate-value *( SEMI subexp-params ) (RFC 6665 §8.2.3). */
export interface SubscriptionState {
  /** active, pending, terminated or an extension, lower-cased. */
  readonly state: string;
  readonly expires: number | undefined;
  readonly reason: string | undefined;
  readonly retryAfter: number | undefined;
  readonly params: Params;
}

export function parseSubscriptionState(value: string): SubscriptionState {
  const text = trimLws(value);
  const end = scanWhile(text, 0, TOKEN);
  if (end === 0) throw headerFault('Subscription-State', 'bad state');
  const params = parseParams(text, end, 'Subscription-State');
  const number = (name: string) => {
    const raw = params.get(name);
    if (raw === undefined) return undefined;
    const parsed = raw === null ? undefined : parseDigits(raw, 2 ** 32 - 1);
    if (parsed === undefined) throw headerFault('Subscription-State', `bad ${name}`);
    return parsed;
  };
  return {
    state: text.slice(0, end).toLowerCase(),
    expires: number('expires'),
    reason: tokenParam(params, 'reason', 'Subscription-State'),
    retryAfter: number('retry-after'),
    params,
  };
}

/** Replaces = callid *(SEMI replaces-param) (RFC 3891 §6.1). */
export interface Replaces {
  readonly callId: string;
  readonly toTag: string;
  readonly fromTag: string;
  readonly earlyOnly: boolean;
}

export function parseReplaces(value: string): Replaces {
  const text = trimLws(value);
  const semi = text.indexOf(';');
  const callId = trimLws(semi === -1 ? text : text.slice(0, semi));
  if (!isCallId(callId)) throw headerFault('Replaces', 'bad Call-ID');
  const params = parseParams(text, semi === -1 ? text.length : semi, 'Replaces');
  const toTag = tokenParam(params, 'to-tag', 'Replaces');
  const fromTag = tokenParam(params, 'from-tag', 'Replaces');
  if (toTag === undefined || fromTag === undefined)
    throw headerFault('Replaces', 'to-tag and from-tag are required');
  return { callId, toTag, fromTag, earlyOnly: params.has('early-only') };
}

/** Session-Expires = delta-seconds *(SEMI se-params), refresher=uac/uas (RFC 4028 §4). */
export interface SessionExpires {
  readonly delta_s: number;
  readonly refresher: 'uac' | 'uas' | undefined;
  readonly params: Params;
}

export function parseSessionExpires(value: string): SessionExpires {
  const text = trimLws(value);
  let end = 0;
  while (end < text.length && text.charCodeAt(end) >= 0x30 && text.charCodeAt(end) <= 0x39) end++;
  const delta = parseDigits(text.slice(0, end), 2 ** 32 - 1);
  if (delta === undefined) throw headerFault('Session-Expires', 'bad delta-seconds');
  const params = parseParams(text, end, 'Session-Expires');
  const refresher = params.get('refresher');
  if (refresher !== undefined && refresher !== 'uac' && refresher !== 'uas') {
    throw headerFault('Session-Expires', 'refresher must be uac or uas');
  }
  return { delta_s: delta, refresher, params };
}

/** callid = word [ "@" word ] (RFC 3261 §25.1). */
export function isCallId(text: string): boolean {
  // callid = word [ "@" word ]
  let at = -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x40) {
      if (at !== -1 || i === 0) return false;
      at = i;
    } else if (!isIn(WORD, code)) return false;
  }
  return text.length > 0 && at !== text.length - 1;
}

/** A comma-separated list of option tags or methods (Require, Supported, Allow, ...). */
export function parseTokenList(values: readonly string[], header: string): string[] {
  const out: string[] = [];
  for (const line of values) {
    if (trimLws(line) === '') continue; // Supported: (empty) is legal
    for (const item of line.split(',')) {
      const token = trimLws(item);
      if (!isToken(token)) throw headerFault(header, 'bad token in list');
      out.push(token);
    }
  }
  return out;
}

const SIP_DATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), ([0-9]{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([0-9]{4}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) GMT$/;

/** SIP-date = rfc1123-date, always in GMT (RFC 3261 §20.17). */
export function parseSipDate(value: string): Date {
  const match = SIP_DATE.exec(trimLws(value));
  if (!match) throw headerFault('Date', 'not an RFC 1123 date in GMT');
  const date = new Date(`${match[2]} ${match[3]} ${match[4]} ${match[5]}:${match[6]}:${match[7]} GMT`);
  if (Number.isNaN(date.getTime())) throw headerFault('Date', 'no such date');
  return date;
}

/** delta-seconds; values above 2**32-1 are read as 2**32-1 (RFC 3261 §20.19 allows this leniency). */
export function parseDeltaSeconds(value: string, header: string): number {
  const text = trimLws(value);
  if (!/^[0-9]+$/.test(text)) throw headerFault(header, 'not delta-seconds');
  const parsed = parseDigits(text, 2 ** 32 - 1);
  return parsed ?? 2 ** 32 - 1;
}
