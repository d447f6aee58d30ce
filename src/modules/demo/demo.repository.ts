import { type Insertable, type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';

/**
 * Inserts rows in chunks (PostgreSQL allows 65,535 parameters per statement) and returns the chosen columns in order.
 * The rows may come from a generator: only one chunk of them exists at a time, which keeps a big load's memory flat.
 */
export async function insertMany<T extends 'buildings' | 'units' | 'households' | 'online_groups' | 'users' | 'role_assignments' | 'residents'>(
  db: Kysely<DB>,
  table: T,
  rows: Iterable<Insertable<DB[T]>>,
  chunk = 1000,
): Promise<number[]> {
  const ids: number[] = [];
  const flush = async (batch: Insertable<DB[T]>[]) => {
    // Kysely cannot relate a generic table name to its row type; the signature above guarantees they match.
    const inserted: unknown[] = await db.insertInto(table).values(batch as never).returning('id' as never).execute();
    // A multi-row INSERT ... RETURNING yields rows in VALUES order in PostgreSQL; every table here has an int id.
    for (const row of inserted as { id: number }[]) ids.push(row.id);
  };
  let batch: Insertable<DB[T]>[] = [];
  for (const row of rows) {
    batch.push(row);
    if (batch.length === chunk) {
      await flush(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await flush(batch);
  return ids;
}

export async function isEmpty(db: Kysely<DB>): Promise<boolean> {
  return (await db.selectFrom('nodes').select('id').limit(1).executeTakeFirst()) === undefined;
}

// ---- what the demo year reads back from the town it replays on ----

export const districtsAndGrids = (db: Kysely<DB>) => db.selectFrom('nodes').select(['id', 'parent_id', 'level']).where('level', 'in', ['district', 'grid']).orderBy('id').execute();

/** The active roles the year acts through, with the account's username and the level of the role's node. */
export const actingRoles = (db: Kysely<DB>) =>
  db.selectFrom('role_assignments as ra').innerJoin('users as u', 'u.id', 'ra.user_id').innerJoin('nodes as n', 'n.id', 'ra.node_id')
    .select(['u.username', 'ra.role', 'ra.node_id', 'n.level', 'ra.post_id', 'ra.department_id']).where('ra.ended_at', 'is', null)
    .where('ra.role', 'in', ['admin', 'centre_operator', 'community_staff', 'grid_worker', 'post_handler', 'department_handler']).orderBy('u.id').execute();

export const allBuildings = (db: Kysely<DB>) => db.selectFrom('buildings').select(['id', 'grid_id', 'name', 'lng', 'lat']).orderBy('id').execute();

/** Every resident with their building and the username of their account, if they have one. */
export const residentsWithAccounts = (db: Kysely<DB>) =>
  db.selectFrom('residents as r').leftJoin('households as h', 'h.id', 'r.household_id').leftJoin('users as u', 'u.id', 'r.user_id')
    .select(['r.id', 'r.grid_id', 'h.building_id', 'u.username']).orderBy('r.id').execute();

export const allPosts = (db: Kysely<DB>) => db.selectFrom('posts').select(['id', 'name']).orderBy('id').execute();

export const allDepartments = (db: Kysely<DB>) => db.selectFrom('departments').select(['id', 'name', 'joint_duty_type']).orderBy('id').execute();

export const userByUsername = (db: Kysely<DB>, username: string) =>
  db.selectFrom('users').select(['id', 'username', 'display_name']).where('username', '=', username).executeTakeFirstOrThrow();

/** What decides who dispatches a matter: its level, owner and grid. */
export const matterRouting = (db: Kysely<DB>, id: number) => db.selectFrom('matters').select(['level', 'owner_node_id', 'grid_id']).where('id', '=', id).executeTakeFirstOrThrow();

export const matterStatus = async (db: Kysely<DB>, id: number) => (await db.selectFrom('matters').select('status').where('id', '=', id).executeTakeFirst())?.status;

/** How many matters there are of each source and status. */
export const matterTally = (db: Kysely<DB>) => db.selectFrom('matters').select(['source', 'status', sql<number>`count(*)::int`.as('n')]).groupBy(['source', 'status']).execute();

/** Who deliberates in the demo: community 01, its first grid, up to 8 residents there with accounts (that grid's first) and a department. */
export async function deliberationCast(db: Kysely<DB>) {
  const community = await db.selectFrom('nodes').select(['id', 'path']).where('level', '=', 'community').orderBy('code').executeTakeFirstOrThrow();
  const grid = await db.selectFrom('nodes').select(['id', 'path']).where('level', '=', 'grid').where('path', 'like', `${community.path}%`).orderBy('code').executeTakeFirstOrThrow();
  const accounts = await db.selectFrom('residents as r').innerJoin('users as u', 'u.id', 'r.user_id').innerJoin('nodes as g', 'g.id', 'r.grid_id')
    .select(['u.username', 'r.id', 'r.grid_id']).where('g.path', 'like', `${community.path}%`).where('r.status', '=', 'active').where('u.status', '=', 'active')
    .orderBy(sql`r.grid_id = ${grid.id}`, 'desc').orderBy('r.id').limit(8).execute();
  const department = await db.selectFrom('departments').select('id').where('status', '=', 'active').orderBy('id').executeTakeFirst();
  return { community, grid, accounts, department };
}
