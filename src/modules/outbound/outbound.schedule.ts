import { beijingDate } from '../../core/calendar/calendar.ts';

/** When a plan runs: every day, or one weekday (1 = Monday … 7 = Sunday), at 'HH:MM' Beijing time. */
export interface PlanTime {
  cadence: 'daily' | 'weekly';
  timeOfDay: string;
  weekday: number | null;
}

const DAY_MS = 86_400_000;
/** Beijing time is UTC+08:00 all year (no daylight saving), so a local day is always 24 h. */
const BEIJING_OFFSET_MS = 8 * 3_600_000;

export const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** The first run strictly after `after`. */
export function nextRunAt(plan: PlanTime, after: Date): Date {
  const m = TIME_OF_DAY.exec(plan.timeOfDay);
  if (!m) throw new RangeError(`time of day must be 'HH:MM', got '${plan.timeOfDay}'`);
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  // The plan's time on the Beijing day of `after`, as a UTC instant.
  let at = Date.parse(`${beijingDate(after)}T00:00:00Z`) - BEIJING_OFFSET_MS + minutes * 60_000;
  if (plan.cadence === 'weekly') {
    if (!plan.weekday || plan.weekday < 1 || plan.weekday > 7) throw new RangeError('a weekly plan needs a weekday 1–7');
    at += ((plan.weekday - isoWeekday(new Date(at)) + 7) % 7) * DAY_MS;
    if (at <= after.getTime()) at += 7 * DAY_MS;
  } else if (at <= after.getTime()) {
    at += DAY_MS;
  }
  return new Date(at);
}

/** 1 = Monday … 7 = Sunday, of the Beijing date of an instant. */
export function isoWeekday(instant: Date): number {
  const day = new Date(instant.getTime() + BEIJING_OFFSET_MS).getUTCDay();
  return day === 0 ? 7 : day;
}

/** Which of `count` items of a theme a run sends: the rotation advances one item per period (day or week). */
export function rotationIndex(cadence: PlanTime['cadence'], dueAt: Date, count: number): number {
  const period = cadence === 'weekly' ? 7 * DAY_MS : DAY_MS;
  return Math.floor((dueAt.getTime() + BEIJING_OFFSET_MS) / period) % count;
}
