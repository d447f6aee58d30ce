import { BEIJING_OFFSET_MS, beijingDay, beijingWeekday, DAY_MS, startOfBeijingDay } from '../../core/beijing.ts';

/** When a plan runs: every day, or one weekday (1 = Monday … 7 = Sunday), at 'HH:MM' Beijing time. */
export interface PlanTime {
  cadence: 'daily' | 'weekly';
  timeOfDay: string;
  weekday: number | null;
}


export const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** The first run strictly after `after`. */
export function nextRunAt(plan: PlanTime, after: Date): Date {
  const m = TIME_OF_DAY.exec(plan.timeOfDay);
  if (!m) throw new RangeError(`time of day must be 'HH:MM', got '${plan.timeOfDay}'`);
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  // The plan's time on the Beijing day of `after`, as a UTC instant.
  let at = startOfBeijingDay(beijingDay(after)).getTime() + minutes * 60_000;
  if (plan.cadence === 'weekly') {
    if (!plan.weekday || plan.weekday < 1 || plan.weekday > 7) throw new RangeError('a weekly plan needs a weekday 1–7');
    at += ((plan.weekday - beijingWeekday(new Date(at)) + 7) % 7) * DAY_MS;
    if (at <= after.getTime()) at += 7 * DAY_MS;
  } else if (at <= after.getTime()) {
    at += DAY_MS;
  }
  return new Date(at);
}


/** Which of `count` items of a theme a run sends: the rotation advances one item per period (day or week). */
export function rotationIndex(cadence: PlanTime['cadence'], dueAt: Date, count: number): number {
  const period = cadence === 'weekly' ? 7 * DAY_MS : DAY_MS;
  return Math.floor((dueAt.getTime() + BEIJING_OFFSET_MS) / period) % count;
}
