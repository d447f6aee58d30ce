import { type Kysely, sql } from 'kysely';
import type { DB, NewNode, NodeUpdate } from '../../db/schema.ts';
import type { BoardKind, JointDutyType, NodeLevel, Platform } from '../../core/vocabulary.ts';

const nodeColumns = ['id', 'parent_id', 'level', 'code', 'name', 'path', 'kind', 'estate_type', 'estate_name', 'status', 'retired_at', 'created_at', 'updated_at'] as const;

export const getNode = (db: Kysely<DB>, id: number) => db.selectFrom('nodes').select(nodeColumns).where('id', '=', id).executeTakeFirst();
export const getNodeWithBoundary = (db: Kysely<DB>, id: number) =>
  db.selectFrom('nodes').select([...nodeColumns, 'boundary']).where('id', '=', id).executeTakeFirst();
export const getNodeByCode = (db: Kysely<DB>, code: string) => db.selectFrom('nodes').select(nodeColumns).where('code', '=', code).executeTakeFirst();
/** The named nodes, root first (ordered by path): a node's ancestors for its breadcrumb. */
export const listAncestors = (db: Kysely<DB>, ids: number[]) =>
  db.selectFrom('nodes').select(['id', 'level', 'code', 'name']).where('id', 'in', ids).orderBy('path').execute();

export interface NodeQuery {
  parentId?: number;
  level?: NodeLevel;
  status?: 'active' | 'retired';
  under?: string;
  search?: string;
  afterCode?: string;
  limit: number;
}

export function listNodes(db: Kysely<DB>, q: NodeQuery) {
  let query = db
    .selectFrom('nodes')
    .select([...nodeColumns, sql<boolean>`boundary is not null`.as('has_boundary')])
    .orderBy('code')
    .limit(q.limit + 1);
  if (q.parentId !== undefined) query = query.where('parent_id', '=', q.parentId);
  if (q.level) query = query.where('level', '=', q.level);
  if (q.status) query = query.where('status', '=', q.status);
  if (q.under) query = query.where('path', 'like', `${q.under}%`);
  if (q.search) query = query.where((eb) => eb.or([eb('name', 'like', `%${q.search}%`), eb('code', 'like', `${q.search}%`)]));
  if (q.afterCode) query = query.where('code', '>', q.afterCode);
  return query.execute();
}

export async function insertNode(db: Kysely<DB>, row: Omit<NewNode, 'path'>, parentPath: string | null) {
  const inserted = await db.insertInto('nodes').values({ ...row, path: '' }).returning('id').executeTakeFirstOrThrow();
  const path = `${parentPath ?? '/'}${inserted.id}/`;
  await db.updateTable('nodes').set({ path }).where('id', '=', inserted.id).execute();
  return { id: inserted.id, path };
}

export const updateNode = (db: Kysely<DB>, id: number, patch: NodeUpdate) =>
  db.updateTable('nodes').set({ ...patch, updated_at: new Date() }).where('id', '=', id).execute();

/** Re-roots a subtree: rewrites the path prefix and the significant code prefix of the node and all below it. */
export async function moveSubtree(db: Kysely<DB>, node: { id: number; path: string; code: string }, newParentId: number, newPath: string, newCode: string, codePrefixLength: number) {
  await db.updateTable('nodes').set({ parent_id: newParentId }).where('id', '=', node.id).execute();
  await sql`
    update nodes
       set path = ${newPath} || substr(path, ${node.path.length + 1}),
           code = ${newCode.slice(0, codePrefixLength)} || substr(code, ${codePrefixLength + 1}),
           updated_at = now()
     where path like ${`${node.path}%`}`.execute(db);
}

export const retireSubtree = (db: Kysely<DB>, path: string) =>
  db.updateTable('nodes').set({ status: 'retired', retired_at: new Date(), updated_at: new Date() }).where('path', 'like', `${path}%`).where('status', '=', 'active').execute();

