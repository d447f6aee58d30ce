import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** The public notice board (公示栏): what a community's topics raised, decided, funded and built. */

export const communityById = (db: Kysely<DB>, id: number) =>
  db.selectFrom('nodes as n').leftJoin('nodes as p', 'p.id', 'n.parent_id').select(['n.id', 'n.name', 'n.path', 'n.level', 'p.name as parent_name'])
    .where('n.id', '=', id).where('n.level', '=', 'community').executeTakeFirst();

/** The community that holds a node (the node itself when it is one). */
export const communityOf = (db: Kysely<DB>, path: string) =>
  db.selectFrom('nodes').select(['id', 'name', 'path']).where('level', '=', 'community').where(sql<boolean>`${path} like path || '%'`).executeTakeFirst();

/** Topics shown on a board: not hidden, not merged away or expired; the latest first. */
export const boardTopics = (db: Kysely<DB>, path: string, limit: number) =>
  db.selectFrom('topics as t').innerJoin('nodes as n', 'n.id', 't.node_id')
    .leftJoin('deliberation_projects as p', 'p.topic_id', 't.id')
    .select(['t.id', 't.title', 't.stage', 't.scope', 't.estate_name', 'n.name as node_name', 't.supports', 't.support_threshold', 't.decided_at', 't.outcome', 't.tally', 't.eligible',
      't.decided_plan_id', 't.created_at', 't.updated_at', 'p.id as project_id', 'p.status as project_status', 'p.completed_at as project_completed_at'])
    .where('t.node_path', 'like', `${path}%`).where('t.hidden_at', 'is', null).where('t.stage', 'not in', ['merged', 'expired'])
    .orderBy('t.updated_at', 'desc').orderBy('t.id', 'desc').limit(limit).execute();

export const boardTopic = (db: Kysely<DB>, id: number) =>
  db.selectFrom('topics as t').innerJoin('nodes as n', 'n.id', 't.node_id')
    .select(['t.id', 't.title', 't.body', 't.stage', 't.scope', 't.estate_name', 't.node_path', 'n.name as node_name', 't.supports', 't.support_threshold', 't.decided_at', 't.outcome',
      't.tally', 't.eligible', 't.decided_plan_id', 't.created_at', 't.updated_at'])
    .where('t.id', '=', id).where('t.hidden_at', 'is', null).where('t.stage', '!=', 'merged').executeTakeFirst();

export const milestonesOfProjects = (db: Kysely<DB>, projectIds: number[]) =>
  projectIds.length ? db.selectFrom('project_milestones').select(['project_id', 'title', 'weight', 'progress']).where('project_id', 'in', projectIds).orderBy('position').execute() : Promise.resolve([]);

/** The closed meetings that took the topic up (as their topic or on their agenda), with the count who attended. */
export const closedMeetingsOf = (db: Kysely<DB>, topicId: number) =>
  db.selectFrom('deliberation_meetings as m').leftJoin('grid_stations as s', 's.id', 'm.station_id')
    .select((eb) => ['m.id', 'm.kind', 'm.title', 'm.place', 'm.starts_at', 'm.minutes', 's.name as station_name', 's.brand',
      eb.selectFrom('meeting_attendees as a').select((x) => x.fn.countAll<number>().as('n')).whereRef('a.meeting_id', '=', 'm.id').as('attended')])
    .where('m.state', '=', 'closed')
    .where((eb) => eb.or([eb('m.topic_id', '=', topicId), eb('m.id', 'in', eb.selectFrom('meeting_agenda').select('meeting_id').where('topic_id', '=', topicId))]))
    .orderBy('m.starts_at').execute();

/** The names of the register's residents under a place, for masking them in what the board prints. */
export const residentNamesUnder = async (db: Kysely<DB>, path: string) =>
  (await db.selectFrom('residents as r').innerJoin('nodes as g', 'g.id', 'r.grid_id').select('r.name').distinct().where('g.path', 'like', `${path}%`).execute()).map((r) => r.name);

/** The pledges of many topics in one query, with each one's topic, for the community board's totals. */
export const pledgeTotalsOf = (db: Kysely<DB>, topicIds: number[]) =>
  topicIds.length ? db.selectFrom('pledges as p').innerJoin('plan_goals as g', 'g.id', 'p.goal_id').innerJoin('topic_plans as pl', 'pl.id', 'g.plan_id')
    .select(['pl.topic_id', 'g.kind', 'p.amount', 'p.state', 'p.organisation', 'p.resident_id']).where('pl.topic_id', 'in', topicIds).execute() : Promise.resolve([]);
