import type { Kysely } from 'kysely';
import type { VolunteerState } from '../../core/vocabulary.ts';
import type { DB } from '../../db/schema.ts';

/** Volunteer hours (志愿服务时长) waiting for, or signed off by, an approver. */

export type HoursRow = NonNullable<Awaited<ReturnType<typeof hoursById>>>;

const columns = [
  'h.id', 'h.resident_id', 'h.activity', 'h.served_on', 'h.minutes', 'h.state', 'h.recorded_by', 'h.decided_by', 'h.decided_at', 'h.reason', 'h.transfer_id', 'h.created_at',
  'r.name as resident_name', 'g.name as grid_name', 'g.path as grid_path', 'ru.display_name as recorder_name', 'du.display_name as decider_name', 't.amount as points',
] as const;

const joined = (db: Kysely<DB>) =>
  db.selectFrom('volunteer_hours as h').innerJoin('residents as r', 'r.id', 'h.resident_id').innerJoin('nodes as g', 'g.id', 'r.grid_id')
    .leftJoin('users as ru', 'ru.id', 'h.recorded_by').leftJoin('users as du', 'du.id', 'h.decided_by')
    .leftJoin('point_transfers as t', 't.id', 'h.transfer_id');

export const hoursById = (db: Kysely<DB>, id: number) => joined(db).select(columns).where('h.id', '=', id).executeTakeFirst();
export const lockHours = (db: Kysely<DB>, id: number) => db.selectFrom('volunteer_hours').selectAll().where('id', '=', id).forNoKeyUpdate().executeTakeFirst();

export const insertHours = (db: Kysely<DB>, row: { residentId: number; activity: string; servedOn: string; minutes: number; recordedBy: number | null; at: Date }) =>
  db.insertInto('volunteer_hours').values({
    resident_id: row.residentId, activity: row.activity, served_on: row.servedOn, minutes: row.minutes, recorded_by: row.recordedBy, created_at: row.at,
  }).returning('id').executeTakeFirstOrThrow();

export const decideHours = (db: Kysely<DB>, id: number, patch: { state: Exclude<VolunteerState, 'pending'>; by: number | null; at: Date; reason: string; transferId: number | null }) =>
  db.updateTable('volunteer_hours').set({ state: patch.state, decided_by: patch.by, decided_at: patch.at, reason: patch.reason, transfer_id: patch.transferId })
    .where('id', '=', id).where('state', '=', 'pending').executeTakeFirst();

/** Hours of the residents under any of the paths, pending first then newest. */
export const hoursUnder = (db: Kysely<DB>, paths: readonly string[], q: { state?: VolunteerState; limit: number }) => {
  if (paths.length === 0) return Promise.resolve([]);
  let query = joined(db).select(columns).where((eb) => eb.or(paths.map((p) => eb('g.path', 'like', `${p}%`))));
  if (q.state) query = query.where('h.state', '=', q.state);
  return query.orderBy('h.id', 'desc').limit(q.limit).execute();
};

export const hoursOfResident = (db: Kysely<DB>, residentId: number, limit: number) =>
  joined(db).select(columns).where('h.resident_id', '=', residentId).orderBy('h.served_on', 'desc').orderBy('h.id', 'desc').limit(limit).execute();

/** The resident and the path of their grid, for the recorder's and the approver's scope. */
export const residentPlace = (db: Kysely<DB>, residentId: number) =>
  db.selectFrom('residents as r').innerJoin('nodes as g', 'g.id', 'r.grid_id').select(['r.id', 'r.name', 'r.status', 'g.path as grid_path'])
    .where('r.id', '=', residentId).executeTakeFirst();
