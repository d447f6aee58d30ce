import { type Kysely, sql } from 'kysely';
import type { TopicStage } from '../../core/vocabulary.ts';
import type { DB, TopicsTable } from '../../db/schema.ts';
import type { Insertable, Updateable } from 'kysely';

/** Topics (议题), their supports, trail and comments: plain queries for the deliberation services. */

export type TopicRow = NonNullable<Awaited<ReturnType<typeof getTopic>>>;

function topicsWithNode(db: Kysely<DB>) {
  return db.selectFrom('topics as t').innerJoin('nodes as n', 'n.id', 't.node_id').selectAll('t').select(['n.name as node_name', 'n.level as node_level']);
}

export const getTopic = (db: Kysely<DB>, id: number) => topicsWithNode(db).where('t.id', '=', id).executeTakeFirst();

/** The topic's row locked for the step (FOR UPDATE): stage changes, support counts and the vote's close serialise on it. */
export type LockedTopic = NonNullable<Awaited<ReturnType<typeof lockTopic>>>;

export const lockTopic = (db: Kysely<DB>, id: number) => db.selectFrom('topics').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

/** A share lock: votes go in side by side, but never while the vote is being closed. */
export const shareTopic = (db: Kysely<DB>, id: number) => db.selectFrom('topics').selectAll().where('id', '=', id).forShare().executeTakeFirst();

export const insertTopic = (db: Kysely<DB>, row: Insertable<TopicsTable>) => db.insertInto('topics').values(row).returning('id').executeTakeFirstOrThrow();

export const updateTopic = (db: Kysely<DB>, id: number, patch: Updateable<TopicsTable>) =>
  db.updateTable('topics').set({ ...patch, updated_at: new Date() }).where('id', '=', id).execute();

export const findTopicByClientId = (db: Kysely<DB>, userId: number, clientId: string) =>
  db.selectFrom('topics').select('id').where('raised_by', '=', userId).where('client_id', '=', clientId).executeTakeFirst();

export const topicOfMessage = (db: Kysely<DB>, messageId: number) => db.selectFrom('topics').select('id').where('message_id', '=', messageId).executeTakeFirst();
/** The topics a matter became, and the topic whose project sent it (a matter from a deliberation's implementation). */
export const topicsOfMatter = (db: Kysely<DB>, matterId: number) => db.selectFrom('topics').select(['id', 'title', 'stage'])
  .where((eb) => eb.or([
    eb('matter_id', '=', matterId),
    eb('id', 'in', eb.selectFrom('project_matters as pm').innerJoin('deliberation_projects as p', 'p.id', 'pm.project_id').select('p.topic_id').where('pm.matter_id', '=', matterId)),
  ])).orderBy('id').execute();

export interface TopicListQuery { prefixes: string[] | null; lines: string[]; residence: { gridPath: string; estateName: string | null } | null; stage?: TopicStage; includeHidden: boolean; limit: number; after?: number }

/** Topics newest first, one keyset page (limit + 1): under the staff's prefixes, or those a resident's home falls in. */
export function listTopics(db: Kysely<DB>, q: TopicListQuery) {
  let query = topicsWithNode(db);
  const { prefixes, residence } = q;
  query = query.where((eb) => {
    const ors = [];
    if (prefixes) for (const p of prefixes) ors.push(eb('t.node_path', 'like', `${p}%`));
    // The topics of the nodes above a staff member's own (a grid worker sees the community's topics).
    for (const p of q.lines) ors.push(eb(sql.val(p), 'like', sql<string>`t.node_path || '%'`));
    if (residence) {
      ors.push(eb.and([
        eb(sql.val(residence.gridPath), 'like', sql<string>`t.node_path || '%'`),
        eb.or([eb('t.scope', '<>', 'estate'), eb('t.estate_name', '=', residence.estateName ?? '')]),
        eb('t.hidden_at', 'is', null),
      ]));
    }
    return ors.length ? eb.or(ors) : eb.val(false);
  });
  if (!q.includeHidden) query = query.where('t.hidden_at', 'is', null);
  if (q.stage) query = query.where('t.stage', '=', q.stage);
  if (q.after) query = query.where('t.id', '<', q.after);
  return query.orderBy('t.id', 'desc').limit(q.limit + 1).execute();
}

export const insertEvent = (db: Kysely<DB>, row: { topicId: number; action: string; userId: number | null; note?: string; details?: Record<string, unknown>; at: Date }) =>
  db.insertInto('topic_events').values({ topic_id: row.topicId, action: row.action, user_id: row.userId, note: row.note ?? '', details: JSON.stringify(row.details ?? {}), at: row.at }).execute();

export const topicEvents = (db: Kysely<DB>, topicId: number) =>
  db.selectFrom('topic_events as e').leftJoin('users as u', 'u.id', 'e.user_id')
    .select(['e.id', 'e.action', 'e.note', 'e.details', 'e.at', 'e.user_id', 'u.display_name']).where('e.topic_id', '=', topicId).orderBy('e.id').execute();

