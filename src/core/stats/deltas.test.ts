import { describe, expect, it } from 'vitest';
import { beijingDay } from '../beijing.ts';
import { assigneeSubject, countDeltas, type MatterFacts, metricDeltas, type RollupChange, zeroCounters } from './deltas.ts';

const base: MatterFacts = {
  status: 'handling', source: 'visit', categoryId: 7, level: 'grid', areaPath: '/1/2/',
  reportedAt: new Date('2026-03-01T02:00:00Z'), registeredAt: new Date('2026-03-01T03:00:00Z'),
  dueAt: new Date('2026-03-03T09:00:00Z'), closedAt: null, closedOnTime: null, satisfaction: null, assignees: ['post:5'],
};
const change = (before: MatterFacts | null, after: MatterFacts, action: RollupChange['action'], at = '2026-03-02T01:00:00Z'): RollupChange =>
  ({ before, after, action, at: new Date(at) });
/** The non-zero counters of each (subject, day) row, for compact assertions. */
const metrics = (c: RollupChange) =>
  Object.fromEntries(metricDeltas(c).map((r) => [`${r.subject}@${r.day}`, Object.fromEntries(Object.entries(r.counters).filter(([, v]) => v !== 0))]));

describe('rollup deltas', () => {
  it('buckets by the calendar day in Beijing, eight hours ahead of UTC', () => {
    expect(beijingDay(new Date('2026-03-01T15:59:59Z'))).toBe('2026-03-01');
    expect(beijingDay(new Date('2026-03-01T16:00:00Z'))).toBe('2026-03-02');
    expect(assigneeSubject('node', 17)).toBe('unit:17');
    expect(assigneeSubject('department', 3)).toBe('department:3');
  });

  it('counts a new matter once under every node on its path, at its reported day', () => {
    const created = { ...base, status: 'reported' as const, categoryId: null, dueAt: null, assignees: [] };
    expect(countDeltas(change(null, created, 'report'))).toEqual([
      { nodeId: 1, day: '2026-03-01', source: 'visit', categoryId: 0, level: 'grid', status: 'reported', n: 1 },
      { nodeId: 2, day: '2026-03-01', source: 'visit', categoryId: 0, level: 'grid', status: 'reported', n: 1 },
    ]);
    // No due time yet: only the (empty) event row would exist, so nothing is written.
    expect(metricDeltas(change(null, created, 'report'))).toEqual([]);
  });

  it('moves a count between keys on a status change and writes nothing when the key is unchanged', () => {
    const moved = countDeltas(change({ ...base, status: 'dispatched' }, base, 'accept'));
    expect(moved.map((r) => [r.nodeId, r.status, r.n])).toEqual([[1, 'dispatched', -1], [1, 'handling', 1], [2, 'dispatched', -1], [2, 'handling', 1]]);
    expect(countDeltas(change(base, { ...base, assignees: ['post:6'] }, 'reassign'))).toEqual([]);
    expect(metricDeltas(change(base, base, 'progress'))).toEqual([]);
  });

  it('moves the due day on an extension: −1 on the old day, +1 on the new one, and counts the extension', () => {
    const extended = { ...base, dueAt: new Date('2026-03-05T09:00:00Z') };
    expect(metrics(change(base, extended, 'extend'))).toEqual({
      'area:1@2026-03-02': { extended: 1 }, 'area:1@2026-03-03': { due: -1 }, 'area:1@2026-03-05': { due: 1 },
      'area:2@2026-03-02': { extended: 1 }, 'area:2@2026-03-03': { due: -1 }, 'area:2@2026-03-05': { due: 1 },
      'post:5@2026-03-02': { extended: 1 }, 'post:5@2026-03-03': { due: -1 }, 'post:5@2026-03-05': { due: 1 },
    });
  });

  it('counts a close with its handling time, and takes "closed" back on reopening', () => {
    const feedback = { ...base, status: 'feedback' as const };
    const closed = { ...base, status: 'closed' as const, closedAt: new Date('2026-03-02T03:00:00Z'), closedOnTime: true, satisfaction: 'satisfied' as const, assignees: [] };
    const c = change({ ...feedback, assignees: [] }, closed, 'rate_ok', '2026-03-02T03:00:00Z');
    // Handling time: registered 03:00 on the 1st → closed 03:00 on the 2nd = 86,400 s.
    expect(metrics(c)['area:2@2026-03-02']).toEqual({ rated: 1, satisfied: 1, closes: 1, handling_seconds: 86_400 });
    expect(metrics(c)['area:2@2026-03-03']).toEqual({ closed: 1, closed_on_time: 1 });
    const reopened = { ...closed, status: 'handling' as const, closedAt: null, closedOnTime: null };
    expect(metrics(change(closed, reopened, 'reopen', '2026-03-04T01:00:00Z'))).toEqual({
      'area:1@2026-03-03': { closed: -1, closed_on_time: -1 }, 'area:1@2026-03-04': { reworked: 1 },
      'area:2@2026-03-03': { closed: -1, closed_on_time: -1 }, 'area:2@2026-03-04': { reworked: 1 },
    });
  });

  it('moves the due contribution from the old handler to the new one on reassignment', () => {
    expect(metrics(change(base, { ...base, assignees: ['post:6'] }, 'reassign'))).toEqual({
      'post:5@2026-03-03': { due: -1 }, 'post:6@2026-03-03': { due: 1 },
    });
  });

  it('counts a dissatisfied rating as rated, dissatisfied and rework, and handling as handled', () => {
    const feedback = { ...base, status: 'feedback' as const };
    const bad = { ...base, satisfaction: 'dissatisfied' as const };
    expect(metrics(change(feedback, bad, 'rate_bad'))['post:5@2026-03-02']).toEqual({ rated: 1, dissatisfied: 1, reworked: 1 });
    expect(metrics(change(base, { ...base, status: 'handled' }, 'handle'))['post:5@2026-03-02']).toEqual({ handled: 1 });
    expect(metrics(change(base, { ...base, level: 'community' }, 'escalate'))['area:1@2026-03-02']).toEqual({ escalated: 1 });
  });

  it('returns full counter rows with zeros, ready for one batched upsert', () => {
    const [row] = metricDeltas(change(base, { ...base, status: 'suspended' }, 'suspend'));
    expect(row).toEqual({ subject: 'area:1', day: '2026-03-02', counters: { ...zeroCounters(), suspended: 1 } });
  });
});
