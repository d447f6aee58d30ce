import type { Kysely } from 'kysely';
import type { Insertable } from 'kysely';
import type { DB, ResidentsTable } from '../../db/schema.ts';
import type { ResidentScope } from './people.policy.ts';

const residentColumns = ['r.id', 'r.grid_id', 'r.household_id', 'r.user_id', 'r.name', 'r.gender', 'r.birth_date', 'r.phone_masked', 'r.id_number_masked',
  'r.status', 'r.created_at', 'n.path as grid_path', 'n.name as grid_name', 'h.building_id', 'h.unit_id', 'h.room'] as const;

function residentsBase(db: Kysely<DB>) {
  return db.selectFrom('residents as r').innerJoin('nodes as n', 'n.id', 'r.grid_id').leftJoin('households as h', 'h.id', 'r.household_id');
}

export const getResident = (db: Kysely<DB>, id: number) => residentsBase(db).select(residentColumns).where('r.id', '=', id).executeTakeFirst();

export const getSealed = (db: Kysely<DB>, id: number) =>
  db.selectFrom('residents').select(['id', 'phone_enc', 'id_number_enc']).where('id', '=', id).executeTakeFirst();

export interface ResidentQuery {
  scope: ResidentScope;
  under?: string;
  gridId?: number;
  householdId?: number;
  phoneHash?: string;
  idNumberHash?: string;
  name?: string;
  afterId?: number;
  limit: number;
}

export function listResidents(db: Kysely<DB>, q: ResidentQuery) {
  let query = residentsBase(db)
    .select(residentColumns)
    .where((eb) =>
      eb.or([
        ...q.scope.prefixes.map((p) => eb('n.path', 'like', `${p}%`)),
        ...(q.scope.buildingIds.length ? [eb('h.building_id', 'in', q.scope.buildingIds)] : []),
        ...(q.scope.unitIds.length ? [eb('h.unit_id', 'in', q.scope.unitIds)] : []),
      ]),
    )
    .orderBy('r.id')
    .limit(q.limit + 1);
  if (q.under) query = query.where('n.path', 'like', `${q.under}%`);
  if (q.gridId) query = query.where('r.grid_id', '=', q.gridId);
  if (q.householdId) query = query.where('r.household_id', '=', q.householdId);
  if (q.phoneHash) query = query.where('r.phone_hash', '=', q.phoneHash);
  if (q.idNumberHash) query = query.where('r.id_number_hash', '=', q.idNumberHash);
  if (q.name) query = query.where('r.name', 'like', `%${q.name}%`);
  if (q.afterId) query = query.where('r.id', '>', q.afterId);
  return query.execute();
}

export const insertResident = (db: Kysely<DB>, row: Insertable<ResidentsTable>) => db.insertInto('residents').values(row).returning('id').executeTakeFirstOrThrow();

export const updateResident = (db: Kysely<DB>, id: number, patch: Partial<Insertable<ResidentsTable>>) => db.updateTable('residents').set(patch).where('id', '=', id).execute();

export const findResidentByIdHash = (db: Kysely<DB>, hash: string) => db.selectFrom('residents').select('id').where('id_number_hash', '=', hash).executeTakeFirst();
