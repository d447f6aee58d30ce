import { type Insertable, type Kysely, type RawBuilder, type SqlBool, sql, type Updateable } from 'kysely';
import type { AssignmentRow, DB, JobsTable, MatterAssignmentsTable, MatterEventsTable, MatterRequestsTable, MattersTable } from '../../db/schema.ts';
import { FINISHED_STATUSES, type MatterStatus, ON_THE_CLOCK_STATUSES } from '../../core/vocabulary.ts';

/**
 * `column in (...)` / `not in (...)` over a named set of statuses, written as literals: the planner proves a
 * literal list implies the predicate of a partial index (matters_open_due_idx); bound parameters it cannot.
 */
export function statusIn(column: string, set: readonly MatterStatus[], negate = false): RawBuilder<SqlBool> {
  const list = sql.join(set.map((s) => sql.lit(s)));
  return negate ? sql<SqlBool>`${sql.ref(column)} not in (${list})` : sql<SqlBool>`${sql.ref(column)} in (${list})`;
}

/** Not finished (closed, merged or rejected): the predicate of the partial index matters_open_due_idx. */
export const notFinished = (column: string) => statusIn(column, FINISHED_STATUSES, true);

/** Overdue (isOverdue in core/vocabulary.ts) in SQL: on the clock, and past its due time or marked overdue. */
export const overdueAt = (alias: 'm' | null, now: Date): RawBuilder<boolean> => {
  const col = (c: string) => sql.ref(alias ? `${alias}.${c}` : c);
  return sql<boolean>`(${statusIn(alias ? `${alias}.status` : 'status', ON_THE_CLOCK_STATUSES)} and (${col('overdue')} or coalesce(${col('due_at')} < ${now}, false)))`;
};

export const lockMatter = (db: Kysely<DB>, id: number) => db.selectFrom('matters').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
export const getMatter = (db: Kysely<DB>, id: number) => db.selectFrom('matters').selectAll().where('id', '=', id).executeTakeFirst();
/** The matter of a public page: by its public code only, never by the guessable internal code. */
export const getMatterByPublicCode = (db: Kysely<DB>, publicCode: string) => db.selectFrom('matters').selectAll().where('public_code', '=', publicCode).executeTakeFirst();

