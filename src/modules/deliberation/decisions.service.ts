import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { assertTopicAllows } from '../../core/deliberation/stages.ts';
import { type Ballot, tally } from '../../core/deliberation/tally.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { nowOf, type RequestContext, recordedUserId } from '../../core/scope.ts';
import type { DB } from '../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';
import { insertJobOnce } from '../jobs/jobs.repository.ts';
import { PointsService } from '../points/points.service.ts';
import { assertMayOrganise, assertResidentOf, livesIn, mayOrganise, type Residence } from './deliberation.policy.ts';
import type * as s from './deliberation.schema.ts';
import * as plans from './plans.repository.ts';
import * as repo from './topics.repository.ts';
import type { TopicsService } from './topics.service.ts';
import * as votes from './votes.repository.ts';

const CHANNEL_ZH = { phone: '在手机上', meeting: '在议事会上', paper: '用纸质选票' } as const;

/**
 * Decisions (表决): a vote among the verified residents of the topic's scope only, one vote per person however
 * many channels they use — their phone, a staff member recording a show of hands or a ballot at the meeting, a
 * paper ballot entered later. The register's primary key (topic, resident) is the rule: a second vote by any
 * channel inserts nothing and is refused with how and when the first was cast. Votes take a share lock on the
 * topic, closing takes the exclusive one, so no vote lands after the count.
 */
export class DecisionsService {
  constructor(private readonly deps: AppDeps, private readonly topics: TopicsService, private readonly points = new PointsService(deps)) {}

  /** Opens the vote: the plans on the table, the rules, the eligible count fixed now; closes itself at closesAt. */
  async open(ctx: RequestContext, id: number, body: z.infer<typeof s.openVoteBody>) {
    return this.topics.step(id, async (trx, t) => {
      assertMayOrganise(ctx.actor, t.node_path);
      assertTopicAllows(t.stage, 'open_vote');
      const now = nowOf(ctx);
      const closesAt = new Date(body.closesAt);
      if (closesAt <= now) throw new AppError('VALIDATION_FAILED', { en: 'The vote must close later than now.', zh: '表决截止时间要晚于现在。' }, { closesAt: 'past' });
      const type = body.decisionType ?? t.decision_type;
      const open = (await plans.plansOf(trx, id)).filter((p) => p.status === 'proposed');
      if (type !== 'approve' && open.length < 2) {
        throw new AppError('VALIDATION_FAILED', { en: 'Choosing between plans needs at least two plans.', zh: '选方案或排序投票至少要有两个方案。' }, { plans: open.length });
      }
      const eligible = await repo.countEligible(trx, t);
      await repo.updateTopic(trx, id, {
        stage: 'voting', decision_type: type, quorum_percent: body.quorumPercent ?? t.quorum_percent, majority: body.majority ?? t.majority,
        results_hidden: body.resultsHidden ?? t.results_hidden, vote_opens_at: now, vote_closes_at: closesAt, eligible,
      });
      await this.topics.record(trx, ctx, id, 'open_vote', '', { type, eligible, closesAt: closesAt.toISOString(), plans: open.map((p) => p.id) });
      await insertJobOnce(trx, { kind: votes.CLOSE_VOTE_JOB, run_at: closesAt, dedupe_key: `topic-close-vote:${id}`, payload: JSON.stringify({ topicId: id }) });
    });
  }

  /** A resident votes on their phone. */
  async vote(ctx: RequestContext, id: number, body: z.infer<typeof s.voteBody>) {
    return this.deps.db.transaction().execute(async (trx) => {
      const t = await this.sharedTopic(trx, id);
      const { residence: home } = await this.topics.readable(ctx, id, trx);
      const residence = assertResidentOf(ctx.actor, t, home);
      return this.cast(trx, ctx, t, residence, { channel: 'phone', meetingId: null, userId: recordedUserId(ctx.actor), recordedBy: null }, body);
    }).then(async (cast) => ({ ...cast, ...(await this.topics.view(ctx, id)) }));
  }

