import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_PROMPTS_DIRECTORY } from '../prompt/prompt-library.js';
import { type CalendarParts, calendarParts } from './calendar-parts.js';
import { sayLanguage } from './say.js';
import { english as en } from './say-en.js';

const words = (ids: string[]) => ids.join(' ');

describe('English say functions', () => {
  it('says numbers the US way', () => {
    expect(words(en.number(0))).toBe('digit-0');
    expect(words(en.number(7))).toBe('digit-7');
    expect(words(en.number(13))).toBe('num-13');
    expect(words(en.number(40))).toBe('num-40');
    expect(words(en.number(42))).toBe('num-40 digit-2');
    expect(words(en.number(100))).toBe('digit-1 hundred');
    expect(words(en.number(105))).toBe('digit-1 hundred digit-5');
    expect(words(en.number(1234))).toBe('digit-1 thousand digit-2 hundred num-30 digit-4');
    expect(words(en.number(20_019))).toBe('num-20 thousand num-19');
    expect(words(en.number(3_000_001))).toBe('digit-3 million digit-1');
    expect(() => en.number(-1)).toThrow(RangeError);
    expect(() => en.number(1.5)).toThrow(RangeError);
    expect(() => en.number(1e9)).toThrow(RangeError);
  });

  it('says digits, extensions and keys', () => {
    expect(words(en.digits('10*#'))).toBe('digit-1 digit-0 star pound');
    expect(words(en.extension('1001'))).toBe('digit-1 digit-0 digit-0 digit-1');
    expect(words(en.digits('+49 (30) 1234-5'))).toBe(
      'digit-4 digit-9 digit-3 digit-0 digit-1 digit-2 digit-3 digit-4 digit-5',
    );
  });

  it('says dates relative to today, with the year only when it differs', () => {
    const now: CalendarParts = { year: 2025, month: 3, day: 14, weekday: 5, hour: 10, minute: 0 };
    expect(en.date({ ...now, hour: 8 }, now)).toEqual(['today']);
    expect(en.date({ ...now, day: 13, weekday: 4 }, now)).toEqual(['yesterday']);
    expect(en.date({ year: 2025, month: 3, day: 1, weekday: 6, hour: 0, minute: 0 }, now)).toEqual([
      'weekday-6',
      'month-3',
      'ordinal-1',
    ]);
    expect(words(en.date({ year: 2024, month: 12, day: 31, weekday: 2, hour: 0, minute: 0 }, now))).toBe(
      'weekday-2 month-12 ordinal-31 num-20 num-20 digit-4',
    );
    expect(words(en.date({ year: 2005, month: 1, day: 2, weekday: 0, hour: 0, minute: 0 }, now))).toBe(
      'weekday-0 month-1 ordinal-2 digit-2 thousand digit-5',
    );
  });

  it('says times on a 12-hour clock', () => {
    const at = (hour: number, minute: number) =>
      words(en.time({ year: 2025, month: 1, day: 1, weekday: 3, hour, minute }));
    expect(at(0, 0)).toBe('midnight');
    expect(at(12, 0)).toBe('noon');
    expect(at(9, 5)).toBe('digit-9 oh digit-5 am');
    expect(at(15, 0)).toBe('digit-3 oclock pm');
    expect(at(23, 45)).toBe('num-10 digit-1 num-40 digit-5 pm'.replace('num-10 digit-1', 'num-11'));
    expect(at(0, 30)).toBe('num-12 num-30 am');
  });

  it('says message counts and the envelope', () => {
    expect(en.messageCount(0, 0)).toEqual(['vm-no-messages']);
    expect(words(en.messageCount(1, 0))).toBe('vm-you-have digit-1 vm-new-message');
    expect(words(en.messageCount(2, 1))).toBe(
      'vm-you-have digit-2 vm-new-messages word-and digit-1 vm-saved-message',
    );
    expect(words(en.messageCount(0, 12))).toBe('vm-you-have num-12 vm-saved-messages');
    const now: CalendarParts = { year: 2025, month: 6, day: 2, weekday: 1, hour: 9, minute: 0 };
    const received: CalendarParts = { ...now, day: 1, weekday: 0, hour: 18, minute: 7 };
    expect(words(en.envelope(received, now, '1002'))).toBe(
      'vm-received yesterday word-at digit-6 oh digit-7 pm word-from digit-1 digit-0 digit-0 digit-2',
    );
    expect(en.envelope(received, now, undefined).at(-1)).toBe('vm-unknown-caller');
    expect(en.envelope(received, now, 'anonymous').at(-1)).toBe('vm-unknown-caller');
  });

  it('reads wall-clock parts in the tenant time zone', () => {
    const instant = new Date('2025-01-01T02:30:00Z');
    expect(calendarParts(instant, 'Europe/Berlin')).toEqual({
      year: 2025,
      month: 1,
      day: 1,
      weekday: 3,
      hour: 3,
      minute: 30,
    });
    expect(calendarParts(instant, 'America/New_York')).toEqual({
      year: 2024,
      month: 12,
      day: 31,
      weekday: 2,
      hour: 21,
      minute: 30,
    });
  });

  it('falls back to English for languages without rules', () => {
    expect(sayLanguage('de-AT').code).toBe('en');
    expect(sayLanguage('EN').code).toBe('en');
  });

  it('only produces prompt ids that the English catalogue has', () => {
    const catalogue = JSON.parse(
      readFileSync(join(BUNDLED_PROMPTS_DIRECTORY, 'en', 'catalogue.json'), 'utf8'),
    ) as {
      prompts: Record<string, string>;
    };
    const ids = new Set<string>();
    const add = (list: string[]) => {
      for (const id of list) ids.add(id);
    };
    for (let n = 0; n < 1000; n++) add(en.number(n));
    add(en.number(1_234_567));
    add(en.digits('0123456789*#ABCD'));
    for (let d = 1; d <= 31; d++) add(en.ordinal(d));
    const now: CalendarParts = { year: 2025, month: 6, day: 15, weekday: 0, hour: 0, minute: 0 };
    for (let m = 1; m <= 12; m++) {
      for (let w = 0; w < 7; w++)
        add(en.date({ year: 2019, month: m, day: 3, weekday: w, hour: 0, minute: 0 }, now));
    }
    add(en.date({ ...now, day: 16 }, now));
    add(en.date({ ...now, day: 14 }, now));
    add(en.date(now, now));
    for (let h = 0; h < 24; h++) for (let m = 0; m < 60; m++) add(en.time({ ...now, hour: h, minute: m }));
    add(en.messageCount(1, 1));
    add(en.messageCount(2, 2));
    add(en.messageCount(0, 0));
    add(en.envelope(now, now, '12'));
    add(en.envelope(now, now, undefined));
    const missing = [...ids].filter((id) => catalogue.prompts[id] === undefined);
    expect(missing).toEqual([]);
  });
});
