import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { NodeLevel } from '../../core/vocabulary.ts';

/** What the online grid reads of the tree and the reference data: nodes, buildings, categories, residents, users. */

export const getNodeByPath = (db: Kysely<DB>, path: string) => db.selectFrom('nodes').select(['id', 'path', 'name', 'level']).where('path', '=', path).executeTakeFirst();
export const listNodes = (db: Kysely<DB>, ids: number[]) => (ids.length ? db.selectFrom('nodes').select(['id', 'path', 'name']).where('id', 'in', ids).execute() : Promise.resolve([]));

/** Active nodes of the levels in the subtree, in path order. */
export const listActiveNodesUnder = (db: Kysely<DB>, path: string, levels: NodeLevel[]) =>
  db.selectFrom('nodes').select(['id', 'path', 'name', 'level']).where('path', 'like', `${path}%`).where('status', '=', 'active')
    .where('level', 'in', levels).orderBy('path').execute();

export const listActiveBuildings = (db: Kysely<DB>, gridId: number) =>
  db.selectFrom('buildings').select(['id', 'name']).where('grid_id', '=', gridId).where('status', '=', 'active').execute();

export const getCategoryByCode = (db: Kysely<DB>, code: string) => db.selectFrom('categories').select(['id', 'code', 'status']).where('code', '=', code).executeTakeFirst();

/** A resident with where they live: the grid's path and their building and unit, for the resident read policy. */
export const getResidentPlace = (db: Kysely<DB>, id: number) =>
  db.selectFrom('residents as r').innerJoin('nodes as n', 'n.id', 'r.grid_id').leftJoin('households as h', 'h.id', 'r.household_id')
    .select(['r.id', 'n.path', 'h.building_id', 'h.unit_id']).where('r.id', '=', id).executeTakeFirst();

export const getUser = (db: Kysely<DB>, id: number) => db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst();

/** The tree paths of a user's active roles (a department's or a post's role sits on its node). */
export const activeRolePathsOf = (db: Kysely<DB>, userId: number) =>
  db.selectFrom('role_assignments as r').innerJoin('nodes as n', 'n.id', 'r.node_id').select('n.path').where('r.user_id', '=', userId).where('r.ended_at', 'is', null).execute();
