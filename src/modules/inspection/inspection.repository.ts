import { type Insertable, type Kysely, type RawBuilder, type SqlBool, sql, type Updateable } from 'kysely';
import type { DB, InspectionPointsTable, InspectionTasksTable } from '../../db/schema.ts';

/** Points are scoped by the grid path stored on them, as matters are by their area path. */
type PointScope = { prefixes: string[]; under?: string };

/** A filter on the points aliased `p`, shared by queries whose other joins differ. */
function visible(scope: PointScope): RawBuilder<SqlBool> {
  if (scope.prefixes.length === 0) return sql<SqlBool>`false`;
  const inScope = sql.join(scope.prefixes.map((prefix) => sql`p.grid_path like ${`${prefix}%`}`), sql` or `);
  return scope.under ? sql<SqlBool>`((${inScope}) and p.grid_path like ${`${scope.under}%`})` : sql<SqlBool>`(${inScope})`;
}

const taskColumns = ['t.id', 't.node_id', 'n.name as node_name', 'n.path as node_path', 't.title', 't.description', 't.category_id', 'c.code as category_code',
  'c.name as category_name', 't.due_at', 't.status', 't.created_at', 't.created_by', 'u.display_name as created_by_name', 't.urgent', 't.closed_at'] as const;

function tasks(db: Kysely<DB>) {
  return db.selectFrom('inspection_tasks as t').innerJoin('nodes as n', 'n.id', 't.node_id')
    .leftJoin('categories as c', 'c.id', 't.category_id').leftJoin('users as u', 'u.id', 't.created_by');
}

export const getTask = (db: Kysely<DB>, id: number) => tasks(db).select(taskColumns).where('t.id', '=', id).executeTakeFirst();
export type TaskRow = NonNullable<Awaited<ReturnType<typeof getTask>>>;

/** Locks the task row: checks share it, closing takes it exclusively, so no check lands after a close. */
export function lockTask(db: Kysely<DB>, id: number, mode: 'share' | 'update') {
  const q = db.selectFrom('inspection_tasks as t').innerJoin('nodes as n', 'n.id', 't.node_id')
    .select(['t.id', 't.status', 't.title', 't.category_id', 't.urgent', 'n.path as node_path']).where('t.id', '=', id);
  return (mode === 'share' ? q.forShare('t') : q.forUpdate('t')).executeTakeFirst();
}

export interface TaskQuery extends PointScope { status?: 'open' | 'closed'; beforeId?: number; afterDue?: { due: Date; id: number }; limit: number; order: 'recent' | 'due' }

/** Tasks with at least one point the caller may see. */
export function listTasks(db: Kysely<DB>, q: TaskQuery) {
  let query = tasks(db).select(taskColumns)
    .where((eb) => eb.exists(eb.selectFrom('inspection_points as p').select('p.id').whereRef('p.task_id', '=', 't.id').where(visible(q))))
    .limit(q.limit + 1);
  if (q.status) query = query.where('t.status', '=', q.status);
  if (q.beforeId) query = query.where('t.id', '<', q.beforeId);
  const after = q.afterDue;
  if (after) query = query.where((eb) => eb.or([eb('t.due_at', '>', after.due), eb.and([eb('t.due_at', '=', after.due), eb('t.id', '>', after.id)])]));
  return (q.order === 'due' ? query.orderBy('t.due_at').orderBy('t.id') : query.orderBy('t.id', 'desc')).execute();
}

export async function insertTask(db: Kysely<DB>, row: Insertable<InspectionTasksTable>) {
  return db.insertInto('inspection_tasks').values(row).returning('id').executeTakeFirstOrThrow();
}

/** Up to 2,000 points per task; inserted in slices to stay far below the bind-parameter limit. */
export async function insertPoints(db: Kysely<DB>, rows: Insertable<InspectionPointsTable>[]) {
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('inspection_points').values(rows.slice(i, i + 500)).execute();
}

export const closeTask = (db: Kysely<DB>, id: number, by: number | null, at: Date) =>
  db.updateTable('inspection_tasks').set({ status: 'closed', closed_by: by, closed_at: at }).where('id', '=', id).execute();

const pointColumns = ['p.id', 'p.task_id', 'p.grid_id', 'g.name as grid_name', 'p.name', 'p.lng', 'p.lat', 'p.status', 'p.note', 'p.checked_at',
  'p.checked_by', 'u.display_name as checked_by_name', 'p.matter_id'] as const;

function points(db: Kysely<DB>) {
  return db.selectFrom('inspection_points as p').innerJoin('nodes as g', 'g.id', 'p.grid_id').leftJoin('users as u', 'u.id', 'p.checked_by');
}

export function listPoints(db: Kysely<DB>, taskIds: number[], scope: PointScope) {
  if (taskIds.length === 0) return Promise.resolve([]);
  return points(db).select(pointColumns).where('p.task_id', 'in', taskIds).where(visible(scope)).orderBy('g.code').orderBy('p.id').execute();
}
export type PointRow = Awaited<ReturnType<typeof listPoints>>[number];

export const getPoint = (db: Kysely<DB>, id: number) => points(db).select(pointColumns).where('p.id', '=', id).executeTakeFirstOrThrow();

/** The point to check, locked so two simultaneous checks of one point cannot both raise a matter. */
export const lockPoint = (db: Kysely<DB>, taskId: number, pointId: number) =>
  db.selectFrom('inspection_points').selectAll().where('id', '=', pointId).where('task_id', '=', taskId).forUpdate().executeTakeFirst();

export const updatePoint = (db: Kysely<DB>, id: number, patch: Updateable<InspectionPointsTable>) =>
  db.updateTable('inspection_points').set(patch).where('id', '=', id).execute();

/** Point counts by task, grid and state over the visible points: the raw material of progress. */
export function progressRows(db: Kysely<DB>, taskIds: number[], scope: PointScope) {
  if (taskIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('inspection_points as p').innerJoin('nodes as g', 'g.id', 'p.grid_id')
    .select((eb) => ['p.task_id', 'p.grid_id', 'g.name as grid_name', 'g.code as grid_code', 'p.status', eb.fn.countAll<string | number>().as('n')])
    .where('p.task_id', 'in', taskIds).where(visible(scope))
    .groupBy(['p.task_id', 'p.grid_id', 'g.name', 'g.code', 'p.status']).execute();
}
export type ProgressRow = Awaited<ReturnType<typeof progressRows>>[number];

export const nodesByIds = (db: Kysely<DB>, ids: number[]) =>
  db.selectFrom('nodes').select(['id', 'name', 'level', 'path', 'status']).where('id', 'in', ids).execute();


export const activeCategory = (db: Kysely<DB>, code: string) =>
  db.selectFrom('categories').select(['id', 'code']).where('code', '=', code).where('status', '=', 'active').executeTakeFirst();

export const categoryCode = (db: Kysely<DB>, id: number) =>
  db.selectFrom('categories').select(['code', 'status']).where('id', '=', id).executeTakeFirst();

export const matterStatus = (db: Kysely<DB>, id: number) => db.selectFrom('matters').select('status').where('id', '=', id).executeTakeFirst();

