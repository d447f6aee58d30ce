import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { assertTopicAllows, thresholdMet } from '../../core/deliberation/stages.ts';
import { cursorId, page } from '../../core/cursor.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { nowOf, prefixesFor, type RequestContext, recordedUserId } from '../../core/scope.ts';
import type { TopicScope } from '../../core/vocabulary.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import type { DB } from '../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { insertJobOnce } from '../jobs/jobs.repository.ts';
import { visibleMatter } from '../matters/matters.step.ts';
import type { StructureService } from '../structure/structure.service.ts';
import {
  ORGANISER_ROLES, assertMayOrganise, assertMayRaise, assertMayReadTopic, assertResidentOf, livesIn, mayOrganise, mayWorkOn, type Residence, staffPaths, type TopicScopeOf,
} from './deliberation.policy.ts';
import type * as s from './deliberation.schema.ts';
import type { TopicView } from './deliberation.presenter.ts';
import { plansOf } from './plans.repository.ts';
import * as repo from './topics.repository.ts';
import * as votes from './votes.repository.ts';
import { tally } from '../../core/deliberation/tally.ts';

export const EXPIRE_JOB = 'deliberation.expire';

/**
 * Topics (议题): raised by a resident, by staff, from a group message or from a matter, for a grid, an estate or a
 * community; supported (附议) by the scope's verified residents until a threshold moves the topic on to
 * deliberation, or the expiry ends it; moderated (hidden with a reason, kept in the trail) and merged when duplicated.
 * Every change writes the topic's trail and the audit log in its own transaction.
 */
export class TopicsService {
  constructor(private readonly deps: AppDeps, private readonly structure: StructureService) {}

  /** The signed-in user's resident record (实名), or null for staff, the anonymous and unlinked accounts. */
  async residence(ctx: RequestContext, db: Kysely<DB> = this.deps.db): Promise<Residence | null> {
    const userId = recordedUserId(ctx.actor);
    if (userId === null) return null;
    const r = await repo.residenceOfUser(db, userId);
    return r ? { residentId: r.resident_id, name: r.name, gridId: r.grid_id, gridPath: r.grid_path, estateName: r.estate_name } : null;
  }

  async requireTopic(id: number, db: Kysely<DB> = this.deps.db) {
    const t = await repo.getTopic(db, id);
    if (!t) throw notFound({ en: `Topic ${id}`, zh: `议题 ${id}` });
    return t;
  }

  /** The topic if the actor may read it (staff of its part of the tree, residents of its scope), else 404. */
  async readable(ctx: RequestContext, id: number, db: Kysely<DB> = this.deps.db) {
    const t = await this.requireTopic(id, db);
    const residence = await this.residence(ctx, db);
    assertMayReadTopic(ctx.actor, t, residence);
    return { topic: t, residence, organiser: mayOrganise(ctx.actor, t.node_path), staff: mayWorkOn(ctx.actor, t.node_path) };
  }

  /** The topic as this viewer sees it: their support and vote, the turnout, the running count where shown. */
  async view(ctx: RequestContext, id: number) {
    const { topic: t, residence, organiser } = await this.readable(ctx, id);
    const db = this.deps.db;
    const [supported, myVote, voters, raiser] = await Promise.all([
      residence ? repo.supportsOf(db, id, residence.residentId) : null,
      residence ? votes.voteOf(db, id, residence.residentId) : null,
      votes.countVotes(db, id),
      t.raised_by ? repo.userName(db, t.raised_by) : null,
    ]);
    let liveTally = null;
    if (t.stage === 'voting' && !t.results_hidden) {
      const planIds = (await plansOf(db, id)).filter((p) => p.status === 'proposed').map((p) => p.id);
      liveTally = tally((await votes.ballots(db, id)).map((b) => ({ approval: b.approval, planId: b.plan_id, ranking: b.ranking })), {
        type: t.decision_type, quorumPercent: t.quorum_percent, majority: t.majority, eligible: t.eligible ?? 0, planIds,
      });
    }
    const view: TopicView = {
      organiser, takesPart: !!residence && livesIn(residence, t), supported: !!supported, myVote: myVote ? { channel: myVote.channel, at: myVote.at } : null, voters,
      raisedByName: raiser?.display_name ?? null, staffRaised: t.origin !== 'resident', liveTally,
    };
    return { topic: t, view };
  }

