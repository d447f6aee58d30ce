import type { z } from 'zod';
import { assertTopicAllows } from '../../core/deliberation/stages.ts';
import { AppError, forbidden, notFound } from '../../core/errors.ts';
import { nowOf, type RequestContext, recordedUserId } from '../../core/scope.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import type { AppDeps } from '../../deps.ts';
import { assertOwnUploads } from '../files/files.service.ts';
import { PointsService } from '../points/points.service.ts';
import { assertMayOrganise, assertResidentOf, livesIn, mayOrganise, ORGANISER_ROLES, type Residence } from './deliberation.policy.ts';
import type * as s from './deliberation.schema.ts';
import * as repo from './plans.repository.ts';
import { residentWithGrid } from './topics.repository.ts';
import type { TopicsService } from './topics.service.ts';

/**
 * Plans (方案众包) and crowdfunding (建设众筹). Residents of the scope and staff put plans to a topic while it is
 * collecting or deliberating, with co-authors, a cost estimate, photos or a drawing, the departments needed and
 * goals of money, labour and materials; anyone taking part may propose an amendment, which the plan's authors or the
 * organisers accept (the old text is kept) or reject. Pledges toward a goal come from residents of the scope, or are
 * recorded by staff for a resident or an organisation; staff confirm them when delivered. Totals are public,
 * pledgers only masked.
 */
export class PlansService {
  constructor(private readonly deps: AppDeps, private readonly topics: TopicsService, private readonly points = new PointsService(deps)) {}

  async list(ctx: RequestContext, topicId: number) {
    await this.topics.readable(ctx, topicId);
    const rows = await repo.plansOf(this.deps.db, topicId);
    return { rows, details: await repo.planDetails(this.deps.db, rows.map((r) => r.id)) };
  }

  async create(ctx: RequestContext, topicId: number, body: z.infer<typeof s.planBody>) {
    const id = await this.deps.db.transaction().execute(async (trx) => {
      const t = await this.topics.lockedTopic(trx, topicId);
      await this.participant(trx, ctx, t);
      assertTopicAllows(t.stage, 'plan');
      const userId = recordedUserId(ctx.actor);
      const coAuthors = [...new Set(body.coAuthorIds)].filter((u) => u !== userId);
      // Co-authors (联名) take part in the topic too: residents of its scope or staff of its part of the tree.
      const places = await repo.coAuthorPlaces(trx, coAuthors);
      const belongs = (u: number) => places.some((p) => p.id === u && (
        (p.resident_id !== null && p.grid_path !== null && livesIn({ residentId: p.resident_id, name: p.resident_name ?? '', gridId: p.grid_id ?? 0, gridPath: p.grid_path, estateName: p.estate_name }, t))
        || (p.role_path !== null && p.role !== null && ORGANISER_ROLES.includes(p.role) && t.node_path.startsWith(p.role_path))));
      const outsiders = coAuthors.filter((u) => !belongs(u));
      if (outsiders.length) throw new AppError('VALIDATION_FAILED', { en: `Co-authors ${outsiders.join(', ')} do not take part in this topic.`, zh: `联名人 ${outsiders.join('、')} 不是这个议题范围内的居民或工作人员。` }, { coAuthorIds: outsiders });
      // The departments a plan needs serve the topic's place: set up at or above it, or inside it.
      const departments = [...new Set(body.departmentIds)];
      const depts = await repo.departmentsByIds(trx, departments);
      const noDept = departments.filter((d) => !depts.some((f) => f.id === d && (t.node_path.startsWith(f.path) || f.path.startsWith(t.node_path))));
      if (noDept.length) throw new AppError('VALIDATION_FAILED', { en: `Departments ${noDept.join(', ')} do not serve this topic's place.`, zh: `部门 ${noDept.join('、')} 不存在或不负责这个议题所在的地方。` }, { departmentIds: noDept });
      const photos = [...new Set(body.photos)];
      await assertOwnUploads(trx, ctx, photos);
      const plan = await repo.insertPlan(trx, { topicId, title: body.title, body: body.body, costYuan: body.costYuan, createdBy: userId, at: nowOf(ctx) });
      await repo.insertAuthors(trx, plan.id, [...(userId ? [userId] : []), ...coAuthors]);
      await repo.insertPhotos(trx, plan.id, photos);
      await repo.insertDepartments(trx, plan.id, departments);
      await repo.insertGoals(trx, plan.id, body.goals);
      await this.topics.record(trx, ctx, topicId, 'plan', body.title, { planId: plan.id, costYuan: body.costYuan, goals: body.goals.length });
      return plan.id;
    });
    return this.one(topicId, id);
  }

