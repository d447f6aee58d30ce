import type { MatterAction } from '../matters/workflow.ts';
import type { MatterLevel, MatterSource, MatterStatus } from '../vocabulary.ts';
import { beijingDay } from '../beijing.ts';

/**
 * Rollup deltas: how one change to a matter moves the statistics tables. Pure, so that the same rules
 * serve the live service, a rebuild and the unit tests. Every change is "take away what the matter
 * contributed before, add what it contributes now", which keeps the rollups exact under extensions,
 * reassignments, reopenings and escalations without remembering anything but the two snapshots.
 */

export type Satisfaction = 'satisfied' | 'basically' | 'dissatisfied';

export interface MatterFacts {
  status: MatterStatus; source: MatterSource; categoryId: number | null; level: MatterLevel;
  /** Materialised path of the matter's location node, e.g. '/1/4/17/' — every id on it is a subject 'area:<id>'. */
  areaPath: string;
  reportedAt: Date; registeredAt: Date | null; dueAt: Date | null; closedAt: Date | null; closedOnTime: boolean | null;
  satisfaction: Satisfaction | null;
  /** Subjects of active (pending/accepted/done) assignments: 'post:5', 'department:3', 'board:2', 'unit:17'. */
  assignees: string[];
}

export interface RollupChange {
  /** null when the matter is created. */
  before: MatterFacts | null;
  after: MatterFacts;
  action: MatterAction | 'report';
  at: Date;
}

export const METRIC_COUNTERS = ['due', 'closed', 'closed_on_time', 'handled', 'reworked', 'rated', 'satisfied', 'basically', 'dissatisfied',
  'closes', 'handling_seconds', 'suspended', 'extended', 'escalated'] as const;
export type MetricCounter = (typeof METRIC_COUNTERS)[number];
export type Counters = Record<MetricCounter, number>;

export interface CountDelta { nodeId: number; day: string; source: MatterSource; categoryId: number; level: MatterLevel; status: MatterStatus; n: number }
export interface MetricDelta { subject: string; day: string; counters: Counters }

/** Node ids on a materialised path, root first. */
export const pathIds = (path: string): number[] => path.split('/').filter(Boolean).map(Number);

export const areaSubject = (nodeId: number) => `area:${nodeId}`;

/** The subject an assignment counts under; a tree node acting as handler is a 'unit'. */
export function assigneeSubject(targetKind: 'post' | 'department' | 'board' | 'node', targetId: number): string {
  return `${targetKind === 'node' ? 'unit' : targetKind}:${targetId}`;
}

/** Every subject a matter's figures roll up to: each area on its path, then its handlers (no duplicates). */
export const subjectsOf = (facts: MatterFacts): string[] => [...new Set([...pathIds(facts.areaPath).map(areaSubject), ...facts.assignees])];

export const zeroCounters = (): Counters => ({
  due: 0, closed: 0, closed_on_time: 0, handled: 0, reworked: 0, rated: 0, satisfied: 0, basically: 0, dissatisfied: 0,
  closes: 0, handling_seconds: 0, suspended: 0, extended: 0, escalated: 0,
});

/** matter_counts: −1 under the old key, +1 under the new one, for every node on each path; equal keys cancel. */
export function countDeltas(change: RollupChange): CountDelta[] {
  const byKey = new Map<string, CountDelta>();
  const add = (facts: MatterFacts, n: number) => {
    for (const nodeId of pathIds(facts.areaPath)) {
      const row: CountDelta = { nodeId, day: beijingDay(facts.reportedAt), source: facts.source, categoryId: facts.categoryId ?? 0, level: facts.level, status: facts.status, n: 0 };
      const key = JSON.stringify([row.nodeId, row.day, row.source, row.categoryId, row.level, row.status]);
      const existing = byKey.get(key) ?? row;
      existing.n += n;
      byKey.set(key, existing);
    }
  };
  if (change.before) add(change.before, -1);
  add(change.after, 1);
  return [...byKey.values()].filter((r) => r.n !== 0).sort(compareCounts);
}

/** What a matter in this state contributes to its due day: due, closed, closed on time. */
function stateContribution(facts: MatterFacts): Partial<Counters> | null {
  if (!facts.dueAt) return null;
  const closed = facts.status === 'closed';
  return { due: 1, closed: closed ? 1 : 0, closed_on_time: closed && facts.closedOnTime === true ? 1 : 0 };
}

const REWORK: ReadonlySet<RollupChange['action']> = new Set(['rate_bad', 'verify_fail', 'reopen']);
const COUNTED: Partial<Record<RollupChange['action'], MetricCounter>> = { handle: 'handled', suspend: 'suspended', extend: 'extended', escalate: 'escalated' };

/** The events of this change, all on the day of `at`. */
export function eventContribution(change: RollupChange): Partial<Counters> {
  const { action, after, before } = change;
  const out: Partial<Counters> = {};
  const counter = COUNTED[action];
  if (counter) out[counter] = 1;
  if (REWORK.has(action)) out.reworked = 1;
  if ((action === 'rate_ok' || action === 'rate_bad') && after.satisfaction) {
    out.rated = 1;
    out[after.satisfaction] = 1;
  }
  if (after.status === 'closed' && before?.status !== 'closed') {
    const closedAt = after.closedAt ?? change.at;
    const started = after.registeredAt ?? after.reportedAt;
    out.closes = 1;
    out.handling_seconds = Math.max(0, Math.round((closedAt.getTime() - started.getTime()) / 1000));
  }
  return out;
}

/** matter_metrics: state counters moved between (subject, due day) buckets, plus this change's events. */
export function metricDeltas(change: RollupChange): MetricDelta[] {
  const byKey = new Map<string, MetricDelta>();
  const add = (subjects: string[], day: string, contribution: Partial<Counters>, sign: 1 | -1) => {
    for (const subject of subjects) {
      const key = `${subject}\u0000${day}`;
      const row = byKey.get(key) ?? { subject, day, counters: zeroCounters() };
      for (const name of METRIC_COUNTERS) row.counters[name] += sign * (contribution[name] ?? 0);
      byKey.set(key, row);
    }
  };
  const { before, after } = change;
  const removed = before ? stateContribution(before) : null;
  if (before?.dueAt && removed) add(subjectsOf(before), beijingDay(before.dueAt), removed, -1);
  const added = stateContribution(after);
  if (after.dueAt && added) add(subjectsOf(after), beijingDay(after.dueAt), added, 1);
  add(subjectsOf(after), beijingDay(change.at), eventContribution(change), 1);
  return [...byKey.values()].filter((r) => METRIC_COUNTERS.some((c) => r.counters[c] !== 0)).sort(compareMetrics);
}

// A fixed order of rows keeps concurrent transactions locking shared rows in the same order (no deadlocks).
function compareCounts(a: CountDelta, b: CountDelta): number {
  return a.nodeId - b.nodeId || cmp(a.day, b.day) || cmp(a.source, b.source) || a.categoryId - b.categoryId || cmp(a.level, b.level) || cmp(a.status, b.status);
}
const compareMetrics = (a: MetricDelta, b: MetricDelta) => cmp(a.subject, b.subject) || cmp(a.day, b.day);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