  /** Appends one row to the topic's trail and the audit log, inside the caller's transaction. */
  async record(trx: Kysely<DB>, ctx: RequestContext, topicId: number, action: string, note = '', details: Record<string, unknown> = {}) {
    await repo.insertEvent(trx, { topicId, action, userId: recordedUserId(ctx.actor), note, details, at: nowOf(ctx) });
    await appendAudit(trx, ctx, { action: `topic.${action}`, subjectType: 'topic', subjectId: topicId, details: note ? { ...details, note } : details });
  }

  /** Raises a topic; `created` is false when the same user sent this clientId before. */
  async raise(ctx: RequestContext, body: z.infer<typeof s.raiseBody>) {
    const userId = recordedUserId(ctx.actor);
    if (body.clientId && userId !== null) {
      const earlier = await repo.findTopicByClientId(this.deps.db, userId, body.clientId);
      if (earlier) return { created: false, id: earlier.id };
    }
    try {
      const id = await this.deps.db.transaction().execute((trx) => this.raiseIn(trx, ctx, body));
      return { created: true, id };
    } catch (e) {
      const again = body.clientId && userId !== null && isUniqueViolation(e) ? await repo.findTopicByClientId(this.deps.db, userId, body.clientId) : null;
      if (again) return { created: false, id: again.id };
      throw e;
    }
  }

  async raiseIn(trx: Kysely<DB>, ctx: RequestContext, body: z.infer<typeof s.raiseBody>, link: { matterId?: number; messageId?: number } = {}): Promise<number> {
    const residence = await this.residence(ctx, trx);
    const where = await this.placeOf(trx, body.scope, body.nodeId ?? null, residence);
    const who = assertMayRaise(ctx.actor, where.node_path, residence, where);
    const now = nowOf(ctx);
    const threshold = body.supportThreshold ?? (who === 'staff' ? 0 : 10);
    const days = body.supportDays ?? 14;
    const supportUntil = threshold > 0 ? new Date(now.getTime() + days * 86_400_000) : null;
    const origin = link.matterId ? 'matter' : link.messageId ? 'group_message' : who;
    const { id } = await repo.insertTopic(trx, {
      node_id: where.node_id, node_path: where.node_path, scope: body.scope, estate_name: where.estate_name, title: body.title, body: body.body,
      origin, raised_by: recordedUserId(ctx.actor), raised_resident_id: who === 'resident' ? residence?.residentId ?? null : null,
      matter_id: link.matterId ?? null, message_id: link.messageId ?? null,
      stage: threshold === 0 ? 'deliberating' : 'collecting', support_threshold: threshold, support_until: supportUntil,
      decision_type: body.decisionType, quorum_percent: body.quorumPercent, majority: body.majority, results_hidden: body.resultsHidden,
      client_id: body.clientId ?? null, created_at: now, updated_at: now,
    });
    await this.record(trx, ctx, id, 'raise', '', { origin, scope: body.scope, nodeId: where.node_id, threshold, matterId: link.matterId ?? null, messageId: link.messageId ?? null });
    if (supportUntil) await insertJobOnce(trx, { kind: EXPIRE_JOB, run_at: supportUntil, dedupe_key: `topic-expire:${id}`, payload: JSON.stringify({ topicId: id }) });
    return id;
  }

