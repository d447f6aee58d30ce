import { describe, expect, it } from 'vitest';
import { beijingDay as beijingDate } from '../beijing.ts';
import { addDeadline, defaultCalendarConfig, isWorkingDay, shiftDeadline, workingTimeBetween } from './calendar.ts';
import { CHINA_CALENDAR_DAYS, chinaCalendarOverrides } from './china-holidays.ts';

const cfg = defaultCalendarConfig(chinaCalendarOverrides());
const withLunch = { ...cfg, lunchBreak: { start: '12:00', end: '13:30' } };
const bj = (local: string) => new Date(`${local}+08:00`);
const HOUR = 3_600_000;

describe('working days', () => {
  it('follows the weekday rule with holiday and 调休 overrides', () => {
    expect(isWorkingDay('2024-03-11', cfg)).toBe(true); // an ordinary Monday
    expect(isWorkingDay('2024-03-09', cfg)).toBe(false); // an ordinary Saturday
    expect(isWorkingDay('2024-10-01', cfg)).toBe(false); // 国庆节, a Tuesday
    expect(isWorkingDay('2024-09-29', cfg)).toBe(true); // a worked Sunday (调休)
    expect(isWorkingDay('2024-09-28', cfg)).toBe(false); // the Saturday before it is not worked
    expect(isWorkingDay('2026-02-28', cfg)).toBe(true);
    expect(isWorkingDay('2024-10-01', defaultCalendarConfig())).toBe(true); // no overrides: plain Tuesday
  });

  it('rejects malformed and impossible dates', () => {
    expect(() => isWorkingDay('2025-02-30', cfg)).toThrow(RangeError);
    expect(() => isWorkingDay('2025-2-3', cfg)).toThrow(RangeError);
  });

  it('is due at the end of the N-th working day after the start day, across National Day', () => {
    // Mon 30 Sep 2024: 1–7 Oct off, so the two working days are Tue 8 and Wed 9 Oct.
    const due = addDeadline(bj('2024-09-30T10:00:00'), 2, 'working_days', cfg);
    expect(due.toISOString()).toBe(bj('2024-10-09T17:30:00').toISOString());
    expect(beijingDate(due)).toBe('2024-10-09');
  });

  it('counts a 调休 Sunday as a working day', () => {
    // Fri 27 Sep: Sat 28 is off, Sun 29 is worked.
    expect(addDeadline(bj('2024-09-27T10:00:00'), 1, 'working_days', cfg)).toEqual(bj('2024-09-29T17:30:00'));
  });

  it('treats a report at 20:00 on Friday like any Friday report', () => {
    expect(addDeadline(bj('2024-03-08T20:00:00'), 1, 'working_days', cfg)).toEqual(bj('2024-03-11T17:30:00'));
    expect(addDeadline(bj('2024-03-08T10:00:00'), 1, 'working_days', cfg)).toEqual(bj('2024-03-11T17:30:00'));
    // A report just after midnight UTC is still the same Beijing day (08:30 local).
    expect(addDeadline(new Date('2024-03-08T00:30:00Z'), 1, 'working_days', cfg)).toEqual(bj('2024-03-11T17:30:00'));
  });

  it('skips Spring Festival 2025 and counts its 调休 Saturday', () => {
    // Mon 27 Jan: 28 Jan–4 Feb off, Wed 5 Feb is the 1st working day … Sat 8 Feb (worked) the 4th.
    expect(addDeadline(bj('2025-01-27T09:00:00'), 4, 'working_days', cfg)).toEqual(bj('2025-02-08T17:30:00'));
  });

  it('reads 0 working days as the end of today, or of the next working day once today is over', () => {
    expect(addDeadline(bj('2024-03-11T10:00:00'), 0, 'working_days', cfg)).toEqual(bj('2024-03-11T17:30:00'));
    expect(addDeadline(bj('2024-03-11T18:00:00'), 0, 'working_days', cfg)).toEqual(bj('2024-03-12T17:30:00'));
    expect(addDeadline(bj('2024-03-09T10:00:00'), 0, 'working_days', cfg)).toEqual(bj('2024-03-11T17:30:00'));
  });
});

describe('working hours', () => {
  it('carries over the night and the weekend', () => {
    // Fri 16:00 + 3 h: 1.5 h on Friday, 1.5 h from Monday 09:00.
    expect(addDeadline(bj('2024-03-08T16:00:00'), 3, 'working_hours', cfg)).toEqual(bj('2024-03-11T10:30:00'));
    // Tue 16:00 + 2 h: 1.5 h on Tuesday, 0.5 h on Wednesday morning.
    expect(addDeadline(bj('2024-03-12T16:00:00'), 2, 'working_hours', cfg)).toEqual(bj('2024-03-13T09:30:00'));
  });

  it('starts counting at the next working-hours start for reports outside hours', () => {
    expect(addDeadline(bj('2024-03-12T07:00:00'), 2, 'working_hours', cfg)).toEqual(bj('2024-03-12T11:00:00'));
    expect(addDeadline(bj('2024-03-12T20:00:00'), 1, 'working_hours', cfg)).toEqual(bj('2024-03-13T10:00:00'));
    expect(addDeadline(bj('2024-03-09T10:00:00'), 1, 'working_hours', cfg)).toEqual(bj('2024-03-11T10:00:00'));
    expect(addDeadline(bj('2024-09-30T17:00:00'), 1, 'working_hours', cfg)).toEqual(bj('2024-10-08T09:30:00'));
  });

  it('ends exactly at the close of day rather than at the next morning', () => {
    expect(addDeadline(bj('2024-03-11T09:00:00'), 8.5, 'working_hours', cfg)).toEqual(bj('2024-03-11T17:30:00'));
  });

  it('skips the lunch break when one is configured', () => {
    expect(addDeadline(bj('2024-03-11T11:00:00'), 3, 'working_hours', withLunch)).toEqual(bj('2024-03-11T15:30:00'));
    expect(addDeadline(bj('2024-03-11T12:30:00'), 1, 'working_hours', withLunch)).toEqual(bj('2024-03-11T14:30:00'));
  });

  it('rejects broken configurations and amounts', () => {
    expect(() => addDeadline(bj('2024-03-11T11:00:00'), 1, 'working_hours', { ...cfg, workdayEnd: '08:00' })).toThrow(RangeError);
    expect(() => addDeadline(bj('2024-03-11T11:00:00'), 1, 'working_hours', { ...cfg, workdayStart: '9:00' })).toThrow(RangeError);
    expect(() => addDeadline(bj('2024-03-11T11:00:00'), 1, 'working_hours', { ...cfg, lunchBreak: { start: '08:00', end: '09:30' } })).toThrow(
      RangeError,
    );
    expect(() => addDeadline(bj('2024-03-11T11:00:00'), -1, 'natural_hours', cfg)).toThrow(RangeError);
    expect(() => addDeadline(bj('2024-03-11T11:00:00'), 1.5, 'working_days', cfg)).toThrow(RangeError);
  });
});

