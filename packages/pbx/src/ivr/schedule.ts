import { calendarParts } from '@telekommune/media';
import { type ScheduleConfig, weekdays } from './schedule-config.js';

export type ScheduleState = 'open' | 'closed' | 'holiday';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Whether a schedule is open at `instant`, read on the wall clock of the
 * schedule's time zone (else the tenant's, else UTC). A holiday wins over
 * the weekly hours; otherwise it is open when some weekly entry covers the
 * weekday and the time (`from` inclusive, `to` exclusive).
 */
export function scheduleState(
  schedule: ScheduleConfig,
  tenantTimeZone: string | undefined,
  instant: Date,
): ScheduleState {
  const parts = calendarParts(instant, schedule.timeZone ?? tenantTimeZone ?? 'UTC');
  const day = `${parts.year}-${pad(parts.month)}-${pad(parts.day)}`;
  for (const holiday of schedule.holidays) {
    if (day >= holiday.date && day <= (holiday.until ?? holiday.date)) return 'holiday';
  }
  const weekday = weekdays[parts.weekday];
  const time = `${pad(parts.hour)}:${pad(parts.minute)}`;
  for (const hours of schedule.weekly) {
    if (weekday && hours.days.includes(weekday) && time >= hours.from && time < hours.to) return 'open';
  }
  return 'closed';
}