  /** A matter that needs the residents' agreement becomes a topic of its grid or community, linked both ways. */
  async fromMatter(ctx: RequestContext, matterId: number, body: z.infer<typeof s.raiseBody>) {
    const { m } = await visibleMatter(this.deps.db, ctx, matterId);
    const nodeId = body.nodeId ?? m.grid_id ?? m.area_node_id;
    return this.deps.db.transaction().execute(async (trx) => {
      const id = await this.raiseIn(trx, ctx, { ...body, nodeId }, { matterId: m.id });
      // The topic's residents are the matter's neighbours: its place must lie inside the topic's scope.
      const t = await this.requireTopic(id, trx);
      if (!m.area_path.startsWith(t.node_path)) {
        throw new AppError('VALIDATION_FAILED', { en: `Matter ${m.id} is not in the topic's place; raise it for the matter's grid or community.`, zh: '事件发生的地方不在这个议题的范围内，请选择事件所在的网格或社区。' }, { nodeId: 'outside' });
      }
      return id;
    });
  }

  /** A group message that calls for the residents' say becomes a topic of the message's grid; one topic per message. */
  async fromMessage(ctx: RequestContext, messageId: number, body: z.infer<typeof s.raiseBody>) {
    const [msg] = await repo.messagesForImport(this.deps.db, [messageId]);
    if (!msg?.grid_path || !mayOrganise(ctx.actor, msg.grid_path)) throw notFound({ en: `Group message ${messageId}`, zh: `群消息 ${messageId}` });
    const earlier = await repo.topicOfMessage(this.deps.db, messageId);
    if (earlier) throw new AppError('CONFLICT', { en: `Message ${messageId} already became topic ${earlier.id}.`, zh: `这条群消息已经转成议题 ${earlier.id} 了。` }, { topicId: earlier.id });
    try {
      return await this.deps.db.transaction().execute(async (trx) => {
        const id = await this.raiseIn(trx, ctx, { ...body, nodeId: body.nodeId ?? msg.grid_id ?? undefined }, { messageId });
        // The message that raised it opens the discussion, in the words and with the name the group showed.
        await repo.insertComment(trx, {
          topicId: id, planId: null, parentId: null, userId: msg.user_id, residentId: msg.resident_id, messageId, authorName: msg.sender_name,
          realName: msg.resident_id ? 'resident' : msg.user_id ? 'staff' : 'none', body: msg.text.slice(0, 2000), at: new Date(msg.sent_at),
        });
        return id;
      });
    } catch (e) {
      if (isUniqueViolation(e)) {
        const again = await repo.topicOfMessage(this.deps.db, messageId);
        if (again) throw new AppError('CONFLICT', { en: `Message ${messageId} already became topic ${again.id}.`, zh: `这条群消息已经转成议题 ${again.id} 了。` }, { topicId: again.id });
      }
      throw e;
    }
  }

  /** The topics a matter became, for whoever may read the matter. */
  async ofMatter(ctx: RequestContext, matterId: number) {
    await visibleMatter(this.deps.db, ctx, matterId);
    return repo.topicsOfMatter(this.deps.db, matterId);
  }

  async list(ctx: RequestContext, q: z.infer<typeof s.listQuery>) {
    const prefixes = prefixesFor(ctx.actor, [...ORGANISER_ROLES, 'building_head', 'unit_head', 'volunteer']);
    const residence = await this.residence(ctx);
    if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
    const rows = await repo.listTopics(this.deps.db, {
      prefixes: prefixes.length ? prefixes : null, lines: staffPaths(ctx.actor), residence, stage: q.stage, includeHidden: q.hidden === true && prefixes.length > 0, limit: q.limit, after: cursorId(q.cursor),
    });
    return page(rows, q.limit, (r) => [r.id]);
  }

