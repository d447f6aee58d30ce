// What the demo year taken in memory reads of the town once, and how it writes its rows in bulk.
import { type Insertable, type Kysely, sql } from 'kysely';
import type { DB, JobsTable, MatterAssignmentsTable, MatterEventsTable, MatterReportersTable, MatterRequestsTable, MattersTable, NoticesTable } from '../../db/schema.ts';

export const allNodes = (db: Kysely<DB>) => db.selectFrom('nodes').select(['id', 'parent_id', 'level', 'name', 'path', 'status']).orderBy('id').execute();
export const buildingPlaces = (db: Kysely<DB>) => db.selectFrom('buildings').select(['id', 'grid_id', 'lng', 'lat']).orderBy('id').execute();
/** The dictionary in listCategories' order (by code), retired ones too (a matter keeps its category). */
export const allCategories = (db: Kysely<DB>) => db.selectFrom('categories').selectAll().orderBy('code').execute();
export const allBoards = (db: Kysely<DB>) => db.selectFrom('boards').select(['id', 'node_id', 'kind', 'name']).orderBy('id').execute();
export const postPlaces = (db: Kysely<DB>) =>
  db.selectFrom('posts as p').innerJoin('boards as b', 'b.id', 'p.board_id').select(['p.id', 'p.name', 'b.node_id']).orderBy('p.id').execute();
export const departmentPlaces = (db: Kysely<DB>) => db.selectFrom('departments').select(['id', 'name', 'node_id', 'status']).orderBy('id').execute();
export const residentPlaces = (db: Kysely<DB>) =>
  db.selectFrom('residents as r').innerJoin('nodes as n', 'n.id', 'r.grid_id').leftJoin('households as h', 'h.id', 'r.household_id')
    .select(['r.id', 'r.user_id', 'n.path', 'h.building_id', 'h.unit_id']).orderBy('r.id').execute();
export const activeRoles = (db: Kysely<DB>) =>
  db.selectFrom('role_assignments').select(['user_id', 'role', 'node_id', 'post_id', 'department_id', 'board_id']).where('ended_at', 'is', null).orderBy('id').execute();

type Sequenced = 'matters' | 'matter_events' | 'matter_assignments' | 'matter_reporters' | 'matter_requests';

/** n fresh ids from a table's own sequence (not necessarily consecutive when others insert meanwhile). */
export async function reserveIds(db: Kysely<DB>, table: Sequenced, n: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`select nextval(pg_get_serial_sequence(${table}, 'id'))::int as id from generate_series(1, ${n})`.execute(db);
  return rows.map((r) => r.id);
}

export interface YearRows {
  matters: Insertable<MattersTable>[];
  reporters: Insertable<MatterReportersTable>[];
  assignments: Insertable<MatterAssignmentsTable>[];
  requests: Insertable<MatterRequestsTable>[];
  events: Insertable<MatterEventsTable>[];
  notices: Insertable<NoticesTable>[];
  jobs: Insertable<JobsTable>[];
}

/** Inserts a chunk of the year's rows, parents first, in statements of at most `per` rows (PostgreSQL allows 65,535 parameters). */
export async function insertYearRows(db: Kysely<DB>, rows: YearRows, per = 500): Promise<void> {
  const each = async <T>(list: T[], insert: (part: T[]) => Promise<unknown>) => {
    for (let i = 0; i < list.length; i += per) await insert(list.slice(i, i + per));
  };
  await each(rows.matters, (part) => db.insertInto('matters').values(part).execute());
  await each(rows.reporters, (part) => db.insertInto('matter_reporters').values(part).execute());
  await each(rows.assignments, (part) => db.insertInto('matter_assignments').values(part).execute());
  await each(rows.requests, (part) => db.insertInto('matter_requests').values(part).execute());
  await each(rows.events, (part) => db.insertInto('matter_events').values(part).execute());
  await each(rows.notices, (part) => db.insertInto('notices').values(part).execute());
  await each(rows.jobs, (part) => db.insertInto('jobs').values(part).execute());
}

/** The accounts of these usernames, and their active roles as loadAssignments (access.repository.ts) reads them, in two queries. */
export async function accountsWithRoles(db: Kysely<DB>, usernames: string[]) {
  if (usernames.length === 0) return { users: [], roles: [] };
  const users = await db.selectFrom('users').select(['id', 'username', 'display_name']).where('username', 'in', usernames).orderBy('id').execute();
  const roles = users.length === 0 ? [] : await db.selectFrom('role_assignments as r').innerJoin('nodes as n', 'n.id', 'r.node_id')
    .select(['r.user_id', 'r.id', 'r.role', 'r.node_id', 'n.path', 'r.board_id', 'r.post_id', 'r.department_id', 'r.building_id', 'r.unit_id', 'r.ab_slot', 'r.employment'])
    .where('r.user_id', 'in', users.map((u) => u.id)).where('r.ended_at', 'is', null).orderBy('r.id').execute();
  return { users, roles };
}
