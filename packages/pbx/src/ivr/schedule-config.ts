import { z } from 'zod';

export const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof weekdays)[number];

const hhmm = z
  .string({ error: 'expected a time such as 09:00' })
  .regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/, { error: 'expected HH:MM from 00:00 to 24:00' });

const isoDate = z
  .string({ error: 'expected a date such as 2025-12-25' })
  .regex(/^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/, { error: 'expected YYYY-MM-DD' });

/** An IANA time zone the runtime knows, e.g. Europe/Berlin. */
export const timeZoneSchema = z
  .string({ error: 'expected an IANA time zone such as Europe/Berlin' })
  .max(64)
  .refine(
    (zone) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    },
    { error: 'expected an IANA time zone such as Europe/Berlin' },
  );

export const scheduleIdSchema = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/, {
  error: 'expected 1 to 32 lowercase letters, digits or inner hyphens',
});

/** Opening hours on some weekdays: `from` inclusive, `to` exclusive, wall-clock time. */
export const weeklyHoursSchema = z
  .strictObject({
    days: z
      .array(z.enum(weekdays, { error: `expected one of ${weekdays.join(', ')}` }))
      .min(1)
      .max(7),
    from: hhmm,
    to: hhmm,
  })
  .refine((hours) => hours.from < hours.to, { error: '`from` must be before `to`', path: ['to'] });

/** A closed day or range of days (inclusive), e.g. a public holiday. */
export const holidaySchema = z
  .strictObject({
    date: isoDate,
    /** Last day of a range; the single `date` when absent. */
    until: isoDate.optional(),
    name: z.string().trim().min(1).max(80).optional(),
  })
  .refine((holiday) => holiday.until === undefined || holiday.until >= holiday.date, {
    error: '`until` must not be before `date`',
    path: ['until'],
  });

/**
 * Business hours of a tenant (time conditions): weekly opening hours and
 * holidays, read in the schedule's (or else the tenant's) time zone.
 */
export const scheduleConfigSchema = z.strictObject({
  id: scheduleIdSchema,
  name: z.string().trim().min(1).max(80).optional(),
  timeZone: timeZoneSchema.optional(),
  weekly: z.array(weeklyHoursSchema).max(50).default([]),
  holidays: z.array(holidaySchema).max(500).default([]),
});

export type ScheduleConfig = z.output<typeof scheduleConfigSchema>;
export type HolidayConfig = z.output<typeof holidaySchema>;
