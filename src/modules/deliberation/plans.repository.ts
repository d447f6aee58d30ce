import { type Kysely, sql } from 'kysely';
import type { PledgeKind } from '../../core/vocabulary.ts';
import type { DB } from '../../db/schema.ts';

/** Plans (方案) with co-authors, photos, departments and amendments, and their crowdfunding goals and pledges. */

export type PlanRow = Awaited<ReturnType<typeof plansOf>>[number];

export const plansOf = (db: Kysely<DB>, topicId: number) =>
  db.selectFrom('topic_plans').selectAll().where('topic_id', '=', topicId).orderBy('id').execute();

export const getPlan = (db: Kysely<DB>, id: number) => db.selectFrom('topic_plans').selectAll().where('id', '=', id).executeTakeFirst();
export const lockPlan = (db: Kysely<DB>, id: number) => db.selectFrom('topic_plans').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export const insertPlan = (db: Kysely<DB>, row: { topicId: number; title: string; body: string; costYuan: number | null; createdBy: number | null; at: Date }) =>
  db.insertInto('topic_plans').values({ topic_id: row.topicId, title: row.title, body: row.body, cost_yuan: row.costYuan, created_by: row.createdBy, created_at: row.at, updated_at: row.at })
    .returning('id').executeTakeFirstOrThrow();

export const updatePlan = (db: Kysely<DB>, id: number, patch: { body?: string; cost_yuan?: number | null; status?: 'proposed' | 'withdrawn' | 'chosen' | 'not_chosen' }) =>
  db.updateTable('topic_plans').set({ ...patch, updated_at: new Date() }).where('id', '=', id).execute();

export const setPlansStatus = (db: Kysely<DB>, topicId: number, chosen: number | null) =>
  db.updateTable('topic_plans').set({ status: sql`case when id = ${chosen} then 'chosen' else 'not_chosen' end`, updated_at: new Date() })
    .where('topic_id', '=', topicId).where('status', 'in', ['proposed', 'chosen', 'not_chosen']).execute();

export const insertAuthors = (db: Kysely<DB>, planId: number, userIds: number[]) =>
  userIds.length ? db.insertInto('plan_authors').values(userIds.map((u) => ({ plan_id: planId, user_id: u }))).onConflict((oc) => oc.doNothing()).execute() : Promise.resolve([]);
export const insertPhotos = (db: Kysely<DB>, planId: number, hashes: string[]) =>
  hashes.length ? db.insertInto('plan_photos').values(hashes.map((h, i) => ({ plan_id: planId, file_hash: h, position: i }))).execute() : Promise.resolve([]);
export const insertDepartments = (db: Kysely<DB>, planId: number, ids: number[]) =>
  ids.length ? db.insertInto('plan_departments').values(ids.map((d) => ({ plan_id: planId, department_id: d }))).execute() : Promise.resolve([]);
export const insertGoals = (db: Kysely<DB>, planId: number, goals: Array<{ kind: PledgeKind; label: string; unit: string; target: number }>) =>
  goals.length ? db.insertInto('plan_goals').values(goals.map((g, i) => ({ plan_id: planId, kind: g.kind, label: g.label, unit: g.unit, target: g.target, position: i }))).execute() : Promise.resolve([]);

export const usersByIds = (db: Kysely<DB>, ids: number[]) =>
  ids.length ? db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids).where('status', '=', 'active').execute() : Promise.resolve([]);
export const departmentsByIds = (db: Kysely<DB>, ids: number[]) =>
  ids.length ? db.selectFrom('departments as d').innerJoin('nodes as n', 'n.id', 'd.node_id').select(['d.id', 'd.name', 'n.path']).where('d.id', 'in', ids).where('d.status', '=', 'active').execute() : Promise.resolve([]);

/** Where would-be co-authors belong: their active resident records' grids and the nodes of their active roles. */
export const coAuthorPlaces = (db: Kysely<DB>, ids: number[]) =>
  ids.length ? db.selectFrom('users as u')
    .leftJoin('residents as r', (j) => j.onRef('r.user_id', '=', 'u.id').on('r.status', '=', 'active')).leftJoin('nodes as g', 'g.id', 'r.grid_id')
    .leftJoin('role_assignments as a', (j) => j.onRef('a.user_id', '=', 'u.id').on('a.ended_at', 'is', null)).leftJoin('nodes as an', 'an.id', 'a.node_id')
    .select(['u.id', 'r.id as resident_id', 'r.name as resident_name', 'r.grid_id', 'g.path as grid_path', 'g.estate_name', 'a.role', 'an.path as role_path'])
    .where('u.id', 'in', ids).where('u.status', '=', 'active').execute() : Promise.resolve([]);

export const isAuthor = async (db: Kysely<DB>, planId: number, userId: number) =>
  !!(await db.selectFrom('plan_authors').select('user_id').where('plan_id', '=', planId).where('user_id', '=', userId).executeTakeFirst());