export const countActiveChildren = async (db: Kysely<DB>, id: number) =>
  (await db.selectFrom('nodes').select((eb) => eb.fn.countAll<number>().as('n')).where('parent_id', '=', id).where('status', '=', 'active').executeTakeFirstOrThrow()).n;

/** Every kind of row that may point at a node; a node with any of them may be retired but never deleted. */
export async function countReferences(db: Kysely<DB>, id: number): Promise<Record<string, number>> {
  const { rows } = await sql<{ what: string; n: number }>`
    select 'children' as what, count(*)::int as n from nodes where parent_id = ${id}
    union all select 'buildings', count(*)::int from buildings where grid_id = ${id}
    union all select 'households', count(*)::int from households where grid_id = ${id}
    union all select 'residents', count(*)::int from residents where grid_id = ${id}
    union all select 'online_groups', count(*)::int from online_groups where grid_id = ${id}
    union all select 'role_assignments', count(*)::int from role_assignments where node_id = ${id}
    union all select 'boards', count(*)::int from boards where node_id = ${id}
    union all select 'map_features', count(*)::int from map_features where node_id = ${id}
    union all select 'departments', count(*)::int from departments where node_id = ${id}`.execute(db);
  return Object.fromEntries(rows.filter((r) => r.n > 0).map((r) => [r.what, r.n]));
}

export const deleteNode = (db: Kysely<DB>, id: number) => db.deleteFrom('nodes').where('id', '=', id).execute();

/** Household, population, grid and online-group figures for a subtree, counted from the rows themselves. */
export async function subtreeFigures(db: Kysely<DB>, path: string) {
  const { rows } = await sql<{ households: number; population: number; grids: number; grids_with_group: number; online_groups: number; residents: number; buildings: number }>`
    with sub as (select id, level from nodes where path like ${`${path}%`} and status = 'active')
    select
      hh.households, hh.population,
      (select count(*)::int from buildings b where b.grid_id in (select id from sub) and b.status = 'active') as buildings,
      (select count(*)::int from residents r where r.grid_id in (select id from sub) and r.status = 'active') as residents,
      (select count(*)::int from sub where level = 'grid') as grids,
      (select count(*)::int from sub where level = 'grid'
         and exists (select 1 from online_groups g where g.grid_id = sub.id and g.status = 'active')) as grids_with_group,
      (select count(*)::int from online_groups g where g.grid_id in (select id from sub) and g.status = 'active') as online_groups
    from (select count(*)::int as households, coalesce(sum(population), 0)::int as population
            from households h where h.grid_id in (select id from sub)) hh`.execute(db);
  // One row always comes back: the aggregate subquery yields exactly one.
  return rows[0] ?? { households: 0, population: 0, grids: 0, grids_with_group: 0, online_groups: 0, residents: 0, buildings: 0 };
}

/** Per-child figures in one pass, for a tree view that shows every child's counts. */
export async function childFigures(db: Kysely<DB>, parentId: number) {
  const { rows } = await sql<{ id: number; households: number; population: number; grids: number; grids_with_group: number }>`
    with kids as (select id, path from nodes where parent_id = ${parentId}),
    grids as (
      select k.id as kid, n.id as grid_id from kids k join nodes n on n.path like k.path || '%' and n.status = 'active' and n.level in ('grid', 'microgrid')
    ),
    hh as (select g.kid, count(h.id)::int as households, coalesce(sum(h.population), 0)::int as population from grids g join households h on h.grid_id = g.grid_id group by g.kid)
    select k.id,
      coalesce(hh.households, 0) as households, coalesce(hh.population, 0) as population,
      (select count(*)::int from nodes n where n.path like k.path || '%' and n.level = 'grid' and n.status = 'active') as grids,
      (select count(*)::int from nodes n where n.path like k.path || '%' and n.level = 'grid' and n.status = 'active'
         and exists (select 1 from online_groups o where o.grid_id = n.id and o.status = 'active')) as grids_with_group
    from kids k left join hh on hh.kid = k.id`.execute(db);
  return new Map(rows.map((r) => [r.id, r]));
}

