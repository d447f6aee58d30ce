import { describe, expect, it } from 'vitest';
import { addDeadline, defaultCalendarConfig } from '../calendar/calendar.ts';
import { CATEGORY_SEED, type CategorySeed, categoryByCode, categoryProblems } from './catalogue.ts';

const sample: CategorySeed = {
  code: 'S99001', catalogue: 'social', major: '测试', name: '测试类别', defaultLevel: 'grid', scope: 'household', complexity: 'simple',
  leadBoard: 'livelihood', leadPost: null, leadJointDuty: null, assistJointDuty: [], deadline: { amount: 1, unit: 'working_days' }, urgent: false,
  keywords: ['甲乙', '丙丁', '戊己', '庚辛'],
};

describe('category seed', () => {
  it('has no problems and enough types in both catalogues', () => {
    expect(categoryProblems(CATEGORY_SEED)).toEqual([]);
    const city = CATEGORY_SEED.filter((c) => c.catalogue === 'city');
    const social = CATEGORY_SEED.filter((c) => c.catalogue === 'social');
    expect(CATEGORY_SEED.length).toBeGreaterThanOrEqual(60);
    expect(city.length).toBeGreaterThanOrEqual(30);
    expect(social.length).toBeGreaterThanOrEqual(30);
  });

  it('keeps the two codes fixed by the brief', () => {
    expect(categoryByCode(CATEGORY_SEED, '06010')?.name).toBe('暴露垃圾');
    expect(categoryByCode(CATEGORY_SEED, '09009')?.name).toBe('机动车乱停放');
    expect(categoryByCode(CATEGORY_SEED, '06010')?.major).toBe('市容环境');
  });

  it('keeps each major class under one 2-digit code prefix', () => {
    const prefixes = new Map<string, Set<string>>();
    for (const c of CATEGORY_SEED) {
      const key = `${c.catalogue}:${c.major}`;
      const set = prefixes.get(key) ?? new Set<string>();
      set.add(c.catalogue === 'city' ? c.code.slice(0, 2) : c.code.slice(0, 3));
      prefixes.set(key, set);
    }
    for (const [major, set] of prefixes) expect([major, set.size]).toEqual([major, 1]);
  });

  it('carries the story defaults: a tap in a day at the grid, fraud in two hours with police and market supervision', () => {
    const tap = categoryByCode(CATEGORY_SEED, 'S03002');
    expect(tap).toMatchObject({ defaultLevel: 'grid', scope: 'household', complexity: 'simple', deadline: { amount: 1, unit: 'working_days' } });
    const fraud = categoryByCode(CATEGORY_SEED, 'S04001');
    expect(fraud).toMatchObject({ urgent: true, leadJointDuty: 'police_station', assistJointDuty: ['market_supervision'], deadline: { amount: 2, unit: 'natural_hours' } });
    expect(categoryByCode(CATEGORY_SEED, 'S03003')?.deadline).toEqual({ amount: 15, unit: 'working_days' });
    expect(categoryByCode(CATEGORY_SEED, 'S05001')?.leadJointDuty).toBe('market_supervision');
  });

  it('gives every type a deadline the calendar can compute', () => {
    const cfg = defaultCalendarConfig();
    const start = new Date('2024-03-11T10:00:00+08:00');
    for (const c of CATEGORY_SEED) expect(addDeadline(start, c.deadline.amount, c.deadline.unit, cfg).getTime()).toBeGreaterThan(start.getTime());
  });

  it('reports malformed, duplicate and thin entries', () => {
    expect(categoryProblems([sample])).toEqual([]);
    const problems = categoryProblems([
      sample,
      { ...sample, keywords: ['甲', '丙丁', '戊己', '庚辛'] },
      { ...sample, code: '6010', catalogue: 'city', keywords: ['甲乙'] },
      { ...sample, code: 'S99002', leadBoard: null, deadline: { amount: 1.5, unit: 'working_days' } },
    ]);
    expect(problems).toEqual([
      'S99001: duplicate code',
      "S99001: keyword '甲' is too short",
      '6010: malformed code for catalogue city',
      '6010: needs 4–12 keywords, has 1',
      'S99002: working days must be whole',
      'S99002: needs a lead board or joint-duty post',
    ]);
  });
});
