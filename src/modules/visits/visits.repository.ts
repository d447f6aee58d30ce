import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

function visitsWithVisitor(db: Kysely<DB>) {
  return db.selectFrom('visits').innerJoin('users', 'users.id', 'visits.user_id')
    .select(['visits.id', 'visits.grid_id', 'visits.at', 'visits.note', 'visits.user_id', 'users.display_name']);
}

export type VisitRow = NonNullable<Awaited<ReturnType<typeof getVisit>>>;

export const getVisit = (db: Kysely<DB>, id: number) => visitsWithVisitor(db).where('visits.id', '=', id).executeTakeFirst();

/** A grid's visits in [from, to), newest first, one keyset page (limit + 1 rows) after (at, id). */
export function listVisits(db: Kysely<DB>, q: { gridId: number; from?: Date; to?: Date; limit: number; after?: { at: Date; id: number } }) {
  let query = visitsWithVisitor(db).where('visits.grid_id', '=', q.gridId);
  if (q.from) query = query.where('visits.at', '>=', q.from);
  if (q.to) query = query.where('visits.at', '<', q.to);
  const after = q.after;
  if (after) query = query.where((eb) => eb.or([eb('visits.at', '<', after.at), eb.and([eb('visits.at', '=', after.at), eb('visits.id', '<', after.id)])]));
  return query.orderBy('visits.at', 'desc').orderBy('visits.id', 'desc').limit(q.limit + 1).execute();
}

export const findByClientId = (db: Kysely<DB>, clientId: string) => db.selectFrom('visits').select(['id', 'user_id']).where('client_id', '=', clientId).executeTakeFirst();

export const householdsByIds = (db: Kysely<DB>, ids: number[]) => db.selectFrom('households').select(['id', 'grid_id']).where('id', 'in', ids).execute();

export const insertVisit = (db: Kysely<DB>, row: { gridId: number; userId: number; at: Date; note: string; clientId: string | null }) =>
  db.insertInto('visits').values({ grid_id: row.gridId, user_id: row.userId, at: row.at, note: row.note, client_id: row.clientId }).returning('id').executeTakeFirstOrThrow();

export const insertVisitHouseholds = (db: Kysely<DB>, visitId: number, householdIds: number[]) =>
  db.insertInto('visit_households').values(householdIds.map((h) => ({ visit_id: visitId, household_id: h }))).execute();

export const insertVisitPhotos = (db: Kysely<DB>, visitId: number, hashes: string[]) =>
  db.insertInto('visit_photos').values(hashes.map((h, i) => ({ visit_id: visitId, file_hash: h, position: i }))).execute();

/** The households called on in the visits, with their building's name. */
export const visitedHouseholds = (db: Kysely<DB>, visitIds: number[]) =>
  visitIds.length === 0 ? Promise.resolve([]) : db.selectFrom('visit_households').innerJoin('households', 'households.id', 'visit_households.household_id')
    .leftJoin('buildings', 'buildings.id', 'households.building_id')
    .select(['visit_households.visit_id', 'households.id', 'households.room', 'households.building_id', 'buildings.name as building_name'])
    .where('visit_households.visit_id', 'in', visitIds).orderBy('households.id').execute();

export const visitPhotos = (db: Kysely<DB>, visitIds: number[]) =>
  visitIds.length === 0 ? Promise.resolve([]) : db.selectFrom('visit_photos').selectAll().where('visit_id', 'in', visitIds).orderBy('position').execute();