export async function insertMatter(db: Kysely<DB>, row: Omit<Insertable<MattersTable>, 'code'>, codeDay: string) {
  const { id } = await db.insertInto('matters').values({ ...row, code: `pending-${Date.now()}-${Math.random()}` }).returning('id').executeTakeFirstOrThrow();
  // The internal code carries the report day and the id: SJ20261121-000042 (the public code is the column's default).
  const code = `SJ${codeDay.replaceAll('-', '')}-${String(id).padStart(6, '0')}`;
  return db.updateTable('matters').set({ code }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export const updateMatter = (db: Kysely<DB>, id: number, patch: Updateable<MattersTable>) =>
  db.updateTable('matters').set({ ...patch, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();

export const getMatterByClientId = (db: Kysely<DB>, clientId: string) => db.selectFrom('matters').selectAll().where('client_id', '=', clientId).executeTakeFirst();
export const markOverdue = (db: Kysely<DB>, id: number) => db.updateTable('matters').set({ overdue: true }).where('id', '=', id).execute();

export const insertEvent = (db: Kysely<DB>, row: Insertable<MatterEventsTable>) => db.insertInto('matter_events').values(row).returning(['id', 'at']).executeTakeFirstOrThrow();

export const listEvents = (db: Kysely<DB>, matterId: number) =>
  db.selectFrom('matter_events as e').leftJoin('users as u', 'u.id', 'e.actor_user_id')
    .select(['e.id', 'e.at', 'e.actor_user_id', 'u.display_name as actor_name', 'e.actor_role', 'e.channel', 'e.action', 'e.status_before', 'e.status_after', 'e.note', 'e.details'])
    .where('e.matter_id', '=', matterId).orderBy('e.id').execute();

/** What the public page reads of a matter's timeline: which step, when, and the note (the handler's result). */
export const listPublicEvents = (db: Kysely<DB>, matterId: number) =>
  db.selectFrom('matter_events').select(['action', 'at', 'status_after', 'note']).where('matter_id', '=', matterId).orderBy('id').execute();

/** Who wrote the first report event of a matter (the owner of its idempotency key). */
export const firstReportActor = (db: Kysely<DB>, matterId: number) =>
  db.selectFrom('matter_events').select('actor_user_id').where('matter_id', '=', matterId).where('action', '=', 'report').orderBy('id').executeTakeFirst();

export const lastEventAt = (db: Kysely<DB>, matterId: number, action: string) =>
  db.selectFrom('matter_events').select('at').where('matter_id', '=', matterId).where('action', '=', action).orderBy('id', 'desc').executeTakeFirst();

export const listAssignments = (db: Kysely<DB>, matterId: number) => db.selectFrom('matter_assignments').selectAll().where('matter_id', '=', matterId).orderBy('id').execute();
export const insertAssignment = (db: Kysely<DB>, row: Insertable<MatterAssignmentsTable>) => db.insertInto('matter_assignments').values(row).returningAll().executeTakeFirstOrThrow();
export const updateAssignment = (db: Kysely<DB>, id: number, patch: Updateable<MatterAssignmentsTable>) =>
  db.updateTable('matter_assignments').set(patch).where('id', '=', id).execute();

/** Sets the status of a matter's assignments in some statuses and some role (all roles when omitted). */
export const setAssignmentsStatus = (db: Kysely<DB>, matterId: number, from: AssignmentRow['status'][], patch: Updateable<MatterAssignmentsTable>, role?: 'lead' | 'assist') => {
  let q = db.updateTable('matter_assignments').set(patch).where('matter_id', '=', matterId).where('status', 'in', from);
  if (role) q = q.where('role', '=', role);
  return q.execute();
};

export const listPhotos = (db: Kysely<DB>, matterId: number) => db.selectFrom('matter_photos').selectAll().where('matter_id', '=', matterId).orderBy('id').execute();
export const insertPhotos = (db: Kysely<DB>, rows: { matter_id: number; event_id: number; file_hash: string; stage: 'report' | 'progress' | 'result' }[]) =>
  rows.length ? db.insertInto('matter_photos').values(rows).execute() : Promise.resolve([]);

export const listReporters = (db: Kysely<DB>, matterId: number) => db.selectFrom('matter_reporters').selectAll().where('matter_id', '=', matterId).orderBy('id').execute();
export const insertReporter = (db: Kysely<DB>, row: { matter_id: number; resident_id: number | null; user_id: number | null; from_matter_id: number | null }) =>
  db.insertInto('matter_reporters').values(row).execute();

/** The reporters' own accounts and the accounts linked to the resident reporters. */
export const reporterAccounts = (db: Kysely<DB>, matterId: number) =>
  db.selectFrom('matter_reporters as r').leftJoin('residents as res', 'res.id', 'r.resident_id')
    .select(['r.user_id', 'res.user_id as resident_user_id']).where('r.matter_id', '=', matterId).execute();


/** Who reported a matter and how to reach them: the phone given with the report, the resident's, the account's (sealed). */
export const reporterContact = (db: Kysely<DB>, matterId: number) =>
  db.selectFrom('matters as m').leftJoin('residents as r', 'r.id', 'm.reporter_resident_id').leftJoin('users as u', 'u.id', 'm.reporter_user_id')
    .select(['m.reporter_anonymous', 'm.contact_name', 'm.contact_phone_enc', 'm.contact_phone_masked', 'r.id as resident_id', 'r.name as resident_name', 'r.phone_enc as resident_phone_enc',
      'r.phone_masked as resident_phone_masked', 'u.id as user_id', 'u.display_name as user_name', 'u.phone_enc as user_phone_enc', 'u.phone_masked as user_phone_masked'])
    .where('m.id', '=', matterId).executeTakeFirst();

export const listRequests = (db: Kysely<DB>, matterId: number) => db.selectFrom('matter_requests').selectAll().where('matter_id', '=', matterId).orderBy('id').execute();
export const insertRequest = (db: Kysely<DB>, row: Insertable<MatterRequestsTable>) => db.insertInto('matter_requests').values(row).returning('id').executeTakeFirstOrThrow();
export const updateRequest = (db: Kysely<DB>, id: number, patch: Updateable<MatterRequestsTable>) => db.updateTable('matter_requests').set(patch).where('id', '=', id).execute();

// ---- the dictionary and the tree, as the matters read them ----

export const activeCategoryByCode = (db: Kysely<DB>, code: string) => db.selectFrom('categories').selectAll().where('code', '=', code).where('status', '=', 'active').executeTakeFirst();
export const categoryByCode = (db: Kysely<DB>, code: string) => db.selectFrom('categories').selectAll().where('code', '=', code).executeTakeFirst();
export const getCategory = (db: Kysely<DB>, id: number) => db.selectFrom('categories').selectAll().where('id', '=', id).executeTakeFirst();
export const categoryRef = (db: Kysely<DB>, id: number) => db.selectFrom('categories').select(['code', 'name', 'catalogue']).where('id', '=', id).executeTakeFirst();

export const nodesByIds = (db: Kysely<DB>, ids: number[]) => db.selectFrom('nodes').select(['id', 'path', 'level']).where('id', 'in', ids).execute();
export const getBuilding = (db: Kysely<DB>, id: number) => db.selectFrom('buildings').select(['id', 'grid_id', 'lng', 'lat']).where('id', '=', id).executeTakeFirst();
export const boardOfKind = (db: Kysely<DB>, nodeId: number, kind: string) =>
  db.selectFrom('boards').select('id').where('node_id', '=', nodeId).where('kind', '=', kind as never).executeTakeFirst(); // kind comes from the category dictionary's board enum

export const residentOfUser = (db: Kysely<DB>, userId: number) => db.selectFrom('residents').select('id').where('user_id', '=', userId).executeTakeFirst();
/** A resident with the places a reporter's access to them is decided by. */
export const residentPlace = (db: Kysely<DB>, id: number) =>
  db.selectFrom('residents as r').innerJoin('nodes as n', 'n.id', 'r.grid_id').leftJoin('households as h', 'h.id', 'r.household_id')
    .select(['r.id', 'r.user_id', 'n.path', 'h.building_id', 'h.unit_id']).where('r.id', '=', id).executeTakeFirst();

// ---- dispatch targets: their display name and the tree node they serve ----

export const postTarget = (db: Kysely<DB>, id: number) =>
  db.selectFrom('posts as p').innerJoin('boards as b', 'b.id', 'p.board_id').select(['p.name', 'b.node_id']).where('p.id', '=', id).executeTakeFirst();
export const departmentTarget = (db: Kysely<DB>, id: number) =>
  db.selectFrom('departments').select(['name', 'node_id']).where('id', '=', id).where('status', '=', 'active').executeTakeFirst();
export const boardTarget = (db: Kysely<DB>, id: number) => db.selectFrom('boards').select(['name', 'node_id']).where('id', '=', id).executeTakeFirst();

/** The accounts with one of `roles` whose active assignment has `column` = id (post, department, board or node). */
export async function usersWith(db: Kysely<DB>, column: 'post_id' | 'department_id' | 'board_id' | 'node_id', id: number, roles: readonly string[]): Promise<number[]> {
  const { rows } = await sql<{ user_id: number }>`select distinct user_id from role_assignments
     where ended_at is null and ${sql.ref(column)} = ${id} and role in (${sql.join([...roles])})`.execute(db);
  return rows.map((r) => r.user_id);
}

// ---- deadline jobs ----

export const cancelPendingJobs = (db: Kysely<DB>, matterId: number, kinds?: string[]) => {
  let q = db.updateTable('jobs').set({ status: 'cancelled' }).where('matter_id', '=', matterId).where('status', '=', 'pending');
  if (kinds) q = q.where('kind', 'in', kinds);
  return q.execute();
};

/** Inserts a job; a cancelled job with the same dedupe key comes back to life at the new time. */
export const upsertJob = (db: Kysely<DB>, row: Insertable<JobsTable> & { run_at: Date }) =>
  db.insertInto('jobs').values(row).onConflict((oc) => oc.column('dedupe_key').doUpdateSet({ status: 'pending', run_at: row.run_at }).where('jobs.status', '=', 'cancelled')).execute();

/** Tells live screens in every app copy; NOTIFY is delivered only when the transaction commits. */
export const notifyMatters = (db: Kysely<DB>, payload: string) => sql`select pg_notify('dualgrid_matters', ${payload})`.execute(db);

/** Open matters of the same category near a point recently: likely duplicates to flag for the operator. */
export async function findNearbyOpen(db: Kysely<DB>, q: { categoryId: number; lng: number; lat: number; since: Date; metres: number; excludeId?: number }) {
  // An equirectangular distance is exact enough at a few hundred metres.
  const { rows } = await sql<{ id: number; code: string; distance: number }>`
    select id, code, sqrt(power((lng - ${q.lng}) * cos(radians(${q.lat})) * 111320, 2) + power((lat - ${q.lat}) * 110540, 2)) as distance
      from matters
     where category_id = ${q.categoryId} and reported_at >= ${q.since} and lng is not null
       and ${notFinished('status')} and id <> ${q.excludeId ?? 0}
       and abs(lat - ${q.lat}) < ${q.metres / 110540} and abs(lng - ${q.lng}) < ${q.metres / 80000}
     order by distance, id limit 5`.execute(db);
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
  /** The time "overdue" is judged at. */
  now: Date;
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
    .select(['m.id', 'm.code', 'm.title', 'm.source', 'm.status', 'm.level', 'm.urgent', 'm.due_at', 'm.overdue', 'm.reported_at', 'm.closed_at', 'm.category_id', 'c.name as category_name', 'm.area_node_id', 'g.name as area_name', 'm.owner_node_id', 'm.satisfaction', 'm.possible_duplicate_of', 'm.public_code'])
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
  if (q.overdue) query = query.where(overdueAt('m', q.now));
  if (q.from) query = query.where('m.reported_at', '>=', q.from);
  if (q.to) query = query.where('m.reported_at', '<', q.to);
  if (q.q) query = query.where((eb) => eb.or([eb('m.title', 'like', `%${q.q}%`), eb('m.description', 'like', `%${q.q}%`), eb('m.code', '=', q.q ?? ''), eb('m.public_code', '=', q.q ?? '')]));
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
