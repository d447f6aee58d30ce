import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** A node with its parent's code, for exporting a subtree as GeoJSON. */
export const subtreeWithParents = (db: Kysely<DB>, path: string) =>
  db
    .selectFrom('nodes as n')
    .leftJoin('nodes as p', 'p.id', 'n.parent_id')
    .select(['n.id', 'n.level', 'n.code', 'n.name', 'n.kind', 'n.estate_type', 'n.estate_name', 'n.status', 'n.boundary', 'p.code as parent_code'])
    .where('n.path', 'like', `${path}%`)
    .orderBy('n.code')
    .execute();

export const getNodeWithParentCode = (db: Kysely<DB>, code: string) =>
  db
    .selectFrom('nodes as n')
    .leftJoin('nodes as p', 'p.id', 'n.parent_id')
    .select(['n.id', 'n.level', 'n.code', 'n.name', 'n.path', 'n.kind', 'n.estate_type', 'n.estate_name', 'n.status', 'n.boundary', 'p.code as parent_code'])
    .where('n.code', '=', code)
    .executeTakeFirst();

export const listGridHouseholds = (db: Kysely<DB>, gridId: number) =>
  db.selectFrom('households').select(['id', 'building_id', 'unit_id', 'room', 'population']).where('grid_id', '=', gridId).execute();

/**
 * Active residents under a subtree, within the reader's scope prefixes. Only the masked numbers are
 * selected: the sealed ones never leave through an export.
 */
export const residentsForExport = (db: Kysely<DB>, q: { under: string; prefixes: string[]; afterId: number; limit: number }) =>
  db
    .selectFrom('residents as r')
    .innerJoin('nodes as n', 'n.id', 'r.grid_id')
    .leftJoin('households as h', 'h.id', 'r.household_id')
    .leftJoin('buildings as b', 'b.id', 'h.building_id')
    .leftJoin('units as u', 'u.id', 'h.unit_id')
    .select(['r.id', 'n.code as grid_code', 'b.name as building', 'u.name as unit', 'h.room', 'h.population',
      'r.name', 'r.gender', 'r.birth_date', 'r.phone_masked', 'r.id_number_masked'])
    .where('n.path', 'like', `${q.under}%`)
    .where((eb) => eb.or(q.prefixes.map((p) => eb('n.path', 'like', `${p}%`))))
    .where('r.status', '=', 'active')
    .where('r.id', '>', q.afterId)
    .orderBy('r.id')
    .limit(q.limit)
    .execute();

/** Active role assignments on nodes of a subtree, with their accounts (phone masked). */
export const staffForExport = (db: Kysely<DB>, under: string) =>
  db
    .selectFrom('role_assignments as a')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .innerJoin('nodes as n', 'n.id', 'a.node_id')
    .select(['u.username', 'u.display_name', 'u.phone_masked', 'a.role', 'n.code', 'a.ab_slot', 'a.employment'])
    .where('a.ended_at', 'is', null)
    .where('n.path', 'like', `${under}%`)
    .orderBy('u.username')
    .orderBy('a.id')
    .execute();