  /** Staff record a resident's vote from the meeting (a show of hands, a ballot) or a paper ballot entered later. */
  async record(ctx: RequestContext, id: number, body: z.infer<typeof s.recordVoteBody>) {
    return this.deps.db.transaction().execute(async (trx) => {
      const t = await this.sharedTopic(trx, id);
      // The organisers of the topic record any ballot; the staff running a meeting inside the topic's place (a grid
      // worker at the grid station's round table on a community's topic) record the hands of the residents living there.
      const meetingPath = body.meetingId ? await this.assertMeetingOf(trx, body.meetingId, t.node_path) : null;
      const runsMeeting = !mayOrganise(ctx.actor, t.node_path) && meetingPath !== null && meetingPath.startsWith(t.node_path) && mayOrganise(ctx.actor, meetingPath);
      const staff = runsMeeting ? recordedUserId(ctx.actor) : assertMayOrganise(ctx.actor, t.node_path);
      const r = await repo.residentWithGrid(trx, body.residentId);
      if (r?.status !== 'active') throw notFound({ en: `Resident ${body.residentId}`, zh: `居民 ${body.residentId}` });
      const residence: Residence = { residentId: r.resident_id, name: r.name, gridId: r.grid_id, gridPath: r.grid_path, estateName: r.estate_name };
      if (!livesIn(residence, t)) throw new AppError('NOT_A_VOTER', { en: `Resident ${r.resident_id} does not live in this topic's area.`, zh: `${r.name}不住在这个议题的范围内，不能参加表决。` });
      if (runsMeeting && meetingPath && !residence.gridPath.startsWith(meetingPath)) {
        throw new AppError('NOT_A_VOTER', { en: `Resident ${r.resident_id} does not live where this meeting is held; the topic's organisers record that ballot.`, zh: `${r.name}不住在这次议事会的范围内，请社区工作人员登记这一票。` });
      }
      return this.cast(trx, ctx, t, residence, { channel: body.channel, meetingId: body.meetingId ?? null, userId: r.user_id, recordedBy: staff }, body);
    }).then(async (cast) => ({ ...cast, ...(await this.topics.view(ctx, id)) }));
  }

  /** Closes the vote (staff, or its job at closesAt): counts, stores the tally, decides the topic and its plans. */
  async close(ctx: RequestContext, id: number, body: z.infer<typeof s.closeVoteBody>) {
    return this.topics.step(id, async (trx, t) => {
      assertMayOrganise(ctx.actor, t.node_path);
      await this.closeIn(trx, ctx, id, body.outcome, body.reviewOn ?? null);
    });
  }

  /** The job at closesAt; a vote already closed by staff is left alone. */
  async closeByJob(trx: Kysely<DB>, ctx: RequestContext, id: number) {
    const t = await repo.lockTopic(trx, id);
    if (t?.stage !== 'voting') return;
    await this.closeIn(trx, ctx, id, '', null);
  }

  private async closeIn(trx: Kysely<DB>, ctx: RequestContext, id: number, outcome: string, reviewOn: string | null) {
    const t = await this.topics.lockedTopic(trx, id);
    assertTopicAllows(t.stage, 'close_vote');
    const open = (await plans.plansOf(trx, id)).filter((p) => p.status === 'proposed');
    const all: Ballot[] = (await votes.ballots(trx, id)).map((b) => ({ approval: b.approval, planId: b.plan_id, ranking: b.ranking }));
    const result = tally(all, { type: t.decision_type, quorumPercent: t.quorum_percent, majority: t.majority, eligible: t.eligible ?? 0, planIds: open.map((p) => p.id) });
    const channels = await votes.votesByChannel(trx, id);
    const now = nowOf(ctx);
    await repo.updateTopic(trx, id, {
      stage: result.passed ? 'decided' : 'rejected', tally: JSON.stringify(result), decided_at: now, decided_plan_id: result.winnerPlanId,
      outcome: outcome || result.reason, review_on: reviewOn, vote_closes_at: t.vote_closes_at && t.vote_closes_at < now ? t.vote_closes_at : now,
    });
    if (t.decision_type !== 'approve') await plans.setPlansStatus(trx, id, result.winnerPlanId);
    await this.topics.record(trx, ctx, id, result.passed ? 'decide' : 'reject', outcome || result.reason, { tally: result, channels: Object.fromEntries(channels.map((c) => [c.channel, c.n])) });
  }

