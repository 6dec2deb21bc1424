import { describe, expect, it } from 'vitest';
import { scheduleState } from './schedule.js';
import { scheduleConfigSchema } from './schedule-config.js';

const office = scheduleConfigSchema.parse({
  id: 'office',
  weekly: [
    { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' },
    { days: ['sat'], from: '10:00', to: '12:30' },
  ],
  holidays: [{ date: '2025-12-24', until: '2025-12-26', name: 'Christmas' }, { date: '2025-05-01' }],
});

describe('business hours', () => {
  it('reads the wall clock of the tenant time zone', () => {
    // Monday 2025-03-03 08:30 UTC is 09:30 in Berlin (CET, UTC+1) and 03:30 in New York.
    const instant = new Date('2025-03-03T08:30:00Z');
    expect(scheduleState(office, 'Europe/Berlin', instant)).toBe('open');
    expect(scheduleState(office, 'America/New_York', instant)).toBe('closed');
    expect(scheduleState(office, undefined, instant)).toBe('closed'); // UTC 08:30
  });

  it('opens at `from` and closes at `to`', () => {
    expect(scheduleState(office, 'UTC', new Date('2025-03-03T09:00:00Z'))).toBe('open');
    expect(scheduleState(office, 'UTC', new Date('2025-03-03T16:59:00Z'))).toBe('open');
    expect(scheduleState(office, 'UTC', new Date('2025-03-03T17:00:00Z'))).toBe('closed');
    expect(scheduleState(office, 'UTC', new Date('2025-03-08T12:29:00Z'))).toBe('open'); // Saturday
    expect(scheduleState(office, 'UTC', new Date('2025-03-09T11:00:00Z'))).toBe('closed'); // Sunday
  });

  it('keeps holidays closed, ranges inclusive, even in opening hours', () => {
    expect(scheduleState(office, 'UTC', new Date('2025-05-01T10:00:00Z'))).toBe('holiday');
    expect(scheduleState(office, 'UTC', new Date('2025-12-26T10:00:00Z'))).toBe('holiday');
    expect(scheduleState(office, 'UTC', new Date('2025-12-27T11:00:00Z'))).toBe('open');
    // 23:30 UTC on Dec 23 is already Dec 24 in Berlin.
    expect(scheduleState(office, 'Europe/Berlin', new Date('2025-12-23T23:30:00Z'))).toBe('holiday');
  });

  it('follows daylight saving time', () => {
    // Berlin is UTC+2 in July: 07:30 UTC on a Tuesday is 09:30 local.
    expect(scheduleState(office, 'Europe/Berlin', new Date('2025-07-01T07:30:00Z'))).toBe('open');
    expect(scheduleState(office, 'Europe/Berlin', new Date('2025-07-01T06:30:00Z'))).toBe('closed');
  });

  it('refuses bad hours and dates', () => {
    expect(
      scheduleConfigSchema.safeParse({ id: 'x', weekly: [{ days: ['mon'], from: '18:00', to: '09:00' }] })
        .success,
    ).toBe(false);
    expect(
      scheduleConfigSchema.safeParse({ id: 'x', weekly: [{ days: ['monday'], from: '08:00', to: '09:00' }] })
        .success,
    ).toBe(false);
    expect(scheduleConfigSchema.safeParse({ id: 'x', holidays: [{ date: '2025-13-01' }] }).success).toBe(
      false,
    );
    expect(scheduleConfigSchema.safeParse({ id: 'x', timeZone: 'Mars/Olympus' }).success).toBe(false);
  });
});
