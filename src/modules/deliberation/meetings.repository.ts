import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { AttendanceVia, ItemKind, ItemState, MeetingKind, MeetingState } from '../../core/vocabulary.ts';

/** All SQL of meetings (议事会), grid stations (网格驿站), attendance and the pending-items log (三事分流工作日志). */

export const nodeById = (db: Kysely<DB>, id: number) =>
  db.selectFrom('nodes').select(['id', 'path', 'level', 'name']).where('id', '=', id).executeTakeFirst();

// ---- stations ----
export const insertStation = (db: Kysely<DB>, v: { node_id: number; name: string; brand: string; address: string }) =>
  db.insertInto('grid_stations').values(v).returning('id').executeTakeFirstOrThrow();
export const stationsUnder = (db: Kysely<DB>, path: string) =>
  db.selectFrom('grid_stations as s').innerJoin('nodes as n', 'n.id', 's.node_id')
    .select(['s.id', 's.node_id', 'n.name as node_name', 'n.path as node_path', 's.name', 's.brand', 's.address', 's.created_at'])
    .where('n.path', 'like', `${path}%`).orderBy('s.id').execute();
export const stationById = (db: Kysely<DB>, id: number) =>
  db.selectFrom('grid_stations as s').innerJoin('nodes as n', 'n.id', 's.node_id')
    .select(['s.id', 's.node_id', 'n.name as node_name', 'n.path as node_path', 's.name', 's.brand', 's.address', 's.created_at'])
    .where('s.id', '=', id).executeTakeFirst();
export type StationRow = NonNullable<Awaited<ReturnType<typeof stationById>>>;

// ---- meetings ----
export const insertMeeting = (db: Kysely<DB>, v: {
  node_id: number; node_path: string; topic_id: number | null; station_id: number | null; kind: MeetingKind; title: string; place: string;
  starts_at: Date | string; created_by: number | null; created_at: Date;
}) => db.insertInto('deliberation_meetings').values(v).returning('id').executeTakeFirstOrThrow();

export const meetingById = (db: Kysely<DB>, id: number) =>
  db.selectFrom('deliberation_meetings as m').innerJoin('nodes as n', 'n.id', 'm.node_id').selectAll('m').select('n.name as node_name')
    .where('m.id', '=', id).executeTakeFirst();
export type MeetingRow = NonNullable<Awaited<ReturnType<typeof meetingById>>>;

export const lockMeeting = (db: Kysely<DB>, id: number) =>
  db.selectFrom('deliberation_meetings').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export function listMeetings(db: Kysely<DB>, q: { paths: string[]; state?: MeetingState; after?: { at: Date; id: number }; limit: number }) {
  let query = db.selectFrom('deliberation_meetings as m').innerJoin('nodes as n', 'n.id', 'm.node_id').selectAll('m').select('n.name as node_name')
    .where((eb) => eb.or(q.paths.map((p) => eb('m.node_path', 'like', `${p}%`))));
  if (q.state) query = query.where('m.state', '=', q.state);
  const after = q.after;
  if (after) query = query.where((eb) => eb.or([eb('m.starts_at', '<', after.at), eb.and([eb('m.starts_at', '=', after.at), eb('m.id', '<', after.id)])]));
  return query.orderBy('m.starts_at', 'desc').orderBy('m.id', 'desc').limit(q.limit + 1).execute();
}

export const setMeeting = (db: Kysely<DB>, id: number, v: { state?: MeetingState; checkin_code?: string | null; checkin_failures?: number; opened_at?: Date; closed_at?: Date; minutes?: string }) =>
  db.updateTable('deliberation_meetings').set(v).where('id', '=', id).execute();

// ---- agenda ----
export const insertAgenda = (db: Kysely<DB>, rows: { meeting_id: number; position: number; title: string; topic_id: number | null; item_id: number | null }[]) =>
  rows.length ? db.insertInto('meeting_agenda').values(rows).execute() : Promise.resolve([]);
export const agendaOf = (db: Kysely<DB>, meetingId: number) =>
  db.selectFrom('meeting_agenda as a').leftJoin('pending_items as p', 'p.id', 'a.item_id')
    .select(['a.id', 'a.position', 'a.title', 'a.topic_id', 'a.item_id', 'a.outcome', 'a.state_after', 'p.state as item_state'])
    .where('a.meeting_id', '=', meetingId).orderBy('a.position').execute();