describe('natural time', () => {
  it('adds wall time through holidays and nights', () => {
    expect(addDeadline(bj('2024-09-30T10:00:00'), 2, 'natural_days', cfg)).toEqual(bj('2024-10-02T10:00:00'));
    expect(addDeadline(bj('2024-09-30T23:00:00'), 2, 'natural_hours', cfg)).toEqual(bj('2024-10-01T01:00:00'));
  });
});

describe('stopping the clock', () => {
  it('measures working time between two instants', () => {
    expect(workingTimeBetween(bj('2024-03-08T16:00:00'), bj('2024-03-11T10:00:00'), cfg)).toBe(2.5 * HOUR);
    expect(workingTimeBetween(bj('2024-03-11T10:00:00'), bj('2024-03-08T16:00:00'), cfg)).toBe(0);
    expect(workingTimeBetween(bj('2024-09-30T00:00:00'), bj('2024-10-09T00:00:00'), cfg)).toBe(2 * 8.5 * HOUR);
    expect(workingTimeBetween(bj('2024-03-11T11:00:00'), bj('2024-03-11T14:00:00'), withLunch)).toBe(1.5 * HOUR);
  });

  it('does not move a working-day deadline for a suspension over a weekend', () => {
    const due = bj('2024-03-12T17:30:00');
    expect(shiftDeadline(due, bj('2024-03-09T09:00:00'), bj('2024-03-10T18:00:00'), 'working_days', cfg)).toEqual(due);
    // The same weekend moves a natural-day deadline by its full 33 hours.
    expect(shiftDeadline(due, bj('2024-03-09T09:00:00'), bj('2024-03-10T18:00:00'), 'natural_days', cfg)).toEqual(
      new Date(due.getTime() + 33 * HOUR),
    );
  });

  it('moves a deadline by the working time paused across a weekend', () => {
    // Paused Fri 15:00 → Mon 10:00 = 2.5 h + 1 h of working time; Mon 17:30 + 3.5 h → Tue 12:30.
    const shifted = shiftDeadline(bj('2024-03-11T17:30:00'), bj('2024-03-08T15:00:00'), bj('2024-03-11T10:00:00'), 'working_days', cfg);
    expect(shifted).toEqual(bj('2024-03-12T12:30:00'));
    const byHours = shiftDeadline(bj('2024-03-11T11:00:00'), bj('2024-03-08T15:00:00'), bj('2024-03-11T10:00:00'), 'working_hours', cfg);
    expect(byHours).toEqual(bj('2024-03-11T14:30:00'));
  });

  it('leaves the deadline alone for an empty or inverted pause', () => {
    const due = bj('2024-03-11T17:30:00');
    expect(shiftDeadline(due, bj('2024-03-11T10:00:00'), bj('2024-03-11T10:00:00'), 'working_days', cfg)).toEqual(due);
    expect(shiftDeadline(due, bj('2024-03-11T12:00:00'), bj('2024-03-11T10:00:00'), 'natural_hours', cfg)).toEqual(due);
  });
});

describe('China holiday schedule', () => {
  it('lists only weekend days as 调休 workdays and holds each year in full', () => {
    const workdays = CHINA_CALENDAR_DAYS.filter((d) => d.kind === 'workday');
    for (const d of workdays) expect([0, 6]).toContain(new Date(`${d.date}T00:00:00Z`).getUTCDay());
    expect(workdays.map((d) => d.date.slice(0, 4))).toEqual(['2024', '2024', '2024', '2024', '2024', '2024', '2024', '2024', '2025', '2025', '2025', '2025', '2025', '2026', '2026', '2026', '2026', '2026', '2026']);
    const holidays = (year: string) => CHINA_CALENDAR_DAYS.filter((d) => d.kind === 'holiday' && d.date.startsWith(year)).length;
    expect([holidays('2024'), holidays('2025'), holidays('2026')]).toEqual([30, 28, 33]);
    expect(new Set(CHINA_CALENDAR_DAYS.map((d) => d.date)).size).toBe(CHINA_CALENDAR_DAYS.length);
  });

  it('names the days in Chinese', () => {
    expect(CHINA_CALENDAR_DAYS.find((d) => d.date === '2025-10-06')?.name).toBe('国庆节、中秋节');
    expect(CHINA_CALENDAR_DAYS.find((d) => d.date === '2024-09-29')?.name).toBe('国庆节调休上班');
    expect(chinaCalendarOverrides().get('2026-02-23')).toBe('holiday');
  });
});
