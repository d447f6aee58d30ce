import { type Insertable, type Kysely, sql, type Updateable } from 'kysely';
import type { BroadcastContentTable, BroadcastPlansTable, DB, OutboundDeliveriesTable, OutboundTargetsTable } from '../../db/schema.ts';

/** A group with the tree path of its grid, for scope checks. */
export const getGroupWithPath = (db: Kysely<DB>, id: number) =>
  db.selectFrom('online_groups as g').innerJoin('nodes as n', 'n.id', 'g.grid_id').select(['g.id', 'g.name', 'g.status', 'g.external_id', 'g.platform', 'n.path'])
    .where('g.id', '=', id).executeTakeFirst();

export const listGroupPaths = (db: Kysely<DB>, ids: number[]) =>
  ids.length === 0 ? Promise.resolve([]) : db.selectFrom('online_groups as g').innerJoin('nodes as n', 'n.id', 'g.grid_id').select(['g.id', 'g.status', 'n.path'])
    .where('g.id', 'in', ids).execute();


export const listTargets = (db: Kysely<DB>, groupId: number) => db.selectFrom('outbound_targets').selectAll().where('group_id', '=', groupId).orderBy('id').execute();
export const getTarget = (db: Kysely<DB>, groupId: number, id: number) =>
  db.selectFrom('outbound_targets').selectAll().where('group_id', '=', groupId).where('id', '=', id).forUpdate().executeTakeFirst();
export const activeTarget = (db: Kysely<DB>, groupId: number) =>
  db.selectFrom('outbound_targets').select('id').where('group_id', '=', groupId).where('status', '=', 'active').executeTakeFirst();
export const insertTarget = (db: Kysely<DB>, row: Insertable<OutboundTargetsTable>) => db.insertInto('outbound_targets').values(row).returningAll().executeTakeFirstOrThrow();
export const updateTarget = (db: Kysely<DB>, id: number, patch: Updateable<OutboundTargetsTable>) =>
  db.updateTable('outbound_targets').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();

export const getContent = (db: Kysely<DB>, id: number) => db.selectFrom('broadcast_content').selectAll().where('id', '=', id).executeTakeFirst();
export const insertContent = (db: Kysely<DB>, row: Insertable<BroadcastContentTable>) => db.insertInto('broadcast_content').values(row).returningAll().executeTakeFirstOrThrow();
export const updateContent = (db: Kysely<DB>, id: number, patch: Updateable<BroadcastContentTable>) =>
  db.updateTable('broadcast_content').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
export function listContent(db: Kysely<DB>, q: { theme?: string; status?: 'active' | 'retired'; beforeId?: number; limit: number }) {
  let query = db.selectFrom('broadcast_content').selectAll().orderBy('id', 'desc').limit(q.limit + 1);
  if (q.theme) query = query.where('theme', '=', q.theme);
  if (q.status) query = query.where('status', '=', q.status);
  if (q.beforeId) query = query.where('id', '<', q.beforeId);
  return query.execute();
}
export const countThemeContent = async (db: Kysely<DB>, theme: string) =>
  (await db.selectFrom('broadcast_content').select((eb) => eb.fn.countAll<number>().as('n')).where('theme', '=', theme).where('status', '=', 'active').executeTakeFirstOrThrow()).n;

export const getPlan = (db: Kysely<DB>, id: number) => db.selectFrom('broadcast_plans').selectAll().where('id', '=', id).executeTakeFirst();
export const lockPlan = (db: Kysely<DB>, id: number) => db.selectFrom('broadcast_plans').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
export const insertPlan = (db: Kysely<DB>, row: Insertable<BroadcastPlansTable>) => db.insertInto('broadcast_plans').values(row).returningAll().executeTakeFirstOrThrow();
export const updatePlan = (db: Kysely<DB>, id: number, patch: Updateable<BroadcastPlansTable>) =>
  db.updateTable('broadcast_plans').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
export const listPlans = (db: Kysely<DB>) => db.selectFrom('broadcast_plans').selectAll().orderBy('id').execute();
export const setPlanNextRun = (db: Kysely<DB>, id: number, at: Date | null) => db.updateTable('broadcast_plans').set({ next_run_at: at }).where('id', '=', id).execute();

export const getActiveContent = (db: Kysely<DB>, id: number) =>
  db.selectFrom('broadcast_content').selectAll().where('id', '=', id).where('status', '=', 'active').executeTakeFirst();
/** A theme's active items by id, the order its rotation goes through them. */
export const listThemeContent = (db: Kysely<DB>, theme: string) =>
  db.selectFrom('broadcast_content').selectAll().where('theme', '=', theme).where('status', '=', 'active').orderBy('id').execute();

/** Every active group whose grid lies under the node. */
export async function activeGroupsUnder(db: Kysely<DB>, nodeId: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`select g.id from online_groups g join nodes n on n.id = g.grid_id
     where g.status = 'active' and n.path like (select path from nodes where id = ${nodeId}) || '%' order by g.id`.execute(db);
  return rows.map((r) => r.id);
}

export async function activeGroupsAmong(db: Kysely<DB>, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('online_groups').select('id').where('id', 'in', ids).where('status', '=', 'active').orderBy('id').execute();
  return rows.map((r) => r.id);
}

export interface DeliveryQuery { prefixes: string[]; groupId?: number; matterId?: number; status?: 'pending' | 'sent' | 'failed'; kind?: OutboundDeliveriesTable['kind']; beforeId?: number; limit: number }

/** Deliveries to groups whose grid lies under one of the prefixes, newest first. */
export function listDeliveries(db: Kysely<DB>, q: DeliveryQuery) {
  let query = db.selectFrom('outbound_deliveries as d').innerJoin('online_groups as g', 'g.id', 'd.group_id').innerJoin('nodes as n', 'n.id', 'g.grid_id')
    .selectAll('d').select('g.name as group_name')
    .where((eb) => eb.or(q.prefixes.map((p) => eb('n.path', 'like', `${p}%`))))
    .orderBy('d.id', 'desc').limit(q.limit + 1);
  if (q.groupId) query = query.where('d.group_id', '=', q.groupId);
  if (q.matterId) query = query.where('d.matter_id', '=', q.matterId);
  if (q.status) query = query.where('d.status', '=', q.status);
  if (q.kind) query = query.where('d.kind', '=', q.kind);
  if (q.beforeId) query = query.where('d.id', '<', q.beforeId);
  return query.execute();
}

export const getDeliveryWithPath = (db: Kysely<DB>, id: number) =>
  db.selectFrom('outbound_deliveries as d').innerJoin('online_groups as g', 'g.id', 'd.group_id').innerJoin('nodes as n', 'n.id', 'g.grid_id')
    .selectAll('d').select(['g.name as group_name', 'n.path']).where('d.id', '=', id).executeTakeFirst();