/** Everything the plans of a topic show, in one round of queries. */
export async function planDetails(db: Kysely<DB>, planIds: number[]) {
  if (planIds.length === 0) return { authors: [], photos: [], departments: [], amendments: [], goals: [] };
  const [authors, photos, departments, amendments, goals] = await Promise.all([
    db.selectFrom('plan_authors as a').innerJoin('users as u', 'u.id', 'a.user_id').select(['a.plan_id', 'u.id', 'u.display_name']).where('a.plan_id', 'in', planIds).orderBy('u.id').execute(),
    db.selectFrom('plan_photos').selectAll().where('plan_id', 'in', planIds).orderBy('position').execute(),
    db.selectFrom('plan_departments as p').innerJoin('departments as d', 'd.id', 'p.department_id').select(['p.plan_id', 'd.id', 'd.name']).where('p.plan_id', 'in', planIds).orderBy('d.id').execute(),
    db.selectFrom('plan_amendments as a').innerJoin('users as u', 'u.id', 'a.author_id').select(['a.id', 'a.plan_id', 'a.body', 'a.cost_yuan', 'a.state', 'a.created_at', 'u.display_name'])
      .where('a.plan_id', 'in', planIds).orderBy('a.id').execute(),
    goalTotals(db, planIds),
  ]);
  return { authors, photos, departments, amendments, goals };
}

/** Each goal with what is pledged and delivered toward it (cancelled pledges count for nothing) and by how many. */
export const goalTotals = (db: Kysely<DB>, planIds: number[]) =>
  db.selectFrom('plan_goals as g').leftJoin('pledges as p', (j) => j.onRef('p.goal_id', '=', 'g.id').on('p.state', '<>', 'cancelled'))
    .select(['g.id', 'g.plan_id', 'g.kind', 'g.label', 'g.unit', 'g.target', 'g.position',
      sql<number>`coalesce(sum(p.amount), 0)::int`.as('pledged'),
      sql<number>`coalesce(sum(p.amount) filter (where p.state = 'delivered'), 0)::int`.as('delivered'),
      sql<number>`count(distinct coalesce(p.resident_id::text, 'o:' || p.organisation))::int`.as('pledgers')])
    .where('g.plan_id', 'in', planIds).groupBy('g.id').orderBy('g.plan_id').orderBy('g.position').execute();

export const getGoal = (db: Kysely<DB>, id: number) =>
  db.selectFrom('plan_goals as g').innerJoin('topic_plans as p', 'p.id', 'g.plan_id').select(['g.id', 'g.plan_id', 'g.kind', 'g.label', 'g.unit', 'p.topic_id', 'p.status as plan_status'])
    .where('g.id', '=', id).executeTakeFirst();

// ---- amendments (修改建议) ----
export const insertAmendment = (db: Kysely<DB>, row: { planId: number; authorId: number; body: string; costYuan: number | null; at: Date }) =>
  db.insertInto('plan_amendments').values({ plan_id: row.planId, author_id: row.authorId, body: row.body, cost_yuan: row.costYuan, created_at: row.at }).returning('id').executeTakeFirstOrThrow();
export const lockAmendment = (db: Kysely<DB>, id: number) => db.selectFrom('plan_amendments').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
export const decideAmendment = (db: Kysely<DB>, id: number, patch: { state: 'accepted' | 'rejected'; decided_by: number | null; decided_at: Date; old_body?: string; old_cost_yuan?: number | null }) =>
  db.updateTable('plan_amendments').set(patch).where('id', '=', id).execute();

// ---- pledges (认捐) ----
export const insertPledge = (db: Kysely<DB>, row: { goalId: number; residentId: number | null; organisation: string | null; recordedBy: number | null; amount: number; note: string; clientId: string | null; at: Date }) =>
  db.insertInto('pledges').values({ goal_id: row.goalId, resident_id: row.residentId, organisation: row.organisation, recorded_by: row.recordedBy, amount: row.amount, note: row.note, client_id: row.clientId, at: row.at })
    .returning('id').executeTakeFirstOrThrow();
export const pledgeByClientId = (db: Kysely<DB>, userId: number, clientId: string) =>
  db.selectFrom('pledges').select('id').where('recorded_by', '=', userId).where('client_id', '=', clientId).executeTakeFirst();
export const lockPledge = (db: Kysely<DB>, id: number) => db.selectFrom('pledges').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
export const updatePledge = (db: Kysely<DB>, id: number, patch: { state: 'delivered' | 'cancelled'; confirmed_by?: number | null; confirmed_at?: Date }) =>
  db.updateTable('pledges').set(patch).where('id', '=', id).execute();

/** A topic's pledges, newest first, with the goal and the pledger's name (masked by the presenter). */
export const pledgesOfTopic = (db: Kysely<DB>, topicId: number, ids?: number[]) => {
  let q = db.selectFrom('pledges as p').innerJoin('plan_goals as g', 'g.id', 'p.goal_id').innerJoin('topic_plans as pl', 'pl.id', 'g.plan_id').leftJoin('residents as r', 'r.id', 'p.resident_id')
    .select(['p.id', 'p.goal_id', 'g.plan_id', 'g.kind', 'g.label', 'g.unit', 'p.amount', 'p.state', 'p.note', 'p.at', 'p.confirmed_at', 'p.organisation', 'r.name as resident_name', 'p.resident_id'])
    .where('pl.topic_id', '=', topicId);
  if (ids) q = q.where('p.id', 'in', ids);
  return q.orderBy('p.id', 'desc').execute();
};
