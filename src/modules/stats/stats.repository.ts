import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { CountDelta, MetricCounter, MetricDelta } from '../../core/stats/deltas.ts';
import { emptyTotals, type MetricTotals } from '../../core/stats/formulas.ts';
import type { DB } from '../../db/schema.ts';
import { overdueAt } from '../matters/matters.repository.ts';

/** Adds count deltas to matter_counts: one statement, summing into existing rows. */
export async function addCounts(db: Kysely<DB>, counts: CountDelta[]): Promise<void> {
  if (counts.length === 0) return;
  await db.insertInto('matter_counts')
    .values(counts.map((r) => ({ node_id: r.nodeId, day: r.day, source: r.source, category_id: r.categoryId, level: r.level, status: r.status, n: r.n })))
    .onConflict((oc) => oc.columns(['node_id', 'day', 'source', 'category_id', 'level', 'status'])
      .doUpdateSet((eb) => ({ n: eb('matter_counts.n', '+', eb.ref('excluded.n')) })))
    .execute();
}

/** Adds metric deltas to matter_metrics: one statement, summing every counter into existing rows. */
export async function addMetrics(db: Kysely<DB>, metrics: MetricDelta[]): Promise<void> {
  if (metrics.length === 0) return;
  await db.insertInto('matter_metrics')
    .values(metrics.map((r) => ({ subject: r.subject, day: r.day, ...r.counters })))
    .onConflict((oc) => oc.columns(['subject', 'day']).doUpdateSet((eb) => {
      const plus = (c: MetricCounter) => eb(`matter_metrics.${c}`, '+', eb.ref(`excluded.${c}`));
      return {
        due: plus('due'), closed: plus('closed'), closed_on_time: plus('closed_on_time'), handled: plus('handled'), reworked: plus('reworked'),
        rated: plus('rated'), satisfied: plus('satisfied'), basically: plus('basically'), dissatisfied: plus('dissatisfied'), closes: plus('closes'),
        handling_seconds: plus('handling_seconds'), suspended: plus('suspended'), extended: plus('extended'), escalated: plus('escalated'),
      };
    }))
    .execute();
}


export const nodesByIds = (db: Kysely<DB>, ids: number[]) => db.selectFrom('nodes').select(['id', 'level', 'path']).where('id', 'in', ids).execute();

export const childNodes = (db: Kysely<DB>, parentId: number) =>
  db.selectFrom('nodes').select(['id', 'parent_id', 'level', 'code', 'name', 'path']).where('parent_id', '=', parentId).orderBy('code').execute();

export interface CountRow { node_id: number; source: string; category_id: number; level: string; status: string; n: number }

