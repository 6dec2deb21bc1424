/**
 * Calendar arithmetic on plain ISO strings. Every command carries an
 * effective date `YYYY-MM-DD` (venture-commune.md §11); rent, bond and
 * distribution periods are calendar months `YYYY-MM` (§5, §7).
 */

export type IsoDate = string;
export type Period = string;

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const periodPattern = /^(\d{4})-(\d{2})$/;
const msPerDay = 86_400_000;

export function isIsoDate(value: string): boolean {
  const match = datePattern.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1900 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

export function isPeriod(value: string): boolean {
  const match = periodPattern.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  return year >= 1900 && year <= 9999 && month >= 1 && month <= 12;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The month a date falls in: `2024-03-17` → `2024-03`. */
export function periodOf(date: IsoDate): Period {
  return date.slice(0, 7);
}

/** First day of a period. */
export function periodStart(period: Period): IsoDate {
  return `${period}-01`;
}

/** Last day of a period. */
export function periodEnd(period: Period): IsoDate {
  const year = Number(period.slice(0, 4));
  const month = Number(period.slice(5, 7));
  return `${period}-${String(daysInMonth(year, month)).padStart(2, '0')}`;
}

/** Months since year 0: a total order on periods that supports arithmetic. */
export function monthIndex(period: Period): number {
  return Number(period.slice(0, 4)) * 12 + Number(period.slice(5, 7)) - 1;
}

export function periodFromIndex(index: number): Period {
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

export function addMonths(period: Period, months: number): Period {
  return periodFromIndex(monthIndex(period) + months);
}

function toEpochDay(date: IsoDate): number {
  return (
    Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / msPerDay
  );
}

function fromEpochDay(day: number): IsoDate {
  return new Date(day * msPerDay).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

/** The same day of the month `months` later, clamped to the month's end. */
export function addMonthsToDate(date: IsoDate, months: number): IsoDate {
  const period = addMonths(periodOf(date), months);
  const end = periodEnd(period);
  const day = date.slice(8, 10);
  return day > end.slice(8, 10) ? end : `${period}-${day}`;
}