  /** One support per resident (附议); reaching the threshold moves the topic on to deliberation in the same step. */
  async support(ctx: RequestContext, id: number) {
    return this.deps.db.transaction().execute(async (trx) => {
      const t = await this.lockedTopic(trx, id);
      const { residence: home } = await this.readable(ctx, id, trx);
      const residence = assertResidentOf(ctx.actor, t, home);
      assertTopicAllows(t.stage, 'support');
      const now = nowOf(ctx);
      if (t.support_until && t.support_until <= now) {
        throw new AppError('TOPIC_NOT_OPEN', { en: 'Support for this topic closed at its expiry.', zh: '这个议题的附议已经截止了。' }, { supportUntil: t.support_until.toISOString() });
      }
      const added = await repo.insertSupport(trx, { topicId: id, residentId: residence.residentId, userId: recordedUserId(ctx.actor), at: now });
      if (!added) return { added: false };
      const supports = await repo.countSupports(trx, id);
      const advance = thresholdMet(supports, t.support_threshold);
      await repo.updateTopic(trx, id, { supports, ...(advance ? { stage: 'deliberating' } : {}) });
      await this.record(trx, ctx, id, 'support', '', { supports });
      if (advance) await this.record(trx, ctx, id, 'advance', `附议人数达到 ${t.support_threshold} 人，进入协商`, { supports });
      return { added: true };
    });
  }

  /** Staff move a collecting topic on without waiting for the threshold (e.g. after a meeting asked for it). */
  async advance(ctx: RequestContext, id: number, note: string) {
    return this.step(id, async (trx, t) => {
      assertMayOrganise(ctx.actor, t.node_path);
      assertTopicAllows(t.stage, 'advance');
      await repo.updateTopic(trx, id, { stage: 'deliberating' });
      await this.record(trx, ctx, id, 'advance', note);
    });
  }

  /** The expiry job: a topic still short of its threshold at its expiry is expired; others are left alone. */
  async expire(trx: Kysely<DB>, ctx: RequestContext, id: number) {
    const t = await repo.lockTopic(trx, id);
    if (t?.stage !== 'collecting' || !t.support_until || t.support_until > nowOf(ctx)) return;
    await repo.updateTopic(trx, id, { stage: 'expired' });
    await this.record(trx, ctx, id, 'expire', `到期附议 ${t.supports} 人，未达到 ${t.support_threshold} 人`, { supports: t.supports });
  }

  /** Moderation (隐藏): the topic leaves the residents' lists and pages; the reason stays in the trail. */
  async hide(ctx: RequestContext, id: number, reason: string) {
    return this.step(id, async (trx, t) => {
      assertMayOrganise(ctx.actor, t.node_path);
      if (t.hidden_at) throw new AppError('CONFLICT', { en: 'The topic is already hidden.', zh: '这个议题已经隐藏了。' });
      await repo.updateTopic(trx, id, { hidden_at: nowOf(ctx), hidden_reason: reason, hidden_by: recordedUserId(ctx.actor) });
      await this.record(trx, ctx, id, 'hide', reason);
    });
  }

  async unhide(ctx: RequestContext, id: number, note: string) {
    return this.step(id, async (trx, t) => {
      assertMayOrganise(ctx.actor, t.node_path);
      if (!t.hidden_at) throw new AppError('CONFLICT', { en: 'The topic is not hidden.', zh: '这个议题没有隐藏。' });
      await repo.updateTopic(trx, id, { hidden_at: null, hidden_reason: null, hidden_by: null });
      await this.record(trx, ctx, id, 'unhide', note);
    });
  }

