import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';

/**
 * Deliberation's figures for one part of the tree (a path prefix) over [from, to): computed from the topics and
 * their registers with indexed range scans (topics by node path). A town holds hundreds of topics a year, not
 * millions, so these are read directly rather than from a rollup.
 */
export async function figuresUnder(db: Kysely<DB>, prefix: string, from: Date, to: Date) {
  const like = `${prefix}%`;
  const row = await sql<{
    raised: number; decided: number; rejected: number; implemented: number; open: number; residents: number; participants: number;
    rated: number; satisfied: number; pledged_yuan: number; delivered_yuan: number; labour_hours: number;
  }>`
    with scoped as (select * from topics where node_path like ${like} and stage <> 'merged'),
    people as (
      select s.resident_id from topic_supports s join scoped t on t.id = s.topic_id where s.at >= ${from} and s.at < ${to}
      union select v.resident_id from topic_votes v join scoped t on t.id = v.topic_id where v.at >= ${from} and v.at < ${to}
      union select c.resident_id from topic_comments c join scoped t on t.id = c.topic_id where c.resident_id is not null and c.created_at >= ${from} and c.created_at < ${to}
      union select p.resident_id from pledges p join plan_goals g on g.id = p.goal_id join topic_plans pl on pl.id = g.plan_id join scoped t on t.id = pl.topic_id
        where p.resident_id is not null and p.state <> 'cancelled' and p.at >= ${from} and p.at < ${to}
      union select a.resident_id from meeting_attendees a join deliberation_meetings m on m.id = a.meeting_id
        where m.node_path like ${like} and a.resident_id is not null and a.at >= ${from} and a.at < ${to}
    ),
    linked as (
      select m.satisfaction from matters m where m.id in (select matter_id from scoped where matter_id is not null)
        or m.id in (select pm.matter_id from project_matters pm join deliberation_projects p on p.id = pm.project_id join scoped t on t.id = p.topic_id)
    ),
    money as (
      select g.kind, p.state, p.amount from pledges p join plan_goals g on g.id = p.goal_id join topic_plans pl on pl.id = g.plan_id join scoped t on t.id = pl.topic_id
      where p.state <> 'cancelled' and p.at >= ${from} and p.at < ${to}
    )
    select
      (select count(*)::int from scoped where created_at >= ${from} and created_at < ${to}) as raised,
      (select count(*)::int from scoped where stage in ('decided', 'implementing', 'completed') and decided_at >= ${from} and decided_at < ${to}) as decided,
      (select count(*)::int from scoped where stage = 'rejected' and decided_at >= ${from} and decided_at < ${to}) as rejected,
      (select count(*)::int from scoped t join deliberation_projects p on p.topic_id = t.id where t.stage = 'completed' and p.completed_at >= ${from} and p.completed_at < ${to}) as implemented,
      (select count(*)::int from scoped where stage in ('collecting', 'deliberating', 'voting', 'decided', 'implementing') and hidden_at is null) as open,
      (select count(*)::int from residents r join nodes g on g.id = r.grid_id where r.status = 'active' and g.path like ${like}) as residents,
      (select count(*)::int from people) as participants,
      (select count(*)::int from linked where satisfaction is not null) as rated,
      (select count(*)::int from linked where satisfaction in ('satisfied', 'basically')) as satisfied,
      (select coalesce(sum(amount), 0)::int from money where kind = 'money') as pledged_yuan,
      (select coalesce(sum(amount), 0)::int from money where kind = 'money' and state = 'delivered') as delivered_yuan,
      (select coalesce(sum(amount), 0)::int from money where kind = 'labour') as labour_hours
  `.execute(db);
  const r = row.rows[0];
  if (!r) throw new Error('The figures query returned no row.');
  return r;
}

export const childNodes = (db: Kysely<DB>, parentId: number) =>
  db.selectFrom('nodes').select(['id', 'name', 'code', 'path', 'level']).where('parent_id', '=', parentId).where('status', '=', 'active').orderBy('code').execute();

/** The latest topics in progress or done under a node, for the big screen: titles and stages only. */
export const latestTopics = (db: Kysely<DB>, prefix: string, limit: number) =>
  db.selectFrom('topics as t').innerJoin('nodes as n', 'n.id', 't.node_id')
    .select(['t.id', 't.title', 't.stage', 't.supports', 't.updated_at', 'n.name as node_name'])
    .where('t.node_path', 'like', `${prefix}%`).where('t.hidden_at', 'is', null).where('t.stage', 'not in', ['merged', 'expired'])
    .orderBy('t.updated_at', 'desc').orderBy('t.id', 'desc').limit(limit).execute();