  async amend(ctx: RequestContext, topicId: number, planId: number, body: z.infer<typeof s.amendmentBody>) {
    await this.deps.db.transaction().execute(async (trx) => {
      const t = await this.topics.lockedTopic(trx, topicId);
      const plan = await this.planOf(trx, topicId, planId);
      await this.participant(trx, ctx, t);
      assertTopicAllows(t.stage, 'plan');
      if (plan.status !== 'proposed') throw new AppError('TOPIC_NOT_OPEN', { en: 'The plan is no longer open to amendment.', zh: '这个方案已经不能再修改了。' });
      const author = recordedUserId(ctx.actor);
      if (author === null) throw forbidden({ en: 'An amendment is proposed by a person.', zh: '修改建议要由具体的人提出。' });
      const a = await repo.insertAmendment(trx, { planId, authorId: author, body: body.body, costYuan: body.costYuan ?? null, at: nowOf(ctx) });
      await this.topics.record(trx, ctx, topicId, 'amend', '', { planId, amendmentId: a.id });
    });
    return this.one(topicId, planId);
  }

  /** The plan's authors or the organisers accept an amendment (its text replaces the plan's, the old kept) or reject it. */
  async decideAmendment(ctx: RequestContext, topicId: number, planId: number, amendmentId: number, body: z.infer<typeof s.amendmentDecisionBody>) {
    await this.deps.db.transaction().execute(async (trx) => {
      const t = await this.topics.lockedTopic(trx, topicId);
      const plan = await repo.lockPlan(trx, planId);
      if (!plan || plan.topic_id !== topicId) throw notFound({ en: `Plan ${planId} of topic ${topicId}`, zh: `议题 ${topicId} 的方案 ${planId}` });
      await this.topics.readable(ctx, topicId, trx);
      const userId = recordedUserId(ctx.actor);
      if (!mayOrganise(ctx.actor, t.node_path) && !(userId !== null && (await repo.isAuthor(trx, planId, userId)))) {
        throw forbidden({ en: 'Only the plan\'s authors or the organisers decide on its amendments.', zh: '只有方案的提出人或组织议事的工作人员才能采纳修改建议。' });
      }
      assertTopicAllows(t.stage, 'plan');
      const a = await repo.lockAmendment(trx, amendmentId);
      if (!a || a.plan_id !== planId) throw notFound({ en: `Amendment ${amendmentId}`, zh: `修改建议 ${amendmentId}` });
      if (a.state !== 'proposed') throw new AppError('CONFLICT', { en: `The amendment was already ${a.state}.`, zh: '这条修改建议已经处理过了。' });
      const now = nowOf(ctx);
      if (body.accept) {
        await repo.decideAmendment(trx, amendmentId, { state: 'accepted', decided_by: userId, decided_at: now, old_body: plan.body, old_cost_yuan: plan.cost_yuan });
        await repo.updatePlan(trx, planId, { body: a.body, ...(a.cost_yuan !== null ? { cost_yuan: a.cost_yuan } : {}) });
      } else {
        await repo.decideAmendment(trx, amendmentId, { state: 'rejected', decided_by: userId, decided_at: now });
      }
      await this.topics.record(trx, ctx, topicId, body.accept ? 'amendment_accepted' : 'amendment_rejected', body.note, { planId, amendmentId });
    });
    return this.one(topicId, planId);
  }

  /** A pledge toward a goal of a plan; `created` is false when the same user sent this clientId before. */
  async pledge(ctx: RequestContext, topicId: number, body: z.infer<typeof s.pledgeBody>) {
    const userId = recordedUserId(ctx.actor);
    if (body.clientId && userId !== null) {
      const earlier = await repo.pledgeByClientId(this.deps.db, userId, body.clientId);
      if (earlier) return { created: false, id: earlier.id };
    }
    try {
      const id = await this.deps.db.transaction().execute(async (trx) => {
        const t = await this.topics.lockedTopic(trx, topicId);
        const goal = await repo.getGoal(trx, body.goalId);
        if (!goal || goal.topic_id !== topicId) throw notFound({ en: `Goal ${body.goalId} of topic ${topicId}`, zh: `议题 ${topicId} 的众筹目标 ${body.goalId}` });
        const organiser = mayOrganise(ctx.actor, t.node_path);
        let residentId: number | null = null;
        let organisation: string | null = null;
        if (body.residentId || body.organisation) {
          if (!organiser) throw forbidden({ en: 'Only the organisers record a pledge for someone else.', zh: '只有组织议事的工作人员才能替别人登记认捐。' });
          if (body.residentId && body.organisation) throw new AppError('VALIDATION_FAILED', { en: 'A pledge is by a resident or by an organisation, not both.', zh: '认捐人要么是居民，要么是单位，不能都填。' });
          if (body.residentId) residentId = (await this.residentIn(trx, t, body.residentId)).residentId;
          organisation = body.organisation ?? null;
        } else {
          residentId = assertResidentOf(ctx.actor, t, (await this.topics.readable(ctx, topicId, trx)).residence).residentId;
        }
        assertTopicAllows(t.stage, 'pledge');
        if (goal.plan_status === 'withdrawn' || goal.plan_status === 'not_chosen') throw new AppError('TOPIC_NOT_OPEN', { en: 'That plan is not going ahead; pledge to the chosen one.', zh: '这个方案没有被采纳，请认捐被采纳的方案。' });
        const p = await repo.insertPledge(trx, { goalId: goal.id, residentId, organisation, recordedBy: userId, amount: body.amount, note: body.note, clientId: body.clientId ?? null, at: nowOf(ctx) });
        await this.topics.record(trx, ctx, topicId, 'pledge', '', { pledgeId: p.id, goalId: goal.id, kind: goal.kind, amount: body.amount });
        return p.id;
      });
      return { created: true, id };
    } catch (e) {
      const again = body.clientId && userId !== null && isUniqueViolation(e) ? await repo.pledgeByClientId(this.deps.db, userId, body.clientId) : null;
      if (again) return { created: false, id: again.id };
      throw e;
    }
  }