  /** Merges a duplicate into another topic of the same part of the tree; its supports join the other's, once each. */
  async merge(ctx: RequestContext, id: number, intoId: number, note: string) {
    if (id === intoId) throw new AppError('VALIDATION_FAILED', { en: 'A topic cannot be merged into itself.', zh: '议题不能合并到它自己。' });
    return this.deps.db.transaction().execute(async (trx) => {
      // Lock both in id order so two merges crossing each other cannot deadlock.
      const [first, second] = id < intoId ? [id, intoId] : [intoId, id];
      const a = await this.lockedTopic(trx, first);
      const b = await this.lockedTopic(trx, second);
      const [t, into] = a.id === id ? [a, b] : [b, a];
      assertMayOrganise(ctx.actor, t.node_path);
      assertMayOrganise(ctx.actor, into.node_path);
      assertTopicAllows(t.stage, 'merge');
      if (['expired', 'merged', 'rejected', 'completed'].includes(into.stage)) assertTopicAllows(into.stage, 'merge');
      await repo.moveSupports(trx, id, intoId);
      const supports = await repo.countSupports(trx, intoId);
      const advance = into.stage === 'collecting' && thresholdMet(supports, into.support_threshold);
      await repo.updateTopic(trx, id, { stage: 'merged', merged_into: intoId });
      await repo.updateTopic(trx, intoId, { supports, ...(advance ? { stage: 'deliberating' } : {}) });
      await this.record(trx, ctx, id, 'merge', note, { into: intoId });
      await this.record(trx, ctx, intoId, 'merged_from', note, { from: id, supports });
      if (advance) await this.record(trx, ctx, intoId, 'advance', `合并后附议人数达到 ${into.support_threshold} 人，进入协商`, { supports });
    }).then(() => this.requireTopic(id));
  }

  /** A step on one topic, locked, in one transaction; answers the topic as it is after the step. */
  async step(id: number, fn: (trx: Kysely<DB>, t: repo.LockedTopic) => Promise<void>) {
    await this.deps.db.transaction().execute(async (trx) => fn(trx, await this.lockedTopic(trx, id)));
    return this.requireTopic(id);
  }

  async lockedTopic(trx: Kysely<DB>, id: number) {
    const t = await repo.lockTopic(trx, id);
    if (!t) throw notFound({ en: `Topic ${id}`, zh: `议题 ${id}` });
    return t;
  }

  async trail(ctx: RequestContext, id: number) {
    await this.readable(ctx, id);
    return repo.topicEvents(this.deps.db, id);
  }

  /** Where a new topic sits: the node staff name, or the resident's own grid, estate or community. */
  private async placeOf(trx: Kysely<DB>, scope: TopicScope, nodeId: number | null, residence: Residence | null): Promise<TopicScopeOf & { node_id: number }> {
    const id = nodeId ?? residence?.gridId;
    if (!id) throw new AppError('VALIDATION_FAILED', { en: 'Name the grid or community (nodeId) the topic belongs to.', zh: '请选择议题所属的网格或社区。' }, { nodeId: 'required' });
    let node = await this.structure.requireNode(id, trx);
    const gridLevel = node.level === 'grid' || node.level === 'microgrid';
    if (scope === 'grid') {
      if (!gridLevel) throw new AppError('VALIDATION_FAILED', { en: `A grid topic needs a grid; node ${id} is a ${node.level}.`, zh: '网格议题要选一个网格。' }, { nodeId: 'grid' });
      return { node_id: node.id, node_path: node.path, scope, estate_name: null };
    }
    if (gridLevel) {
      const estate = node.estate_name;
      while (node.level !== 'community' && node.parent_id) node = await this.structure.requireNode(node.parent_id, trx);
      if (scope === 'estate') {
        if (!estate) throw new AppError('VALIDATION_FAILED', { en: `Grid ${id} is not in a named estate.`, zh: '这个网格没有登记所属小区，不能发起小区议题。' }, { scope: 'estate' });
        return { node_id: node.id, node_path: node.path, scope, estate_name: estate };
      }
    }
    if (node.level !== 'community') throw new AppError('VALIDATION_FAILED', { en: `A ${scope} topic belongs to a community; node ${id} is a ${node.level}.`, zh: '小区或社区议题要选一个社区。' }, { nodeId: 'community' });
    if (scope === 'estate') throw new AppError('VALIDATION_FAILED', { en: 'An estate topic is raised from one of the estate\'s grids.', zh: '小区议题请从小区所在的网格发起。' }, { scope: 'estate' });
    return { node_id: node.id, node_path: node.path, scope, estate_name: null };
  }
}
