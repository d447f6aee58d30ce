import type { Kysely } from 'kysely';
import { addDeadline, type CalendarConfig, shiftDeadline } from '../../core/calendar/calendar.ts';
import type { DB } from '../../db/schema.ts';
import type { DeadlineUnit } from '../../core/vocabulary.ts';
import * as repo from './calendar.repository.ts';

/** Working hours of the governance centre; the holiday overrides come from the calendar_days table. */
const WORKDAY = { workdayStart: '09:00', workdayEnd: '17:30' } as const;

export async function loadCalendar(db: Kysely<DB>): Promise<CalendarConfig> {
  const rows = await repo.allOverrides(db);
  return { timeZone: 'Asia/Shanghai', ...WORKDAY, overrides: new Map(rows.map((r) => [r.day, r.kind])) };
}

export async function dueFrom(db: Kysely<DB>, start: Date, amount: number, unit: DeadlineUnit): Promise<Date> {
  return addDeadline(start, amount, unit, await loadCalendar(db));
}

/** Moves a due time later by the (working or natural) time a matter spent suspended. */
export async function shiftDue(db: Kysely<DB>, due: Date, pausedFrom: Date, pausedTo: Date, unit: DeadlineUnit): Promise<Date> {
  return shiftDeadline(due, pausedFrom, pausedTo, unit, await loadCalendar(db));
}