  /** The organisers confirm a pledge delivered (兑现), or cancel one that will not be. */
  async settle(ctx: RequestContext, topicId: number, pledgeId: number, to: 'delivered' | 'cancelled', note: string) {
    await this.deps.db.transaction().execute(async (trx) => {
      const t = await this.topics.lockedTopic(trx, topicId);
      assertMayOrganise(ctx.actor, t.node_path);
      const p = await repo.lockPledge(trx, pledgeId);
      const [inTopic] = p ? await repo.pledgesOfTopic(trx, topicId, [pledgeId]) : [];
      if (!p || !inTopic) throw notFound({ en: `Pledge ${pledgeId} of topic ${topicId}`, zh: `议题 ${topicId} 的认捐 ${pledgeId}` });
      if (p.state !== 'pledged') throw new AppError('CONFLICT', { en: `The pledge is already ${p.state}.`, zh: p.state === 'delivered' ? '这笔认捐已经确认兑现了。' : '这笔认捐已经取消了。' });
      await repo.updatePledge(trx, pledgeId, to === 'delivered' ? { state: 'delivered', confirmed_by: recordedUserId(ctx.actor), confirmed_at: nowOf(ctx) } : { state: 'cancelled' });
      await this.topics.record(trx, ctx, topicId, to === 'delivered' ? 'pledge_delivered' : 'pledge_cancelled', note, { pledgeId });
      // A resident's pledge earns its points when delivered, not when promised; an organisation's earns nothing.
      if (to === 'delivered' && p.resident_id !== null) await this.points.earnIn(trx, ctx, 'deliberation_pledge', p.resident_id, `pledge:${pledgeId}`);
    });
    return this.pledgeRow(topicId, pledgeId);
  }

  async pledges(ctx: RequestContext, topicId: number) {
    const viewer = await this.pledgeViewer(ctx, topicId);
    return { rows: await repo.pledgesOfTopic(this.deps.db, topicId), viewer };
  }

  /** Who reads the pledges: their own resident record (their pledges are "mine") and whether they organise (they see notes). */
  async pledgeViewer(ctx: RequestContext, topicId: number) {
    const { residence, organiser } = await this.topics.readable(ctx, topicId);
    return { residentId: residence?.residentId ?? null, organiser };
  }

  async pledgeRow(topicId: number, pledgeId: number) {
    const [row] = await repo.pledgesOfTopic(this.deps.db, topicId, [pledgeId]);
    if (!row) throw notFound({ en: `Pledge ${pledgeId}`, zh: `认捐 ${pledgeId}` });
    return row;
  }

  async one(topicId: number, planId: number) {
    const plan = await this.planOf(this.deps.db, topicId, planId);
    return { rows: [plan], details: await repo.planDetails(this.deps.db, [plan.id]) };
  }

  private async planOf(db: Parameters<typeof repo.getPlan>[0], topicId: number, planId: number) {
    const plan = await repo.getPlan(db, planId);
    if (!plan || plan.topic_id !== topicId) throw notFound({ en: `Plan ${planId} of topic ${topicId}`, zh: `议题 ${topicId} 的方案 ${planId}` });
    return plan;
  }

  /** Organisers, or residents of the scope: those who may put plans and amendments. */
  private async participant(trx: Parameters<typeof residentWithGrid>[0], ctx: RequestContext, t: Parameters<typeof livesIn>[1] & { node_path: string; id: number }) {
    const { staff, residence } = await this.topics.readable(ctx, t.id, trx);
    if (!staff) assertResidentOf(ctx.actor, t, residence);
  }

  private async residentIn(trx: Parameters<typeof residentWithGrid>[0], t: Parameters<typeof livesIn>[1], residentId: number): Promise<Residence> {
    const r = await residentWithGrid(trx, residentId);
    if (r?.status !== 'active') throw notFound({ en: `Resident ${residentId}`, zh: `居民 ${residentId}` });
    const residence = { residentId: r.resident_id, name: r.name, gridId: r.grid_id, gridPath: r.grid_path, estateName: r.estate_name };
    if (!livesIn(residence, t)) throw new AppError('NOT_A_VOTER', { en: `Resident ${residentId} does not live in this topic's area.`, zh: `${r.name}不住在这个议题的范围内。` });
    return residence;
  }
}
