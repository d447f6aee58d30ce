import { describe, expect, it } from 'vitest';
import { averageHandlingHours, closureRate, dueCap, emptyTotals, rangeProblem, reworkRate, satisfactionRate } from './formulas.ts';

describe('statistics formulas', () => {
  it('gives null, not 0, when a denominator is zero', () => {
    const t = emptyTotals();
    expect([closureRate(t), satisfactionRate(t), reworkRate(t), averageHandlingHours(t)]).toEqual([null, null, null, null]);
    expect(closureRate({ ...t, due: 4, closed: 3 })).toBe(0.75);
    expect(satisfactionRate({ ...t, rated: 4, satisfied: 2, basically: 1, dissatisfied: 1 })).toBe(0.75);
    expect(averageHandlingHours({ ...t, closes: 2, handlingSeconds: 3 * 3600 })).toBe(1.5);
  });

  it('refuses ranges that are not real dates, reversed, or longer than three years', () => {
    expect(rangeProblem('2026-01-01', '2026-01-01')).toBeNull();
    expect(rangeProblem('2024-01-01', '2026-12-31')).toBeNull();
    expect(rangeProblem('2024-01-01', '2027-01-01')).toMatch(/3 years/);
    expect(rangeProblem('2026-02-01', '2026-01-31')).toMatch(/after/);
    expect(rangeProblem('2026-02-30', '2026-03-01')).toMatch(/YYYY-MM-DD/);
    expect(rangeProblem('2024-02-29', '2024-03-01')).toBeNull();
  });

  it('counts due days only up to today in Beijing', () => {
    expect(dueCap('2026-12-31', new Date('2026-03-01T16:30:00Z'))).toBe('2026-03-02');
    expect(dueCap('2026-02-01', new Date('2026-03-01T16:30:00Z'))).toBe('2026-02-01');
  });
});