/** Matters reported in [from, to] under each node, by current source, category, level and status. */
export function reportedCounts(db: Kysely<DB>, nodeIds: number[], from: string, to: string): Promise<CountRow[]> {
  if (nodeIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('matter_counts')
    .select(['node_id', 'source', 'category_id', 'level', 'status', sql<number>`sum(n)::bigint`.as('n')])
    .where('node_id', 'in', nodeIds).where('day', '>=', from).where('day', '<=', to)
    .groupBy(['node_id', 'source', 'category_id', 'level', 'status'])
    .having(sql<number>`sum(n)`, '<>', 0)
    .execute();
}

export const categories = (db: Kysely<DB>, ids: number[]) =>
  ids.length === 0 ? Promise.resolve([]) : db.selectFrom('categories').select(['id', 'code', 'name']).where('id', 'in', ids).execute();

const sumOf = (c: MetricCounter): RawBuilder<number> => sql<number>`coalesce(sum(${sql.ref(c)}), 0)::bigint`;
/** Due-day counters only count up to `cap`: a matter due tomorrow has not yet had its chance to close. */
const sumDueOf = (c: MetricCounter, cap: string): RawBuilder<number> => sql<number>`coalesce(sum(case when day <= ${cap} then ${sql.ref(c)} else 0 end), 0)::bigint`;

/** Per subject, the counters of matter_metrics summed over [from, to] (due counters over [from, cap]). */
export async function metricTotals(db: Kysely<DB>, subjects: string[], from: string, to: string, cap: string): Promise<Map<string, MetricTotals>> {
  const out = new Map<string, MetricTotals>(subjects.map((s) => [s, emptyTotals()]));
  if (subjects.length === 0) return out;
  const rows = await db.selectFrom('matter_metrics')
    .select([
      'subject',
      sumDueOf('due', cap).as('due'), sumDueOf('closed', cap).as('closed'), sumDueOf('closed_on_time', cap).as('closed_on_time'),
      sumOf('handled').as('handled'), sumOf('reworked').as('reworked'), sumOf('rated').as('rated'), sumOf('satisfied').as('satisfied'),
      sumOf('basically').as('basically'), sumOf('dissatisfied').as('dissatisfied'), sumOf('closes').as('closes'),
      sumOf('handling_seconds').as('handling_seconds'), sumOf('suspended').as('suspended'), sumOf('extended').as('extended'), sumOf('escalated').as('escalated'),
    ])
    .where('subject', 'in', subjects).where('day', '>=', from).where('day', '<=', to)
    .groupBy('subject')
    .execute();
  for (const r of rows) {
    out.set(r.subject, {
      due: r.due, closed: r.closed, closedOnTime: r.closed_on_time, handled: r.handled, reworked: r.reworked, rated: r.rated,
      satisfied: r.satisfied, basically: r.basically, dissatisfied: r.dissatisfied, closes: r.closes, handlingSeconds: r.handling_seconds,
      suspended: r.suspended, extended: r.extended, escalated: r.escalated,
    });
  }
  return out;
}

/**
 * Matters overdue now (isOverdue: on the clock, past due or marked overdue) located under `path`, counted per
 * child of that node when `byChild` (the path segment after the prefix), else as one total under key 0.
 * Served by the partial index matters_open_due_idx (on-the-clock statuses are a literal subset of its predicate).
 */
export async function overdueUnder(db: Kysely<DB>, path: string, now: Date, byChild: boolean): Promise<Map<number, number>> {
  const key = byChild ? sql<number>`nullif(split_part(substr(area_path, ${path.length + 1}), '/', 1), '')::int` : sql<number>`0`;
  const rows = await db.selectFrom('matters')
    .select([key.as('k'), sql<number>`count(*)::int`.as('n')])
    .where('area_path', 'like', `${path}%`)
    .where(overdueAt(null, now))
    .groupBy(sql`1`)
    .execute();
  return new Map(rows.filter((r) => r.k !== null).map((r) => [r.k, r.n]));
}

/**
 * Running overdue matters per handler whose part is still open (assignment pending or accepted): once a
 * handler has done its part, the lateness is no longer in its hands.
 */
export async function overdueByHandler(db: Kysely<DB>, kind: 'post' | 'department' | 'board', ids: number[], now: Date): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('matter_assignments as a')
    .innerJoin('matters as m', 'm.id', 'a.matter_id')
    .select(['a.target_id', sql<number>`count(distinct m.id)::int`.as('n')])
    .where('a.target_kind', '=', kind).where('a.target_id', 'in', ids).where('a.status', 'in', ['pending', 'accepted'])
    .where(overdueAt('m', now))
    .groupBy('a.target_id')
    .execute();
  return new Map(rows.map((r) => [r.target_id, r.n]));
}

export const departmentsOn = (db: Kysely<DB>, nodeIds: number[]) =>
  nodeIds.length === 0 ? Promise.resolve([]) : db.selectFrom('departments').select(['id', 'name', 'node_id']).where('node_id', 'in', nodeIds).orderBy('id').execute();
export const boardsOn = (db: Kysely<DB>, nodeId: number) => db.selectFrom('boards').select(['id', 'name', 'node_id']).where('node_id', '=', nodeId).orderBy('id').execute();
export const postsOf = (db: Kysely<DB>, boardIds: number[]) =>
  boardIds.length === 0 ? Promise.resolve([]) : db.selectFrom('posts').select(['id', 'name', 'board_id']).where('board_id', 'in', boardIds).orderBy('id').execute();