  private async cast(trx: Kysely<DB>, ctx: RequestContext, t: repo.LockedTopic, residence: Residence,
    how: { channel: 'phone' | 'meeting' | 'paper'; meetingId: number | null; userId: number | null; recordedBy: number | null }, body: z.infer<typeof s.voteBody>) {
    const now = nowOf(ctx);
    assertTopicAllows(t.stage, 'vote');
    if (!t.vote_closes_at || t.vote_closes_at <= now) throw new AppError('VOTE_CLOSED', { en: 'The vote on this topic has closed.', zh: '这个议题的表决已经截止了。' });
    const ballot = await this.checkBallot(trx, t, body);
    const cast = await votes.insertVote(trx, { topicId: t.id, residentId: residence.residentId, ...how, ...ballot, at: now });
    if (!cast) {
      const first = await votes.voteOf(trx, t.id, residence.residentId);
      const when = first ? new Date(first.at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' }) : '';
      throw new AppError('ALREADY_VOTED', {
        en: `${residence.name} already voted on this topic${first ? ` (${first.channel}, ${new Date(first.at).toISOString()})` : ''}; one person, one vote.`,
        zh: `${residence.name}已经${first ? `于${when}${CHANNEL_ZH[first.channel]}` : ''}投过票了，一人只能投一票。`,
      }, first ? { channel: first.channel, at: new Date(first.at).toISOString() } : undefined);
    }
    await this.topics.record(trx, ctx, t.id, 'vote', '', { channel: how.channel, meetingId: how.meetingId });
    // Taking part in the decision earns the resident the rule's points, once per topic, with the vote itself.
    await this.points.earnIn(trx, ctx, 'deliberation_vote', residence.residentId, `vote:${t.id}:${residence.residentId}`);
    return { channel: cast.channel, at: cast.at };
  }

  /** The ballot must fit the decision: an approval for approve, one of the open plans to choose, distinct open plans ranked. */
  private async checkBallot(trx: Kysely<DB>, t: repo.LockedTopic, body: z.infer<typeof s.voteBody>) {
    const open = (await plans.plansOf(trx, t.id)).filter((p) => p.status === 'proposed').map((p) => p.id);
    const wrong = (en: string, zh: string) => new AppError('VALIDATION_FAILED', { en, zh });
    if (t.decision_type === 'approve') {
      if (!body.approval) throw wrong('This vote is yes, no or abstain (approval).', '这项表决请选择赞成、反对或弃权。');
      return { approval: body.approval, planId: null, ranking: null };
    }
    if (t.decision_type === 'choose') {
      if (!body.planId) throw wrong('This vote chooses one plan (planId).', '这项表决请选择一个方案。');
      if (!open.includes(body.planId)) throw wrong(`Plan ${body.planId} is not on the ballot.`, '选的方案不在这次表决里。');
      return { approval: null, planId: body.planId, ranking: null };
    }
    const ranking = body.ranking;
    if (!ranking) throw wrong('This vote ranks the plans (ranking).', '这项表决请给方案排序。');
    if (new Set(ranking).size !== ranking.length || ranking.some((p) => !open.includes(p))) throw wrong('Rank distinct plans of the ballot, each once.', '排序里每个方案只能出现一次，并且都要是这次表决的方案。');
    return { approval: null, planId: null, ranking };
  }

  private async sharedTopic(trx: Kysely<DB>, id: number) {
    const t = await repo.shareTopic(trx, id);
    if (!t) throw notFound({ en: `Topic ${id}`, zh: `议题 ${id}` });
    return t;
  }

  /** A meeting a vote is recorded at is held in the topic's part of the tree (its grid, community or above). */
  /** The meeting's node path, when the meeting belongs to the topic's place (inside it or above it); 404 otherwise. */
  private async assertMeetingOf(trx: Kysely<DB>, meetingId: number, path: string): Promise<string> {
    const m = await repo.meetingNode(trx, meetingId);
    if (!m || !(m.node_path.startsWith(path) || path.startsWith(m.node_path))) throw notFound({ en: `Meeting ${meetingId}`, zh: `议事会 ${meetingId}` });
    return m.node_path;
  }
}
