import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { notFinished, overdueAt as overdueOf } from '../matters/matters.repository.ts';

/** Open on the screen: not finished (suspended ones included). */
const open = notFinished('m.status');

/** Overdue as everywhere else (isOverdue in core/vocabulary.ts): on the clock, past its due time or marked overdue. */
const overdueAt = (now: Date) => overdueOf('m', now);

/** Open and urgent matters per grid located under `path` (a live count over the matters themselves). */
export async function openByGrid(db: Kysely<DB>, path: string, now: Date): Promise<{ grid_id: number; open: number; urgent: number; overdue: number }[]> {
  const overdue = overdueAt(now);
  const rows = await db.selectFrom('matters as m')
    .select(['m.grid_id', sql<number>`count(*)::int`.as('open'), sql<number>`(count(*) filter (where m.urgent))::int`.as('urgent'), sql<number>`(count(*) filter (where ${overdue}))::int`.as('overdue')])
    .where('m.area_path', 'like', `${path}%`).where(open).where('m.grid_id', 'is not', null)
    .groupBy('m.grid_id')
    .execute();
  return rows.flatMap((r) => (r.grid_id === null ? [] : [{ grid_id: r.grid_id, open: r.open, urgent: r.urgent, overdue: r.overdue }]));
}

/** Matters reported under the node per reported day in [from, to], from matter_counts. */
export function reportedPerDay(db: Kysely<DB>, nodeId: number, from: string, to: string) {
  return db.selectFrom('matter_counts').select(['day', sql<number>`sum(n)::int`.as('n')])
    .where('node_id', '=', nodeId).where('day', '>=', from).where('day', '<=', to)
    .groupBy('day').execute();
}

/** Closings per day in [from, to] for one subject, from matter_metrics. */
export function closesPerDay(db: Kysely<DB>, subject: string, from: string, to: string) {
  return db.selectFrom('matter_metrics').select(['day', sql<number>`sum(closes)::int`.as('n')])
    .where('subject', '=', subject).where('day', '>=', from).where('day', '<=', to)
    .groupBy('day').execute();
}

/** The categories with the most matters reported under the node in [from, to]; uncategorised ones left out. */
export function topCategories(db: Kysely<DB>, nodeId: number, from: string, to: string, limit: number) {
  return db.selectFrom('matter_counts as k').innerJoin('categories as c', 'c.id', 'k.category_id')
    .select(['c.id', 'c.code', 'c.name', sql<number>`sum(k.n)::int`.as('n')])
    .where('k.node_id', '=', nodeId).where('k.day', '>=', from).where('k.day', '<=', to).where('k.category_id', '<>', 0)
    .groupBy(['c.id', 'c.code', 'c.name'])
    .having(sql<number>`sum(k.n)`, '>', 0)
    .orderBy(sql`sum(k.n)`, 'desc').orderBy('c.code')
    .limit(limit)
    .execute();
}

/** Open matters under `path` that are urgent or overdue, most recently reported first. */
export function urgentMatters(db: Kysely<DB>, path: string, now: Date, limit: number) {
  return db.selectFrom('matters as m').leftJoin('nodes as g', 'g.id', 'm.area_node_id')
    .select(['m.id', 'm.code', 'm.title', 'm.status', 'm.urgent', overdueAt(now).as('overdue'), 'm.due_at', 'm.reported_at', 'g.name as area_name'])
    .where('m.area_path', 'like', `${path}%`).where(open).where((eb) => eb.or([eb('m.urgent', '=', true), overdueAt(now)]))
    .orderBy('m.reported_at', 'desc').orderBy('m.id', 'desc')
    .limit(limit)
    .execute();
}

/** The latest matters reported under `path`, newest first: what the live feed starts from. */
export function latestMatters(db: Kysely<DB>, path: string, now: Date, limit: number) {
  return db.selectFrom('matters as m').leftJoin('nodes as g', 'g.id', 'm.area_node_id')
    .select(['m.id', 'm.code', 'm.title', 'm.status', 'm.urgent', sql<boolean>`(${overdueAt(now)} and ${open})`.as('overdue'), 'm.due_at', 'm.reported_at', 'g.name as area_name'])
    .where('m.area_path', 'like', `${path}%`)
    .orderBy('m.reported_at', 'desc').orderBy('m.id', 'desc')
    .limit(limit)
    .execute();
}

/** Group messages of the grids under `path` received in [from, to): taken in, sensed actionable or urgent, and what became of them. */
export async function messageFigures(db: Kysely<DB>, path: string, from: Date, to: Date) {
  const row = await db.selectFrom('group_messages as gm').innerJoin('nodes as n', 'n.id', 'gm.grid_id')
    .select([
      sql<number>`count(*)::int`.as('messages'),
      sql<number>`(count(*) filter (where gm.actionable))::int`.as('actionable'),
      sql<number>`(count(*) filter (where gm.urgency = 'urgent'))::int`.as('urgent'),
      sql<number>`(count(*) filter (where gm.state = 'handled_in_group'))::int`.as('handled_in_group'),
      sql<number>`(count(*) filter (where gm.state = 'to_matter'))::int`.as('to_matter'),
    ])
    .where('n.path', 'like', `${path}%`).where('gm.received_at', '>=', from).where('gm.received_at', '<', to)
    .executeTakeFirstOrThrow();
  return row;
}

/** The latest actionable or urgent group messages of the grids under `path`, newest first, with their grid and sensed category. */
export function latestMessages(db: Kysely<DB>, path: string, limit: number) {
  return db.selectFrom('group_messages as gm').innerJoin('nodes as n', 'n.id', 'gm.grid_id').leftJoin('categories as c', 'c.code', 'gm.category_code')
    .select(['gm.id', 'gm.received_at', 'gm.text', 'gm.urgency', 'gm.urgent_kind', 'gm.category_code', 'gm.state', 'n.name as grid_name', 'c.name as category_name'])
    .where('n.path', 'like', `${path}%`).where((eb) => eb.or([eb('gm.actionable', '=', true), eb('gm.urgency', '=', 'urgent')]))
    .orderBy('gm.id', 'desc')
    .limit(limit)
    .execute();
}