/** Active grids and micro-grids with boundaries, and the communities above them, for the point lookup. */
export async function activeBoundaries(db: Kysely<DB>) {
  const located = await db.selectFrom('nodes').select(['id', 'parent_id', 'level', 'code', 'name', 'boundary'])
    .where('level', 'in', ['grid', 'microgrid']).where('status', '=', 'active').where('boundary', 'is not', null).execute();
  const parents = await db.selectFrom('nodes').select(['id', 'parent_id', 'code', 'name']).where('level', '=', 'community').execute();
  return { located, parents };
}

export async function bumpBoundaryVersion(db: Kysely<DB>) {
  await sql`insert into meta (key, value) values ('boundary_version', '1')
            on conflict (key) do update set value = (meta.value::bigint + 1)::text`.execute(db);
}

export const boundaryVersion = async (db: Kysely<DB>) =>
  (await db.selectFrom('meta').select('value').where('key', '=', 'boundary_version').executeTakeFirst())?.value ?? '0';

// Buildings, units and households.
export const insertBuilding = (db: Kysely<DB>, row: { gridId: number; name: string; address: string; lng: number | null; lat: number | null }) =>
  db.insertInto('buildings').values({ grid_id: row.gridId, name: row.name, address: row.address, lng: row.lng, lat: row.lat }).returningAll().executeTakeFirstOrThrow();
export const getBuilding = (db: Kysely<DB>, id: number) => db.selectFrom('buildings').selectAll().where('id', '=', id).executeTakeFirst();
export const listBuildings = (db: Kysely<DB>, gridId: number) => db.selectFrom('buildings').selectAll().where('grid_id', '=', gridId).orderBy('id').execute();
export const insertUnit = (db: Kysely<DB>, buildingId: number, name: string) => db.insertInto('units').values({ building_id: buildingId, name }).returningAll().executeTakeFirstOrThrow();
export const getUnit = (db: Kysely<DB>, id: number) => db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
export const listUnits = (db: Kysely<DB>, buildingIds: number[]) =>
  buildingIds.length === 0 ? Promise.resolve([]) : db.selectFrom('units').selectAll().where('building_id', 'in', buildingIds).orderBy('id').execute();
export const insertHousehold = (db: Kysely<DB>, row: { gridId: number; buildingId: number | null; unitId: number | null; room: string; population: number }) =>
  db.insertInto('households').values({ grid_id: row.gridId, building_id: row.buildingId, unit_id: row.unitId, room: row.room, population: row.population }).returningAll().executeTakeFirstOrThrow();
export const getHousehold = (db: Kysely<DB>, id: number) => db.selectFrom('households').selectAll().where('id', '=', id).executeTakeFirst();
export const listHouseholds = (db: Kysely<DB>, q: { gridId: number; buildingId?: number; afterId?: number; limit: number }) => {
  let query = db.selectFrom('households').selectAll().where('grid_id', '=', q.gridId).orderBy('id').limit(q.limit + 1);
  if (q.buildingId) query = query.where('building_id', '=', q.buildingId);
  if (q.afterId) query = query.where('id', '>', q.afterId);
  return query.execute();
};

// Online groups.
export const insertGroup = (db: Kysely<DB>, row: { gridId: number; platform: Platform; externalId: string; name: string }) =>
  db.insertInto('online_groups').values({ grid_id: row.gridId, platform: row.platform, external_id: row.externalId, name: row.name }).returningAll().executeTakeFirstOrThrow();
export const getGroup = (db: Kysely<DB>, id: number) => db.selectFrom('online_groups').selectAll().where('id', '=', id).executeTakeFirst();
export const findGroupByExternal = (db: Kysely<DB>, platform: Platform, externalId: string) =>
  db.selectFrom('online_groups').selectAll().where('platform', '=', platform).where('external_id', '=', externalId).executeTakeFirst();
