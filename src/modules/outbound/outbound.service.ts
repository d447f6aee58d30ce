import type { Kysely, Selectable } from 'kysely';
import type { z } from 'zod';
import { cursorId, page } from '../../core/cursor.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { assertSignedIn, type RequestContext, nowOf, recordedUserId, systemContext } from '../../core/scope.ts';
import type { BroadcastPlansTable, DB } from '../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import type { FilesService } from '../files/files.service.ts';
import * as deliveries from './deliveries.repository.ts';
import { schedulePlanRun } from './outbound.jobs.ts';
import {
  assertMayBroadcastTo, assertMayEditContent, assertMayManageTargets, assertMayRetry, assertMayUseContent, broadcastScope, deliveryScope,
  PUBLIC_OUTCOME_STATUSES,
} from './outbound.policy.ts';
import { RETRY_DELAYS_MS, scheduleAttempt } from './outbound.queue.ts';
import * as repo from './outbound.repository.ts';
import type * as s from './outbound.schema.ts';
import { nextRunAt } from './outbound.schedule.ts';
import { getNode } from '../structure/structure.repository.ts';

type Plan = Selectable<BroadcastPlansTable>;
type PlanShape = Pick<Plan, 'cadence' | 'weekday' | 'content_id' | 'theme' | 'node_id' | 'group_ids'>;

/** One active target per group: another is added or enabled only once the current one is disabled. */
async function assertNoActiveTarget(db: Kysely<DB>, groupId: number): Promise<void> {
  if (await repo.activeTarget(db, groupId)) throw new AppError('CONFLICT', 'This group already has an active target; disable it first.');
}

const invalid = (message: string, field: string) => new AppError('VALIDATION_FAILED', message, { issues: [{ path: [field], message }] });

/** Outbound to the online groups: targets per group, the broadcast library and plans, and the delivery log. */
export class OutboundService {
  constructor(private readonly deps: AppDeps, private readonly files: FilesService) {}

  private tx<T>(fn: (trx: Kysely<DB>) => Promise<T>) {
    return this.deps.db.transaction().execute(fn);
  }

  private async groupFor(ctx: RequestContext, db: Kysely<DB>, groupId: number) {
    // Anonymous callers learn nothing, not even whether the group exists.
    assertSignedIn(ctx.actor);
    const group = await repo.getGroupWithPath(db, groupId);
    if (!group) throw notFound(`Online group ${groupId}`);
    assertMayManageTargets(ctx.actor, group.path);
    return group;
  }

  // — targets —

  async listTargets(ctx: RequestContext, groupId: number) {
    await this.groupFor(ctx, this.deps.db, groupId);
    return repo.listTargets(this.deps.db, groupId);
  }

  createTarget(ctx: RequestContext, groupId: number, body: z.infer<typeof s.createTargetBody>) {
    return this.tx(async (trx) => {
      await this.groupFor(ctx, trx, groupId);
      await assertNoActiveTarget(trx, groupId);
      const target = await repo.insertTarget(trx, { group_id: groupId, kind: body.kind, url: body.url, secret: body.secret ?? null });
      await appendAudit(trx, ctx, { action: 'outbound.target.create', subjectType: 'online_group', subjectId: groupId, details: { targetId: target.id, kind: body.kind } });
      return target;
    });
  }

  updateTarget(ctx: RequestContext, groupId: number, targetId: number, patch: z.infer<typeof s.updateTargetBody>) {
    return this.tx(async (trx) => {
      await this.groupFor(ctx, trx, groupId);
      const target = await repo.getTarget(trx, groupId, targetId);
      if (!target) throw notFound(`Target ${targetId} of group ${groupId}`);
      const kind = patch.kind ?? target.kind;
      const secret = patch.secret === undefined ? target.secret : patch.secret;
      if (kind === 'webhook' && !secret) throw invalid('a webhook target needs a signing secret', 'secret');
      const status = patch.status ?? target.status;
      if (status === 'active' && target.status !== 'active') await assertNoActiveTarget(trx, groupId);
      const updated = await repo.updateTarget(trx, targetId, { kind, url: patch.url ?? target.url, secret: kind === 'wecom_robot' ? null : secret, status });
      // The audit names the fields changed, never the secret itself.
      await appendAudit(trx, ctx, { action: 'outbound.target.update', subjectType: 'online_group', subjectId: groupId, details: { targetId, changed: Object.keys(patch).filter((k) => patch[k as keyof typeof patch] !== undefined) } });
      return updated;
    });
  }

  // — content library —

