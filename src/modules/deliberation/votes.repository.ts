import { type Kysely, sql } from 'kysely';
import type { Approval, VoteChannel } from '../../core/vocabulary.ts';
import type { DB } from '../../db/schema.ts';

/** The voters' register of topics (一人一票): one row per resident per topic, its primary key the rule. */

/** Casts a ballot; null when this resident already has one for the topic, whatever channel it came by. */
export const insertVote = (db: Kysely<DB>, row: {
  topicId: number; residentId: number; channel: VoteChannel; userId: number | null; recordedBy: number | null; meetingId: number | null;
  approval: Approval | null; planId: number | null; ranking: number[] | null; at: Date;
}) => db.insertInto('topic_votes').values({
  topic_id: row.topicId, resident_id: row.residentId, channel: row.channel, user_id: row.userId, recorded_by: row.recordedBy, meeting_id: row.meetingId,
  approval: row.approval, plan_id: row.planId, ranking: row.ranking ? JSON.stringify(row.ranking) : null, at: row.at,
}).onConflict((oc) => oc.doNothing()).returning(['channel', 'at']).executeTakeFirst();

export const voteOf = (db: Kysely<DB>, topicId: number, residentId: number) =>
  db.selectFrom('topic_votes').select(['channel', 'at', 'meeting_id']).where('topic_id', '=', topicId).where('resident_id', '=', residentId).executeTakeFirst();

export const countVotes = async (db: Kysely<DB>, topicId: number) =>
  (await db.selectFrom('topic_votes').select((eb) => eb.fn.countAll<number>().as('n')).where('topic_id', '=', topicId).executeTakeFirstOrThrow()).n;

/** Every ballot of the topic, for the count (never who cast which). */
export const ballots = (db: Kysely<DB>, topicId: number) =>
  db.selectFrom('topic_votes').select(['approval', 'plan_id', 'ranking']).where('topic_id', '=', topicId).execute();

/** How the votes came in, per channel, for the record of the decision. */
export const votesByChannel = (db: Kysely<DB>, topicId: number) =>
  db.selectFrom('topic_votes').select(['channel', sql<number>`count(*)::int`.as('n')]).where('topic_id', '=', topicId).groupBy('channel').execute();

export const CLOSE_VOTE_JOB = 'deliberation.close_vote';
