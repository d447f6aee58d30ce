import { type Kysely, sql } from 'kysely';
import type { DB, GroupMembersTable } from '../../db/schema.ts';
import type { Platform } from '../../core/vocabulary.ts';

/** Online groups and their members (实名): plain queries for the online grid's services. */

export const groupWithGrid = (db: Kysely<DB>, id: number) =>
  db.selectFrom('online_groups as g').innerJoin('nodes as n', 'n.id', 'g.grid_id')
    .select(['g.id', 'g.grid_id', 'g.external_id', 'g.name', 'g.status', 'g.platform', 'n.path', 'n.name as grid_name']).where('g.id', '=', id).executeTakeFirst();

/** Active groups by their external ids, on any platform. */
export const activeGroupsByExternal = (db: Kysely<DB>, externalIds: string[]) =>
  db.selectFrom('online_groups').select(['id', 'grid_id', 'external_id', 'platform']).where('external_id', 'in', externalIds).where('status', '=', 'active').execute();

export const groupByExternal = (db: Kysely<DB>, platform: Platform, externalId: string) =>
  db.selectFrom('online_groups').select('id').where('external_id', '=', externalId).where('platform', '=', platform).executeTakeFirst();

export const setGroupExternalId = (db: Kysely<DB>, id: number, externalId: string) =>
  db.updateTable('online_groups').set({ external_id: externalId }).where('id', '=', id).execute();

/** The current members of the groups. */
export const currentMembers = (db: Kysely<DB>, groupIds: number[]) =>
  db.selectFrom('group_members').select(['id', 'group_id', 'external_user_id', 'display_name']).where('group_id', 'in', groupIds).where('left_at', 'is', null).execute();

/** A group's members, past ones included, with the name of the staff account a member is linked to. */
export const listMembers = (db: Kysely<DB>, groupId: number) =>
  db.selectFrom('group_members as m').leftJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.id', 'm.group_id', 'm.external_user_id', 'm.display_name', 'm.resident_id', 'm.user_id', 'm.joined_at', 'm.left_at', 'u.display_name as user_name'])
    .where('m.group_id', '=', groupId).orderBy('m.id').execute();

/** Adds a member, or (same chat id in the group) relinks it and brings it back if it had left. */
export const upsertMember = (db: Kysely<DB>, row: Pick<GroupMembersTable, 'group_id' | 'external_user_id' | 'display_name' | 'resident_id' | 'user_id'>) =>
  db.insertInto('group_members').values(row).onConflict((oc) => oc.columns(['group_id', 'external_user_id']).doUpdateSet({
    display_name: row.display_name, resident_id: row.resident_id, user_id: row.user_id, left_at: null,
  })).returningAll().executeTakeFirstOrThrow();

export const getMemberResident = (db: Kysely<DB>, memberId: number) => db.selectFrom('group_members').select(['resident_id']).where('id', '=', memberId).executeTakeFirst();

export interface CoverageRow {
  group_id: number; group_name: string; grid_id: number; grid_name: string; grid_path: string; members: number; real_name: number;
  worker: boolean; chief: boolean; departments: { id: number; name: string }[] | null;
}

/** Per active group under the path: current and real-name members, and whether the grid's worker, chief and departments are in it. */
export async function coverageRows(db: Kysely<DB>, path: string): Promise<CoverageRow[]> {
  const { rows } = await sql<CoverageRow>`
    select g.id as group_id, g.name as group_name, n.id as grid_id, n.name as grid_name, n.path as grid_path,
      (select count(*)::int from group_members m where m.group_id = g.id and m.left_at is null) as members,
      (select count(*)::int from group_members m where m.group_id = g.id and m.left_at is null and (m.resident_id is not null or m.user_id is not null)) as real_name,
      exists (select 1 from group_members m join role_assignments ra on ra.user_id = m.user_id and ra.ended_at is null
              where m.group_id = g.id and m.left_at is null and ra.role = 'grid_worker' and ra.node_id = g.grid_id) as worker,
      exists (select 1 from group_members m join role_assignments ra on ra.user_id = m.user_id and ra.ended_at is null
              where m.group_id = g.id and m.left_at is null and ra.role = 'grid_chief' and ra.node_id = g.grid_id) as chief,
      (select json_agg(distinct jsonb_build_object('id', d.id, 'name', d.name))
         from group_members m join role_assignments ra on ra.user_id = m.user_id and ra.ended_at is null
         join departments d on d.id = ra.department_id
        where m.group_id = g.id and m.left_at is null and ra.role = 'department_handler') as departments
    from online_groups g join nodes n on n.id = g.grid_id
    where g.status = 'active' and n.status = 'active' and n.path like ${`${path}%`}
    order by n.path, g.id`.execute(db);
  return rows;
}
