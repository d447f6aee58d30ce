import { describe, expect, it } from 'vitest';
import { beijingWeekday as isoWeekday } from '../../src/core/beijing.ts';
import { nextRunAt, rotationIndex } from '../../src/modules/outbound/outbound.schedule.ts';

const bj = (local: string) => new Date(`${local}+08:00`);

describe('broadcast plan times, in Beijing time', () => {
  it('runs a daily plan at the next HH:MM, today if still ahead, else tomorrow', () => {
    const daily = { cadence: 'daily' as const, timeOfDay: '08:00', weekday: null };
    expect(nextRunAt(daily, bj('2026-11-23T07:59:00'))).toEqual(bj('2026-11-23T08:00:00'));
    expect(nextRunAt(daily, bj('2026-11-23T08:00:00'))).toEqual(bj('2026-11-24T08:00:00'));
    // 23:30 UTC on the 22nd is already 07:30 on the 23rd in Beijing.
    expect(nextRunAt(daily, new Date('2026-11-22T23:30:00Z'))).toEqual(bj('2026-11-23T08:00:00'));
    expect(nextRunAt({ ...daily, timeOfDay: '00:00' }, bj('2026-12-31T23:59:00'))).toEqual(bj('2027-01-01T00:00:00'));
  });

  it('runs a weekly plan on its weekday, 1 = Monday … 7 = Sunday', () => {
    // 2026-11-23 is a Monday.
    expect(isoWeekday(bj('2026-11-23T00:30:00'))).toBe(1);
    expect(isoWeekday(bj('2026-11-29T23:30:00'))).toBe(7);
    const wed = { cadence: 'weekly' as const, timeOfDay: '09:30', weekday: 3 };
    expect(nextRunAt(wed, bj('2026-11-23T10:00:00'))).toEqual(bj('2026-11-25T09:30:00'));
    expect(nextRunAt(wed, bj('2026-11-25T09:29:00'))).toEqual(bj('2026-11-25T09:30:00'));
    expect(nextRunAt(wed, bj('2026-11-25T09:30:00'))).toEqual(bj('2026-12-02T09:30:00'));
    expect(nextRunAt({ ...wed, weekday: 7 }, bj('2026-11-23T10:00:00'))).toEqual(bj('2026-11-29T09:30:00'));
    expect(() => nextRunAt({ ...wed, weekday: null }, new Date())).toThrow(RangeError);
    expect(() => nextRunAt({ ...wed, timeOfDay: '24:00' }, new Date())).toThrow(RangeError);
  });

  it('rotates theme content one item per period', () => {
    const mon = bj('2026-11-23T09:00:00');
    const a = rotationIndex('weekly', mon, 3);
    expect(rotationIndex('weekly', new Date(mon.getTime() + 7 * 86_400_000), 3)).toBe((a + 1) % 3);
    expect(rotationIndex('daily', new Date(mon.getTime() + 86_400_000), 2)).toBe((rotationIndex('daily', mon, 2) + 1) % 2);
  });
});