export const agendaItem = (db: Kysely<DB>, meetingId: number, id: number) =>
  db.selectFrom('meeting_agenda').selectAll().where('meeting_id', '=', meetingId).where('id', '=', id).executeTakeFirst();
export const setAgendaOutcome = (db: Kysely<DB>, id: number, v: { outcome: string; state_after: ItemState | null }) =>
  db.updateTable('meeting_agenda').set(v).where('id', '=', id).execute();

// ---- attendance ----
export const insertAttendee = (db: Kysely<DB>, v: { meeting_id: number; resident_id: number | null; user_id: number | null; name: string; via: AttendanceVia; recorded_by: number | null; at: Date }) =>
  db.insertInto('meeting_attendees').values(v).returning('id').executeTakeFirstOrThrow();
export function findAttendee(db: Kysely<DB>, meetingId: number, who: { residentId: number | null; userId: number | null }) {
  let q = db.selectFrom('meeting_attendees').selectAll().where('meeting_id', '=', meetingId);
  q = who.residentId !== null ? q.where('resident_id', '=', who.residentId) : q.where('resident_id', 'is', null).where('user_id', '=', who.userId);
  return q.executeTakeFirst();
}
export type AttendeeRow = NonNullable<Awaited<ReturnType<typeof findAttendee>>>;
export const attendeesOf = (db: Kysely<DB>, meetingId: number) =>
  db.selectFrom('meeting_attendees').selectAll().where('meeting_id', '=', meetingId).orderBy('id').execute();

// ---- pending items ----
export const insertItem = (db: Kysely<DB>, v: {
  node_id: number; node_path: string; title: string; kind: ItemKind; owner: string; department_id: number | null; topic_id: number | null;
  matter_id: number | null; raised_at_meeting: number | null; created_by: number | null; created_at: Date; updated_at: Date;
}) => db.insertInto('pending_items').values(v).returning('id').executeTakeFirstOrThrow();
export const itemById = (db: Kysely<DB>, id: number) => db.selectFrom('pending_items').selectAll().where('id', '=', id).executeTakeFirst();
export type ItemRow = NonNullable<Awaited<ReturnType<typeof itemById>>>;
export const lockItem = (db: Kysely<DB>, id: number) => db.selectFrom('pending_items').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
export const setItem = (db: Kysely<DB>, id: number, v: { state: ItemState; owner?: string; updated_at: Date }) =>
  db.updateTable('pending_items').set(v).where('id', '=', id).execute();
/** The open and doing items of a subtree, oldest first: the log a meeting works through. */
export const openItemsUnder = (db: Kysely<DB>, path: string) =>
  db.selectFrom('pending_items').select(['id', 'title']).where('node_path', 'like', `${path}%`).where('state', 'in', ['open', 'doing']).orderBy('id').execute();
export function listItems(db: Kysely<DB>, q: { path: string; state?: ItemState; afterId?: number; limit: number }) {
  let query = db.selectFrom('pending_items').selectAll().where('node_path', 'like', `${q.path}%`);
  if (q.state) query = query.where('state', '=', q.state);
  if (q.afterId !== undefined) query = query.where('id', '<', q.afterId);
  return query.orderBy('id', 'desc').limit(q.limit + 1).execute();
}

export const userName = (db: Kysely<DB>, id: number) => db.selectFrom('users').select('display_name').where('id', '=', id).executeTakeFirst();
export const residentUnder = (db: Kysely<DB>, id: number) =>
  db.selectFrom('residents as r').innerJoin('nodes as g', 'g.id', 'r.grid_id').select(['r.id', 'r.name', 'r.user_id', 'g.path as grid_path'])
    .where('r.id', '=', id).where('r.status', '=', 'active').executeTakeFirst();

/** Counts a wrong check-in code against the meeting, in its own statement; the code is void at `max` wrong ones. */
export const countWrongCode = (db: Kysely<DB>, id: number, max: number) =>
  db.updateTable('deliberation_meetings').set((eb) => ({
    checkin_failures: eb('checkin_failures', '+', 1),
    checkin_code: sql<string | null>`case when checkin_failures + 1 >= ${max} then null else checkin_code end`,
  })).where('id', '=', id).where('checkin_code', 'is not', null).execute();