/** Adds one support; null when this resident already supports the topic (the primary key decides, not a read). */
export const insertSupport = (db: Kysely<DB>, row: { topicId: number; residentId: number; userId: number | null; at: Date }) =>
  db.insertInto('topic_supports').values({ topic_id: row.topicId, resident_id: row.residentId, user_id: row.userId, at: row.at })
    .onConflict((oc) => oc.doNothing()).returning('topic_id').executeTakeFirst();

export const countSupports = async (db: Kysely<DB>, topicId: number) =>
  (await db.selectFrom('topic_supports').select((eb) => eb.fn.countAll<number>().as('n')).where('topic_id', '=', topicId).executeTakeFirstOrThrow()).n;

export const supportsOf = (db: Kysely<DB>, topicId: number, residentId: number) =>
  db.selectFrom('topic_supports').select('at').where('topic_id', '=', topicId).where('resident_id', '=', residentId).executeTakeFirst();

/** Moves the supports of a merged topic onto the one it joined; a resident supporting both counts once. */
export async function moveSupports(db: Kysely<DB>, from: number, to: number) {
  await sql`insert into topic_supports (topic_id, resident_id, user_id, at) select ${to}, resident_id, user_id, at from topic_supports where topic_id = ${from} on conflict do nothing`.execute(db);
}

/** The signed-in user's resident record with where they live (the grid's path and estate), active records only. */
export const residenceOfUser = (db: Kysely<DB>, userId: number) =>
  db.selectFrom('residents as r').innerJoin('nodes as g', 'g.id', 'r.grid_id')
    .select(['r.id as resident_id', 'r.name', 'r.grid_id', 'g.path as grid_path', 'g.estate_name'])
    .where('r.user_id', '=', userId).where('r.status', '=', 'active').orderBy('r.id').executeTakeFirst();

export const residentWithGrid = (db: Kysely<DB>, residentId: number) =>
  db.selectFrom('residents as r').innerJoin('nodes as g', 'g.id', 'r.grid_id')
    .select(['r.id as resident_id', 'r.name', 'r.grid_id', 'r.user_id', 'r.status', 'g.path as grid_path', 'g.estate_name'])
    .where('r.id', '=', residentId).executeTakeFirst();

/** How many active residents live in the scope (表决的应到人数): under the node, in the estate when it is one. */
export async function countEligible(db: Kysely<DB>, t: { node_path: string; scope: string; estate_name: string | null }) {
  let q = db.selectFrom('residents as r').innerJoin('nodes as g', 'g.id', 'r.grid_id').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('r.status', '=', 'active').where('g.path', 'like', `${t.node_path}%`);
  if (t.scope === 'estate') q = q.where('g.estate_name', '=', t.estate_name ?? '');
  return (await q.executeTakeFirstOrThrow()).n;
}

// ---- comments (议事讨论) ----

export const insertComment = (db: Kysely<DB>, row: {
  topicId: number; planId: number | null; parentId: number | null; userId: number | null; residentId: number | null; messageId: number | null;
  authorName: string; realName: 'resident' | 'staff' | 'none'; body: string; at: Date;
}) => db.insertInto('topic_comments').values({
  topic_id: row.topicId, plan_id: row.planId, parent_id: row.parentId, user_id: row.userId, resident_id: row.residentId, message_id: row.messageId,
  author_name: row.authorName, real_name: row.realName, body: row.body, created_at: row.at,
}).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();

export const getComment = (db: Kysely<DB>, id: number) => db.selectFrom('topic_comments').selectAll().where('id', '=', id).executeTakeFirst();

export const hideComment = (db: Kysely<DB>, id: number, reason: string, by: number | null) =>
  db.updateTable('topic_comments').set({ hidden_reason: reason, hidden_by: by }).where('id', '=', id).execute();

/** A topic's comments oldest first, one keyset page after an id (a thread is read top to bottom). */
export const listComments = (db: Kysely<DB>, topicId: number, q: { planId?: number; limit: number; after?: number }) => {
  let query = db.selectFrom('topic_comments').selectAll().where('topic_id', '=', topicId);
  if (q.planId) query = query.where('plan_id', '=', q.planId);
  if (q.after) query = query.where('id', '>', q.after);
  return query.orderBy('id').limit(q.limit + 1).execute();
};

/** Group messages to import as comments, with the member's real-name status: messages of the topic's groups only. */
export const messagesForImport = (db: Kysely<DB>, ids: number[]) =>
  db.selectFrom('group_messages as m').leftJoin('group_members as gm', 'gm.id', 'm.member_id').leftJoin('nodes as g', 'g.id', 'm.grid_id')
    .select(['m.id', 'm.text', 'm.sender_name', 'm.sent_at', 'm.grid_id', 'g.path as grid_path', 'gm.resident_id', 'gm.user_id'])
    .where('m.id', 'in', ids).orderBy('m.sent_at').orderBy('m.id').execute();

export const userName = (db: Kysely<DB>, id: number) => db.selectFrom('users').select('display_name').where('id', '=', id).executeTakeFirst();
export const meetingNode = (db: Kysely<DB>, id: number) => db.selectFrom('deliberation_meetings').select(['id', 'node_path', 'topic_id']).where('id', '=', id).executeTakeFirst();