  async listContent(ctx: RequestContext, q: z.infer<typeof s.contentQuery>) {
    assertMayUseContent(ctx.actor);
    const beforeId = cursorId(q.cursor);
    return page(await repo.listContent(this.deps.db, { theme: q.theme, status: q.status, beforeId, limit: q.limit }), q.limit, (r) => [r.id]);
  }

  createContent(ctx: RequestContext, body: z.infer<typeof s.createContentBody>) {
    assertMayUseContent(ctx.actor);
    return this.tx(async (trx) => {
      const row = await repo.insertContent(trx, { title: body.title, body: body.body, theme: body.theme ?? null, created_by: recordedUserId(ctx.actor) });
      await appendAudit(trx, ctx, { action: 'broadcast.content.create', subjectType: 'broadcast_content', subjectId: row.id });
      return row;
    });
  }

  updateContent(ctx: RequestContext, id: number, patch: z.infer<typeof s.updateContentBody>) {
    assertMayUseContent(ctx.actor);
    return this.tx(async (trx) => {
      const row = await repo.getContent(trx, id);
      if (!row) throw notFound(`Content ${id}`);
      assertMayEditContent(ctx.actor, row.created_by);
      const updated = await repo.updateContent(trx, id, { title: patch.title, body: patch.body, theme: patch.theme, status: patch.status });
      await appendAudit(trx, ctx, { action: 'broadcast.content.update', subjectType: 'broadcast_content', subjectId: id, details: { ...patch } });
      return updated;
    });
  }

  // — plans —

  async listPlans(ctx: RequestContext) {
    const prefixes = broadcastScope(ctx.actor);
    const plans = await repo.listPlans(this.deps.db);
    const visible: Plan[] = [];
    for (const p of plans) {
      const paths = await this.planPaths(this.deps.db, p);
      if (paths.length > 0 && paths.every((path) => prefixes.some((pre) => path.startsWith(pre)))) visible.push(p);
    }
    return visible;
  }

  async getPlan(ctx: RequestContext, id: number) {
    const plan = await repo.getPlan(this.deps.db, id);
    assertSignedIn(ctx.actor);
    if (!plan) throw notFound(`Plan ${id}`);
    assertMayBroadcastTo(ctx.actor, await this.planPaths(this.deps.db, plan));
    return plan;
  }

  createPlan(ctx: RequestContext, body: z.infer<typeof s.createPlanBody>) {
    assertSignedIn(ctx.actor);
    return this.tx(async (trx) => {
      const shape: PlanShape = {
        cadence: body.cadence, weekday: body.weekday ?? null, content_id: body.contentId ?? null, theme: body.theme ?? null,
        node_id: body.nodeId ?? null, group_ids: [...new Set(body.groupIds ?? [])],
      };
      await this.checkPlan(ctx, trx, shape);
      const plan = await repo.insertPlan(trx, { name: body.name, time_of_day: body.timeOfDay, ...shape, created_by: recordedUserId(ctx.actor) });
      await schedulePlanRun(trx, plan.id, nextRunAt({ cadence: plan.cadence, timeOfDay: plan.time_of_day, weekday: plan.weekday }, nowOf(ctx)));
      await appendAudit(trx, ctx, { action: 'broadcast.plan.create', subjectType: 'broadcast_plan', subjectId: plan.id });
      return (await repo.getPlan(trx, plan.id)) ?? plan;
    });
  }

  updatePlan(ctx: RequestContext, id: number, patch: z.infer<typeof s.updatePlanBody>) {
    assertSignedIn(ctx.actor);
    return this.tx(async (trx) => {
      const plan = await repo.lockPlan(trx, id);
      if (!plan) throw notFound(`Plan ${id}`);
      // The actor must reach the plan's groups as they are and as they will be.
      assertMayBroadcastTo(ctx.actor, await this.planPaths(trx, plan));
      const shape: PlanShape = {
        cadence: patch.cadence ?? plan.cadence,
        weekday: patch.weekday !== undefined ? patch.weekday : (patch.cadence === 'daily' ? null : plan.weekday),
        content_id: patch.contentId !== undefined ? patch.contentId : (patch.theme ? null : plan.content_id),
        theme: patch.theme !== undefined ? patch.theme : (patch.contentId ? null : plan.theme),
        node_id: patch.nodeId !== undefined ? patch.nodeId : (patch.groupIds?.length ? null : plan.node_id),
        group_ids: patch.groupIds !== undefined ? [...new Set(patch.groupIds)] : (patch.nodeId ? [] : plan.group_ids),
      };
      await this.checkPlan(ctx, trx, shape);
      const updated = await repo.updatePlan(trx, id, { ...shape, name: patch.name, time_of_day: patch.timeOfDay, status: patch.status });
      const time = { cadence: updated.cadence, timeOfDay: updated.time_of_day, weekday: updated.weekday };
      await schedulePlanRun(trx, id, updated.status === 'active' ? nextRunAt(time, nowOf(ctx)) : null);
      await appendAudit(trx, ctx, { action: 'broadcast.plan.update', subjectType: 'broadcast_plan', subjectId: id, details: { ...patch } });
      return (await repo.getPlan(trx, id)) ?? updated;
    });
  }

