/**
 * Working-time calendar for due times (时限计算).
 *
 * All wall-clock reasoning happens in Beijing time, a fixed UTC+08:00 with no daylight saving, so a
 * "local" instant is simply the UTC instant shifted by eight hours and every local day is 24 h long.
 *
 * Semantics of `addDeadline` units:
 * - natural_hours: start + amount hours of wall time; holidays and nights count.
 * - natural_days: start + amount × 24 h, i.e. the same clock time `amount` calendar days later.
 * - working_days: the `amount`-th working day AFTER the start's Beijing date, due at the end of that
 *   working day (workdayEnd). The start day never counts, whatever the hour, so a report at 10:00 or at
 *   20:00 on Friday with 1 working day is due Monday 17:30 (if Monday is worked). amount 0 means the end
 *   of the start day if it is a working day not yet over, else the end of the next working day.
 * - working_hours: only time inside working hours of working days counts; a report outside them starts
 *   counting at the next working-hours start. amount 0 returns the start unchanged.
 * A working day is Monday–Friday unless overridden: 'holiday' takes a weekday off, 'workday' makes a
 * weekend day worked (调休).
 */
import { beijingDay, beijingMidnight, DAY_MS, HOUR_MS, MINUTE_MS } from '../beijing.ts';
import type { DeadlineUnit } from '../vocabulary.ts';

export type DayOverride = 'holiday' | 'workday';

export interface CalendarConfig {
  timeZone: 'Asia/Shanghai';
  /** 'HH:MM', Beijing time. */
  workdayStart: string;
  /** 'HH:MM', Beijing time; a due time in working days falls at this time. */
  workdayEnd: string;
  /** Optional lunch break, 'HH:MM' each, strictly inside the working day. */
  lunchBreak?: { start: string; end: string } | null;
  /** 'YYYY-MM-DD' → override of the weekday rule. */
  overrides: ReadonlyMap<string, DayOverride>;
}

// Ten years without a working day means the calendar is broken; stop rather than loop forever.
const MAX_DAYS_SCANNED = 3660;

export function defaultCalendarConfig(overrides: ReadonlyMap<string, DayOverride> = new Map()): CalendarConfig {
  return { timeZone: 'Asia/Shanghai', workdayStart: '09:00', workdayEnd: '17:30', lunchBreak: null, overrides };
}

/** Minutes after midnight for 'HH:MM' (00:00–24:00). */
function parseClock(value: string, field: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(value);
  const hours = Number(m?.[1]);
  const minutes = Number(m?.[2]);
  if (!m || hours > 24 || minutes > 59 || (hours === 24 && minutes !== 0)) {
    throw new RangeError(`${field} must be 'HH:MM' between 00:00 and 24:00, got '${value}'`);
  }
  return hours * 60 + minutes;
}

/** Working intervals of a working day as [from, to) offsets in ms after local midnight, in order. */
function workingIntervals(cfg: CalendarConfig): Array<[number, number]> {
  const start = parseClock(cfg.workdayStart, 'workdayStart');
  const end = parseClock(cfg.workdayEnd, 'workdayEnd');
  if (start >= end) throw new RangeError('workdayStart must be before workdayEnd');
  if (!cfg.lunchBreak) return [[start * MINUTE_MS, end * MINUTE_MS]];
  const lunchStart = parseClock(cfg.lunchBreak.start, 'lunchBreak.start');
  const lunchEnd = parseClock(cfg.lunchBreak.end, 'lunchBreak.end');
  if (!(start < lunchStart && lunchStart < lunchEnd && lunchEnd < end)) {
    throw new RangeError('the lunch break must lie strictly inside the working day');
  }
  return [
    [start * MINUTE_MS, lunchStart * MINUTE_MS],
    [lunchEnd * MINUTE_MS, end * MINUTE_MS],
  ];
}

const dayKeyAt = (midnightMs: number): string => beijingDay(new Date(midnightMs));

function checkDate(date: string): void {
  const ms = Date.parse(`${date}T00:00:00Z`);
  // Round-tripping rejects impossible dates such as 2025-02-30, which Date.parse would roll over.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new RangeError(`expected a date 'YYYY-MM-DD', got '${date}'`);
  }
}

