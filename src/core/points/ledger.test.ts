import { describe, expect, it } from 'vitest';
import { bodyHash, expiringAt, grantable } from './ledger.ts';

describe('the points ledger rules', () => {
  it('fingerprints a body whatever the order of its keys, and tells different bodies apart', () => {
    expect(bodyHash({ a: 1, b: [1, { c: 2, d: null }] })).toBe(bodyHash({ b: [1, { d: null, c: 2 }], a: 1 }));
    expect(bodyHash({ a: 1 })).not.toBe(bodyHash({ a: 2 }));
    expect(bodyHash({ until: new Date('2026-12-03T10:00:00Z') })).not.toBe(bodyHash({ until: new Date('2026-12-03T10:05:00Z') }));
    expect(bodyHash({ a: 1, b: undefined })).toBe(bodyHash({ a: 1 }));
  });

  it('grants up to the caps left today and this month, nothing when off or full', () => {
    const terms = { rule: 'daily_checkin' as const, points: 5, dailyCap: 5, monthlyCap: 100, active: true };
    expect(grantable(terms, { today: 0, month: 0 })).toBe(5);
    expect(grantable(terms, { today: 5, month: 5 })).toBe(0);
    expect(grantable(terms, { today: 0, month: 98 })).toBe(2);
    expect(grantable({ ...terms, dailyCap: 0, monthlyCap: 0 }, { today: 500, month: 500 })).toBe(5);
    expect(grantable({ ...terms, active: false }, { today: 0, month: 0 })).toBe(0);
    expect(grantable({ ...terms, dailyCap: 20 }, { today: 12, month: 12 }, 10)).toBe(8);
  });

  it('expires what is left of the lots earned before the cutoff, spending the oldest first', () => {
    const d = (day: number) => new Date(Date.UTC(2026, 0, day));
    // 10 on the 1st, 20 on the 5th, 15 spent on the 10th (10 of the first lot, 5 of the second), 7 on the 20th.
    const moves = [{ at: d(1), delta: 10 }, { at: d(5), delta: 20 }, { at: d(10), delta: -15 }, { at: d(20), delta: 7 }];
    expect(expiringAt(moves, d(3))).toBe(0);
    expect(expiringAt(moves, d(15))).toBe(15);
    expect(expiringAt(moves, d(31))).toBe(22);
    expect(expiringAt([], d(31))).toBe(0);
  });
});
