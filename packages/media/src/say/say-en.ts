import { type CalendarParts, daysBetween } from './calendar-parts.js';
import type { PromptId, SayLanguage } from './say-language.js';

const MAX_NUMBER = 999_999_999;
const MAX_DIGITS = 64;

function below1000(n: number): PromptId[] {
  const out: PromptId[] = [];
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds > 0) out.push(`digit-${hundreds}`, 'hundred');
  if (rest === 0) return out;
  if (rest < 10) out.push(`digit-${rest}`);
  else if (rest < 20) out.push(`num-${rest}`);
  else {
    out.push(`num-${rest - (rest % 10)}`);
    if (rest % 10 > 0) out.push(`digit-${rest % 10}`);
  }
  return out;
}

function number(value: number): PromptId[] {
  if (!Number.isInteger(value) || value < 0 || value > MAX_NUMBER) {
    throw new RangeError(`cannot say ${value}: whole numbers 0 to ${MAX_NUMBER}`);
  }
  if (value === 0) return ['digit-0'];
  const out: PromptId[] = [];
  const millions = Math.floor(value / 1_000_000);
  const thousands = Math.floor((value % 1_000_000) / 1000);
  const rest = value % 1000;
  if (millions > 0) out.push(...below1000(millions), 'million');
  if (thousands > 0) out.push(...below1000(thousands), 'thousand');
  if (rest > 0) out.push(...below1000(rest));
  return out;
}

function digits(text: string): PromptId[] {
  const out: PromptId[] = [];
  for (const ch of text.slice(0, MAX_DIGITS)) {
    if (ch >= '0' && ch <= '9') out.push(`digit-${ch}`);
    else if (ch === '*') out.push('star');
    else if (ch === '#') out.push('pound');
    else if (/[a-d]/i.test(ch)) out.push(`letter-${ch.toLowerCase()}`);
    // '+', spaces and separators of phone numbers are not spoken.
  }
  return out;
}

function ordinal(value: number): PromptId[] {
  if (!Number.isInteger(value) || value < 1 || value > 31)
    throw new RangeError(`no ordinal prompt for ${value}`);
  return [`ordinal-${value}`];
}

/** Years as people say them: 2025 -> twenty twenty-five; 2000 -> two thousand; 2005 -> two thousand five. */
function year(value: number): PromptId[] {
  if (value >= 2000 && value < 2010) return number(value);
  const high = Math.floor(value / 100);
  const low = value % 100;
  if (low === 0) return [...number(high), 'hundred'];
  return [...number(high), ...(low < 10 ? ['oh', `digit-${low}`] : number(low))];
}

function date(when: CalendarParts, now: CalendarParts): PromptId[] {
  const ago = daysBetween(when, now);
  if (ago === 0) return ['today'];
  if (ago === 1) return ['yesterday'];
  if (ago === -1) return ['tomorrow'];
  const out: PromptId[] = [`weekday-${when.weekday}`, `month-${when.month}`, ...ordinal(when.day)];
  if (when.year !== now.year) out.push(...year(when.year));
  return out;
}

function time(when: CalendarParts): PromptId[] {
  if (when.hour === 0 && when.minute === 0) return ['midnight'];
  if (when.hour === 12 && when.minute === 0) return ['noon'];
  const hour12 = when.hour % 12 === 0 ? 12 : when.hour % 12;
  const out = number(hour12);
  if (when.minute === 0) out.push('oclock');
  else if (when.minute < 10) out.push('oh', `digit-${when.minute}`);
  else out.push(...number(when.minute));
  out.push(when.hour < 12 ? 'am' : 'pm');
  return out;
}

function messageCount(newCount: number, savedCount: number): PromptId[] {
  if (newCount === 0 && savedCount === 0) return ['vm-no-messages'];
  const out: PromptId[] = ['vm-you-have'];
  if (newCount > 0) out.push(...number(newCount), newCount === 1 ? 'vm-new-message' : 'vm-new-messages');
  if (newCount > 0 && savedCount > 0) out.push('word-and');
  if (savedCount > 0)
    out.push(...number(savedCount), savedCount === 1 ? 'vm-saved-message' : 'vm-saved-messages');
  return out;
}

function envelope(received: CalendarParts, now: CalendarParts, caller: string | undefined): PromptId[] {
  const out: PromptId[] = ['vm-received', ...date(received, now), 'word-at', ...time(received)];
  // Only a number is read out; a name or "anonymous" is an unknown caller.
  const isNumber = caller !== undefined && /^[+\d*#().\s-]+$/.test(caller) && /\d/.test(caller);
  if (isNumber) out.push('word-from', ...digits(caller));
  else out.push('vm-unknown-caller');
  return out;
}

/** English (US conventions: "one hundred five", 12-hour clock). */
export const english: SayLanguage = {
  code: 'en',
  number,
  digits,
  ordinal,
  date,
  time,
  extension: digits,
  messageCount,
  envelope,
};