  /** The whole plan must make sense: when, what and to whom; refusals name the field. */
  private async checkPlan(ctx: RequestContext, trx: Kysely<DB>, p: PlanShape) {
    if (p.cadence === 'weekly' && !p.weekday) throw invalid('a weekly plan needs a weekday, 1 = Monday … 7 = Sunday', 'weekday');
    if (p.cadence === 'daily' && p.weekday) throw invalid('a daily plan has no weekday', 'weekday');
    if (!p.content_id === !p.theme) throw invalid('give either contentId (fixed content) or theme (rotating content), not both', 'contentId');
    if (!p.node_id === (p.group_ids.length === 0)) throw invalid('give either nodeId (every group under it) or groupIds, not both', 'nodeId');
    if (p.content_id) {
      const content = await repo.getContent(trx, p.content_id);
      if (content?.status !== 'active') throw invalid(`content ${p.content_id} does not exist or is retired`, 'contentId');
    }
    if (p.theme && (await repo.countThemeContent(trx, p.theme)) === 0) throw invalid(`no active content has the theme ${p.theme}`, 'theme');
    if (p.node_id) {
      const node = await getNode(trx, p.node_id);
      if (!node) throw invalid(`node ${p.node_id} does not exist`, 'nodeId');
    } else {
      const groups = await repo.listGroupPaths(trx, p.group_ids);
      const missing = p.group_ids.filter((g) => !groups.some((x) => x.id === g && x.status === 'active'));
      if (missing.length) throw invalid(`no active online group ${missing.join(', ')}`, 'groupIds');
    }
    assertMayBroadcastTo(ctx.actor, await this.planPaths(trx, p));
  }

  private async planPaths(db: Kysely<DB>, p: Pick<PlanShape, 'node_id' | 'group_ids'>): Promise<string[]> {
    if (p.node_id) {
      const node = await getNode(db, p.node_id);
      return node ? [node.path] : [];
    }
    return (await repo.listGroupPaths(db, p.group_ids)).map((g) => g.path);
  }

  // — deliveries —

  async listDeliveries(ctx: RequestContext, q: z.infer<typeof s.deliveryQuery>) {
    const prefixes = deliveryScope(ctx.actor);
    const beforeId = cursorId(q.cursor);
    const rows = await repo.listDeliveries(this.deps.db, { prefixes, groupId: q.groupId, matterId: q.matterId, status: q.status, kind: q.kind, beforeId, limit: q.limit });
    return page(rows, q.limit, (r) => [r.id]);
  }

  /** Sends a failed delivery again now, to the group's current target; one attempt, then failed again if it fails. */
  retry(ctx: RequestContext, id: number) {
    assertSignedIn(ctx.actor);
    return this.tx(async (trx) => {
      const d = await repo.getDeliveryWithPath(trx, id);
      if (!d) throw notFound(`Delivery ${id}`);
      assertMayRetry(ctx.actor, d.path);
      const now = nowOf(ctx);
      // Only one of two concurrent retries finds it failed.
      if (!(await deliveries.reopenFailedDelivery(trx, id))) throw new AppError('CONFLICT', `Delivery ${id} is ${d.status}; only a failed delivery is sent again.`);
      await scheduleAttempt(trx, id, d.attempts + 1, RETRY_SERIES_LAST, now);
      await appendAudit(trx, ctx, { action: 'outbound.delivery.retry', subjectType: 'outbound_delivery', subjectId: id });
      const after = await repo.getDeliveryWithPath(trx, id);
      if (!after) throw notFound(`Delivery ${id}`);
      return after;
    });
  }

  // — public result photos —

  /** A result photo of a matter whose outcome is public, for links posted to groups; no sign-in. */
  async publicPhoto(ctx: RequestContext, hash: string) {
    // The SHA-256 is unguessable, and only result photos of public outcomes are served: report photos stay private.
    if (!(await deliveries.isResultPhotoOfStatus(this.deps.db, hash, PUBLIC_OUTCOME_STATUSES))) throw notFound('The photo');
    return this.files.open(systemContext(ctx.requestId), hash);
  }
}

/** A manual retry is a single attempt: the series number of the last automatic one, so a failure is final. */
const RETRY_SERIES_LAST = RETRY_DELAYS_MS.length + 1;
