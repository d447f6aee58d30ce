import { type Insertable, type Kysely, sql } from 'kysely';
import type { Assignment } from '../../core/scope.ts';
import type { DB, UsersTable } from '../../db/schema.ts';
import type { Role } from '../../core/vocabulary.ts';

export const findUserByUsername = (db: Kysely<DB>, username: string) =>
  db.selectFrom('users').selectAll().where(sql`lower(username)`, '=', username.toLowerCase()).executeTakeFirst();

export const findUserById = (db: Kysely<DB>, id: number) => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();

export const insertUser = (db: Kysely<DB>, row: Pick<Insertable<UsersTable>, 'username' | 'display_name' | 'password_hash' | 'phone_hash' | 'phone_enc' | 'phone_masked'>) =>
  db.insertInto('users').values(row).returning('id').executeTakeFirstOrThrow();

export async function loadAssignments(db: Kysely<DB>, userId: number): Promise<Assignment[]> {
  const rows = await db
    .selectFrom('role_assignments as r')
    .innerJoin('nodes as n', 'n.id', 'r.node_id')
    .select(['r.id', 'r.role', 'r.node_id', 'n.path', 'r.board_id', 'r.post_id', 'r.department_id', 'r.building_id', 'r.unit_id', 'r.ab_slot', 'r.employment'])
    .where('r.user_id', '=', userId)
    .where('r.ended_at', 'is', null)
    .orderBy('r.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    role: r.role,
    nodeId: r.node_id,
    nodePath: r.path,
    boardId: r.board_id,
    postId: r.post_id,
    departmentId: r.department_id,
    buildingId: r.building_id,
    unitId: r.unit_id,
    abSlot: r.ab_slot,
    employment: r.employment,
  }));
}

export const updateUser = (db: Kysely<DB>, id: number, patch: { display_name?: string; status?: 'active' | 'disabled'; password_hash?: string }) =>
  db.updateTable('users').set(patch).where('id', '=', id).execute();

export const deleteSessionsOf = (db: Kysely<DB>, userId: number) => db.deleteFrom('sessions').where('user_id', '=', userId).execute();

/** The tree paths of every role a user holds or held (ended ones included). */
export const assignmentPathsOf = (db: Kysely<DB>, userId: number) =>
  db.selectFrom('role_assignments as r').innerJoin('nodes as n', 'n.id', 'r.node_id').select('n.path').where('r.user_id', '=', userId).execute();

/** The active role assignments of the users, in id order. */
export const activeAssignmentsOf = (db: Kysely<DB>, userIds: number[]) =>
  userIds.length === 0 ? Promise.resolve([]) : db.selectFrom('role_assignments').selectAll().where('user_id', 'in', userIds).where('ended_at', 'is', null).orderBy('id').execute();

export const findActiveAssignment = (db: Kysely<DB>, userId: number, id: number) =>
  db.selectFrom('role_assignments as r').innerJoin('nodes as n', 'n.id', 'r.node_id').select(['r.id', 'r.role', 'n.path'])
    .where('r.id', '=', id).where('r.user_id', '=', userId).where('r.ended_at', 'is', null).executeTakeFirst();

export const findActiveGridChief = (db: Kysely<DB>, nodeId: number, slot: 'A' | 'B') =>
  db.selectFrom('role_assignments').select('id').where('role', '=', 'grid_chief').where('node_id', '=', nodeId).where('ab_slot', '=', slot).where('ended_at', 'is', null).executeTakeFirst();

export const insertSession = (db: Kysely<DB>, row: { id: string; userId: number; expiresAt: Date; ip: string; userAgent: string | null }) =>
  db.insertInto('sessions').values({ id: row.id, user_id: row.userId, expires_at: row.expiresAt, ip: row.ip, user_agent: row.userAgent }).execute();

export const findLiveSession = (db: Kysely<DB>, id: string) =>
  db.selectFrom('sessions').select(['id', 'user_id']).where('id', '=', id).where('expires_at', '>', new Date()).executeTakeFirst();

export const deleteSession = (db: Kysely<DB>, id: string) => db.deleteFrom('sessions').where('id', '=', id).execute();

export const findLiveToken = (db: Kysely<DB>, tokenHash: string) =>
  db.selectFrom('api_tokens').select(['id', 'user_id']).where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).executeTakeFirst();

export const touchToken = (db: Kysely<DB>, id: number) => db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', id).execute();

export const insertToken = (db: Kysely<DB>, userId: number, name: string, tokenHash: string) =>
  db.insertInto('api_tokens').values({ user_id: userId, name, token_hash: tokenHash }).returning(['id', 'name', 'created_at']).executeTakeFirstOrThrow();

export const revokeToken = (db: Kysely<DB>, userId: number, id: number) =>
  db.updateTable('api_tokens').set({ revoked_at: new Date() }).where('id', '=', id).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();

export const listTokens = (db: Kysely<DB>, userId: number) =>
  db.selectFrom('api_tokens').select(['id', 'name', 'created_at', 'last_used_at']).where('user_id', '=', userId).where('revoked_at', 'is', null).orderBy('id').execute();

export interface NewAssignment {
  role: Role;
  nodeId: number;
  boardId?: number | null;
  postId?: number | null;
  departmentId?: number | null;
  buildingId?: number | null;
  unitId?: number | null;
  abSlot?: 'A' | 'B' | null;
  employment?: 'full_time' | 'part_time' | null;
}

export const insertAssignment = (db: Kysely<DB>, userId: number, a: NewAssignment) =>
  db
    .insertInto('role_assignments')
    .values({
      user_id: userId,
      role: a.role,
      node_id: a.nodeId,
      board_id: a.boardId ?? null,
      post_id: a.postId ?? null,
      department_id: a.departmentId ?? null,
      building_id: a.buildingId ?? null,
      unit_id: a.unitId ?? null,
      ab_slot: a.abSlot ?? null,
      employment: a.employment ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

export const endAssignment = (db: Kysely<DB>, userId: number, id: number) =>
  db.updateTable('role_assignments').set({ ended_at: new Date() }).where('id', '=', id).where('user_id', '=', userId).where('ended_at', 'is', null).executeTakeFirst();

/** Users holding an active role anywhere under one of the path prefixes, keyset-paginated by id. */
export function listUsersUnder(db: Kysely<DB>, prefixes: string[], q: { role?: Role; nodeId?: number; search?: string; afterId?: number; limit: number }) {
  let query = db
    .selectFrom('users as u')
    .select(['u.id', 'u.username', 'u.display_name', 'u.phone_masked', 'u.status', 'u.created_at'])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('role_assignments as r')
          .innerJoin('nodes as n', 'n.id', 'r.node_id')
          .select('r.id')
          .whereRef('r.user_id', '=', 'u.id')
          // Ended roles keep a person visible to the administrators who managed them; a role filter means an active role.
          .$if(q.role !== undefined || q.nodeId !== undefined, (w) => w.where('r.ended_at', 'is', null))
          .where((w) => w.or(prefixes.map((p) => w('n.path', 'like', `${p}%`))))
          .$if(q.role !== undefined, (w) => w.where('r.role', '=', q.role as Role)) // guarded by $if
          .$if(q.nodeId !== undefined, (w) => w.where('r.node_id', '=', q.nodeId as number)), // guarded by $if
      ),
    )
    .orderBy('u.id')
    .limit(q.limit + 1);
  if (q.search) query = query.where((eb) => eb.or([eb('u.display_name', 'like', `%${q.search}%`), eb('u.username', 'like', `%${q.search}%`)]));
  if (q.afterId) query = query.where('u.id', '>', q.afterId);
  return query.execute();
}
