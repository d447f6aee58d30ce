import type { Insertable, Kysely } from 'kysely';
import type { DB, GroupMembersTable } from '../../db/schema.ts';

/** What the alive demo reads and writes: the groups' members at load, and what the chatter stream needs each run. */

/** Every active online group with its grid's kind and community, in id order (a grid's first group first). */
export const townGroups = (db: Kysely<DB>) =>
  db.selectFrom('online_groups as g').innerJoin('nodes as n', 'n.id', 'g.grid_id')
    .select(['g.id', 'g.grid_id', 'g.name', 'g.external_id', 'n.kind', 'n.parent_id']).where('g.status', '=', 'active').orderBy('g.id').execute();

/** Registered residents with their dwelling's building, unit and room. */
export const residentsWithDwelling = (db: Kysely<DB>) =>
  db.selectFrom('residents as r').leftJoin('households as h', 'h.id', 'r.household_id').leftJoin('units as u', 'u.id', 'h.unit_id').leftJoin('buildings as b', 'b.id', 'h.building_id')
    .select(['r.id', 'r.grid_id', 'r.household_id', 'r.name', 'r.birth_date', 'r.user_id', 'b.name as building', 'u.name as unit', 'h.room']).where('r.status', '=', 'active').orderBy('r.id').execute();

const GROUP_ROLES = ['grid_worker', 'grid_chief', 'community_staff', 'department_handler', 'volunteer', 'building_head', 'unit_head'] as const;

/** Active role assignments of the people who belong in groups, with their accounts. */
export const groupStaff = (db: Kysely<DB>) =>
  db.selectFrom('role_assignments as ra').innerJoin('users as u', 'u.id', 'ra.user_id')
    .select(['u.id as user_id', 'u.username', 'u.display_name', 'ra.role', 'ra.node_id', 'ra.department_id'])
    .where('ra.ended_at', 'is', null).where('ra.role', 'in', [...GROUP_ROLES]).orderBy('ra.id').execute();

/** Members in multi-row inserts, chunked under PostgreSQL's parameter limit. */
export async function insertMembers(db: Kysely<DB>, rows: Insertable<GroupMembersTable>[], chunk = 2000): Promise<number> {
  for (let i = 0; i < rows.length; i += chunk) await db.insertInto('group_members').values(rows.slice(i, i + chunk)).execute();
  return rows.length;
}

// ---- the chatter stream ----

/** Active groups with the grid's names: where a message may be posted. */
export const chatterGroups = (db: Kysely<DB>) =>
  db.selectFrom('online_groups as g').innerJoin('nodes as n', 'n.id', 'g.grid_id').leftJoin('nodes as c', 'c.id', 'n.parent_id')
    .select(['g.id', 'g.grid_id', 'g.external_id', 'g.name', 'n.kind', 'n.estate_name', 'n.name as grid_name', 'c.name as community_name'])
    .where('g.status', '=', 'active').where('n.status', '=', 'active').orderBy('g.id').execute();

/** A group's current members, with the dwelling of those linked to a resident and whether one is the grid's worker. */
export const groupVoices = (db: Kysely<DB>, groupId: number, gridId: number) =>
  db.selectFrom('group_members as m').leftJoin('residents as r', 'r.id', 'm.resident_id').leftJoin('households as h', 'h.id', 'r.household_id')
    .leftJoin('units as u', 'u.id', 'h.unit_id').leftJoin('buildings as b', 'b.id', 'h.building_id')
    .select((eb) => ['m.external_user_id', 'm.display_name', 'm.resident_id', 'm.user_id', 'b.name as building', 'u.name as unit', 'h.room',
      eb.exists(eb.selectFrom('role_assignments as ra').select('ra.id').whereRef('ra.user_id', '=', 'm.user_id').where('ra.role', '=', 'grid_worker')
        .where('ra.node_id', '=', gridId).where('ra.ended_at', 'is', null)).as('worker')])
    .where('m.group_id', '=', groupId).where('m.left_at', 'is', null).orderBy('m.id').execute();

/** The grid's buildings with their postal addresses (streets and estates come from them). */
export const gridBuildings = (db: Kysely<DB>, gridId: number) =>
  db.selectFrom('buildings').select(['name', 'address']).where('grid_id', '=', gridId).orderBy('id').execute();

/** The stream's latest run, whatever its status. */
export const latestChatterJob = (db: Kysely<DB>, kind: string) =>
  db.selectFrom('jobs').select(['id', 'status', 'payload']).where('kind', '=', kind).orderBy('id', 'desc').limit(1).executeTakeFirst();