export function isWorkingDay(date: string, cfg: CalendarConfig): boolean {
  checkDate(date);
  const override = cfg.overrides.get(date);
  if (override) return override === 'workday';
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

function checkAmount(amount: number, unit: DeadlineUnit): void {
  if (!Number.isFinite(amount) || amount < 0) throw new RangeError(`a deadline amount must be a finite number ≥ 0, got ${amount}`);
  if (unit === 'working_days' && !Number.isInteger(amount)) throw new RangeError('working days must be a whole number');
}

/** Adds `ms` of working time to `start`; lands exactly on an interval end rather than the next start. */
function addWorkingMs(start: Date, ms: number, cfg: CalendarConfig): Date {
  if (ms <= 0) return start;
  const intervals = workingIntervals(cfg);
  let remaining = ms;
  let cursor = start.getTime();
  let midnight = beijingMidnight(cursor);
  for (let i = 0; i < MAX_DAYS_SCANNED; i += 1, midnight += DAY_MS) {
    if (!isWorkingDay(dayKeyAt(midnight), cfg)) continue;
    for (const [from, to] of intervals) {
      const end = midnight + to;
      if (end <= cursor) continue;
      const begin = Math.max(midnight + from, cursor);
      if (remaining <= end - begin) return new Date(begin + remaining);
      remaining -= end - begin;
      cursor = end;
    }
  }
  throw new RangeError(`no working time found within ${MAX_DAYS_SCANNED} days`);
}

function addWorkingDays(start: Date, days: number, cfg: CalendarConfig): Date {
  const intervals = workingIntervals(cfg);
  const endOffset = intervals[intervals.length - 1]?.[1] ?? 0;
  let midnight = beijingMidnight(start.getTime());
  if (days === 0 && isWorkingDay(dayKeyAt(midnight), cfg) && start.getTime() < midnight + endOffset) {
    return new Date(midnight + endOffset);
  }
  let counted = 0;
  const target = Math.max(days, 1);
  for (let i = 0; i < MAX_DAYS_SCANNED; i += 1) {
    midnight += DAY_MS;
    if (isWorkingDay(dayKeyAt(midnight), cfg)) counted += 1;
    if (counted === target) return new Date(midnight + endOffset);
  }
  throw new RangeError(`no working day found within ${MAX_DAYS_SCANNED} days`);
}

export function addDeadline(start: Date, amount: number, unit: DeadlineUnit, cfg: CalendarConfig): Date {
  checkAmount(amount, unit);
  switch (unit) {
    case 'natural_hours':
      return new Date(start.getTime() + amount * HOUR_MS);
    case 'natural_days':
      return new Date(start.getTime() + amount * DAY_MS);
    case 'working_hours':
      return addWorkingMs(start, amount * HOUR_MS, cfg);
    case 'working_days':
      return addWorkingDays(start, amount, cfg);
  }
}

/** Milliseconds of working time in [a, b); 0 when b is not after a. */
export function workingTimeBetween(a: Date, b: Date, cfg: CalendarConfig): number {
  const from = a.getTime();
  const to = b.getTime();
  if (to <= from) return 0;
  const intervals = workingIntervals(cfg);
  let total = 0;
  for (let midnight = beijingMidnight(from); midnight < to; midnight += DAY_MS) {
    if (!isWorkingDay(dayKeyAt(midnight), cfg)) continue;
    for (const [start, end] of intervals) {
      const overlap = Math.min(to, midnight + end) - Math.max(from, midnight + start);
      if (overlap > 0) total += overlap;
    }
  }
  return total;
}

/**
 * Moves a due time later by the time that elapsed while a matter was suspended (挂起): wall time for
 * natural units, working time for working units, so a suspension over a weekend moves a working-day
 * deadline not at all and a natural-day deadline by the whole weekend. The shifted working time is
 * added in working time from the old due time, so it may land mid-day even for a working_days unit.
 */
export function shiftDeadline(due: Date, pausedFrom: Date, pausedTo: Date, unit: DeadlineUnit, cfg: CalendarConfig): Date {
  if (unit === 'natural_hours' || unit === 'natural_days') {
    return new Date(due.getTime() + Math.max(0, pausedTo.getTime() - pausedFrom.getTime()));
  }
  return addWorkingMs(due, workingTimeBetween(pausedFrom, pausedTo, cfg), cfg);
}