export const updateGroup = (db: Kysely<DB>, id: number, patch: { grid_id?: number; name?: string; status?: 'active' | 'retired' }) =>
  db.updateTable('online_groups').set(patch).where('id', '=', id).execute();
export function listGroups(db: Kysely<DB>, q: { prefixes: string[]; gridId?: number; afterId?: number; limit: number }) {
  let query = db
    .selectFrom('online_groups as g')
    .innerJoin('nodes as n', 'n.id', 'g.grid_id')
    .select(['g.id', 'g.grid_id', 'g.platform', 'g.external_id', 'g.name', 'g.status', 'g.created_at', 'n.name as grid_name', 'n.code as grid_code'])
    .where((eb) => eb.or(q.prefixes.map((p) => eb('n.path', 'like', `${p}%`))))
    .orderBy('g.id')
    .limit(q.limit + 1);
  if (q.gridId) query = query.where('g.grid_id', '=', q.gridId);
  if (q.afterId) query = query.where('g.id', '>', q.afterId);
  return query.execute();
}

// Boards, posts and departments.
export const insertBoard = (db: Kysely<DB>, nodeId: number, kind: BoardKind, name: string) =>
  db.insertInto('boards').values({ node_id: nodeId, kind, name }).returningAll().executeTakeFirstOrThrow();
export const getBoard = (db: Kysely<DB>, id: number) => db.selectFrom('boards').selectAll().where('id', '=', id).executeTakeFirst();
export const listBoards = (db: Kysely<DB>, nodeId: number) => db.selectFrom('boards').selectAll().where('node_id', '=', nodeId).orderBy('id').execute();
export const insertPost = (db: Kysely<DB>, boardId: number, name: string) => db.insertInto('posts').values({ board_id: boardId, name }).returningAll().executeTakeFirstOrThrow();
export const getPost = (db: Kysely<DB>, id: number) => db.selectFrom('posts').selectAll().where('id', '=', id).executeTakeFirst();
/** A post with the node of its board, which is where a post's handlers are scoped. */
export const getPostWithBoard = (db: Kysely<DB>, id: number) =>
  db.selectFrom('posts').innerJoin('boards', 'boards.id', 'posts.board_id').select(['posts.id', 'boards.node_id', 'boards.id as board_id']).where('posts.id', '=', id).executeTakeFirst();
export const listPosts = (db: Kysely<DB>, boardIds: number[]) =>
  boardIds.length === 0 ? Promise.resolve([]) : db.selectFrom('posts').selectAll().where('board_id', 'in', boardIds).orderBy('id').execute();
export const insertDepartment = (db: Kysely<DB>, row: { nodeId: number; name: string; kind: 'joint_duty' | 'department'; jointDutyType: JointDutyType | null; boardId: number | null }) =>
  db.insertInto('departments').values({ node_id: row.nodeId, name: row.name, kind: row.kind, joint_duty_type: row.jointDutyType, board_id: row.boardId }).returningAll().executeTakeFirstOrThrow();
export const getDepartment = (db: Kysely<DB>, id: number) => db.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirst();
/** Departments attached to any of the given nodes (a town sees its own and its district's). */
export const listDepartments = (db: Kysely<DB>, nodeIds: number[]) =>
  nodeIds.length === 0 ? Promise.resolve([]) : db.selectFrom('departments').selectAll().where('node_id', 'in', nodeIds).orderBy('id').execute();

/** Active nodes of one level with a boundary, optionally within a subtree (for maps). */
export const listBoundaries = (db: Kysely<DB>, level: string, underPath: string | null) => {
  let q = db.selectFrom('nodes').select(['id', 'parent_id', 'level', 'code', 'name', 'boundary'])
    .where('level', '=', level as never).where('status', '=', 'active').where('boundary', 'is not', null);
  if (underPath) q = q.where('path', 'like', `${underPath}%`);
  return q.orderBy('code').execute();
};
