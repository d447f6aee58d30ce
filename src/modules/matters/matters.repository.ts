import { type Insertable, type Kysely, sql, type Updateable } from 'kysely';
import type { DB, MatterAssignmentsTable, MatterEventsTable, MattersTable, MatterStatus } from '../../db/schema.ts';

export const lockMatter = (db: Kysely<DB>, id: number) => db.selectFrom('matters').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
export const getMatter = (db: Kysely<DB>, id: number) => db.selectFrom('matters').selectAll().where('id', '=', id).executeTakeFirst();
export const getMatterByCode = (db: Kysely<DB>, code: string) => db.selectFrom('matters').selectAll().where('code', '=', code).executeTakeFirst();

export async function insertMatter(db: Kysely<DB>, row: Omit<Insertable<MattersTable>, 'code'>, codeDay: string) {
  const { id } = await db.insertInto('matters').values({ ...row, code: `pending-${Date.now()}-${Math.random()}` }).returning('id').executeTakeFirstOrThrow();
  // The public code carries the report day and the id: SJ20261121-000042.
  const code = `SJ${codeDay.replaceAll('-', '')}-${String(id).padStart(6, '0')}`;
  return db.updateTable('matters').set({ code }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export const updateMatter = (db: Kysely<DB>, id: number, patch: Updateable<MattersTable>) =>
  db.updateTable('matters').set({ ...patch, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();

export const insertEvent = (db: Kysely<DB>, row: Insertable<MatterEventsTable>) => db.insertInto('matter_events').values(row).returning(['id', 'at']).executeTakeFirstOrThrow();

export const listEvents = (db: Kysely<DB>, matterId: number) =>
  db.selectFrom('matter_events as e').leftJoin('users as u', 'u.id', 'e.actor_user_id')
    .select(['e.id', 'e.at', 'e.actor_user_id', 'u.display_name as actor_name', 'e.actor_role', 'e.channel', 'e.action', 'e.status_before', 'e.status_after', 'e.note', 'e.details'])
    .where('e.matter_id', '=', matterId).orderBy('e.id').execute();

export const listAssignments = (db: Kysely<DB>, matterId: number) => db.selectFrom('matter_assignments').selectAll().where('matter_id', '=', matterId).orderBy('id').execute();
export const insertAssignment = (db: Kysely<DB>, row: Insertable<MatterAssignmentsTable>) => db.insertInto('matter_assignments').values(row).returningAll().executeTakeFirstOrThrow();
export const updateAssignment = (db: Kysely<DB>, id: number, patch: Updateable<MatterAssignmentsTable>) =>
  db.updateTable('matter_assignments').set(patch).where('id', '=', id).execute();

export const listPhotos = (db: Kysely<DB>, matterId: number) => db.selectFrom('matter_photos').selectAll().where('matter_id', '=', matterId).orderBy('id').execute();
export const insertPhotos = (db: Kysely<DB>, rows: { matter_id: number; event_id: number; file_hash: string; stage: 'report' | 'progress' | 'result' }[]) =>
  rows.length ? db.insertInto('matter_photos').values(rows).execute() : Promise.resolve([]);

export const listReporters = (db: Kysely<DB>, matterId: number) => db.selectFrom('matter_reporters').selectAll().where('matter_id', '=', matterId).orderBy('id').execute();
export const insertReporter = (db: Kysely<DB>, row: { matter_id: number; resident_id: number | null; user_id: number | null; from_matter_id: number | null }) =>
  db.insertInto('matter_reporters').values(row).execute();

export const insertNotices = (db: Kysely<DB>, rows: { user_id: number | null; resident_id: number | null; matter_id: number; kind: string; body: string }[]) =>
  rows.length ? db.insertInto('notices').values(rows).execute() : Promise.resolve([]);

export const listRequests = (db: Kysely<DB>, matterId: number) => db.selectFrom('matter_requests').selectAll().where('matter_id', '=', matterId).orderBy('id').execute();

/** Open matters of the same category near a point recently: likely duplicates to flag for the operator. */
export async function findNearbyOpen(db: Kysely<DB>, q: { categoryId: number; lng: number; lat: number; since: Date; metres: number; excludeId?: number }) {
  // An equirectangular distance is exact enough at a few hundred metres.
  const { rows } = await sql<{ id: number; code: string; distance: number }>`
    select id, code, sqrt(power((lng - ${q.lng}) * cos(radians(${q.lat})) * 111320, 2) + power((lat - ${q.lat}) * 110540, 2)) as distance
      from matters
     where category_id = ${q.categoryId} and reported_at >= ${q.since} and lng is not null
       and status not in ('closed', 'merged', 'rejected') and id <> ${q.excludeId ?? 0}
       and abs(lat - ${q.lat}) < ${q.metres / 110540} and abs(lng - ${q.lng}) < ${q.metres / 80000}
     order by distance limit 5`.execute(db);
  return rows.filter((r) => r.distance <= q.metres);
}

/** Who may see a list of matters: tree prefixes over the location or the owner, handler subjects, or the reporter. */
export interface MatterVisibility { areaPrefixes: string[]; ownerPrefixes: string[]; subjects: { kind: 'post' | 'department' | 'board' | 'node'; id: number }[]; userId: number | null }

export interface MatterQuery {
  visibility: MatterVisibility;
  status?: MatterStatus[];
  source?: string;
  categoryId?: number;
  under?: string;
  assignedToMe?: boolean;
  overdue?: boolean;
  from?: Date;
  to?: Date;
  q?: string;
  order: 'due' | 'recent';
  after?: { key: string | number; id: number };
  limit: number;
}

export function listMatters(db: Kysely<DB>, q: MatterQuery) {
  const v = q.visibility;
  let query = db.selectFrom('matters as m').leftJoin('categories as c', 'c.id', 'm.category_id').leftJoin('nodes as g', 'g.id', 'm.area_node_id')
    .select(['m.id', 'm.code', 'm.title', 'm.source', 'm.status', 'm.level', 'm.urgent', 'm.due_at', 'm.overdue', 'm.reported_at', 'm.closed_at', 'm.category_id', 'c.name as category_name', 'm.area_node_id', 'g.name as area_name', 'm.owner_node_id', 'm.satisfaction', 'm.possible_duplicate_of'])
    .limit(q.limit + 1);
  query = query.where((eb) => {
    const assigned = v.subjects.length === 0
      ? eb.val(false)
      : eb.exists(eb.selectFrom('matter_assignments as a').select('a.id').whereRef('a.matter_id', '=', 'm.id')
        .where('a.status', 'in', ['pending', 'accepted', 'done'])
        .where((w) => w.or(v.subjects.map((s) => w.and([w('a.target_kind', '=', s.kind), w('a.target_id', '=', s.id)])))));
    if (q.assignedToMe) return assigned;
    return eb.or([
      ...v.areaPrefixes.map((p) => eb('m.area_path', 'like', `${p}%`)),
      ...v.ownerPrefixes.map((p) => eb('m.owner_path', 'like', `${p}%`)),
      assigned,
      ...(v.userId ? [eb('m.reporter_user_id', '=', v.userId)] : []),
    ]);
  });
  if (q.status?.length) query = query.where('m.status', 'in', q.status);
  if (q.source) query = query.where('m.source', '=', q.source as never); // validated against the source enum by the route schema
  if (q.categoryId) query = query.where('m.category_id', '=', q.categoryId);
  if (q.under) query = query.where('m.area_path', 'like', `${q.under}%`);
  if (q.overdue) query = query.where('m.status', 'not in', ['closed', 'merged', 'rejected', 'suspended']).where('m.due_at', '<', new Date());
  if (q.from) query = query.where('m.reported_at', '>=', q.from);
  if (q.to) query = query.where('m.reported_at', '<', q.to);
  if (q.q) query = query.where((eb) => eb.or([eb('m.title', 'like', `%${q.q}%`), eb('m.description', 'like', `%${q.q}%`), eb('m.code', '=', q.q ?? '')]));
  if (q.order === 'due') {
    // Due soonest first; matters without a due time after all others, by id.
    query = query.orderBy(sql`coalesce(m.due_at, 'infinity'::timestamptz)`).orderBy('m.id');
    if (q.after) query = query.where(sql<boolean>`(coalesce(m.due_at, 'infinity'::timestamptz), m.id) > (${String(q.after.key)}::timestamptz, ${q.after.id})`);
  } else {
    query = query.orderBy('m.id', 'desc');
    if (q.after) query = query.where('m.id', '<', q.after.id);
  }
  return query.execute();
}
