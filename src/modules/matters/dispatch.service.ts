import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { AppError, notFound } from '../../core/errors.ts';
import { LEVEL_ORDER } from '../../core/matters/workflow.ts';
import { isSystem, nowOf, type RequestContext, recordedUserId } from '../../core/scope.ts';
import type { AssignmentRow, CategoryRow, DB } from '../../db/schema.ts';
import type { MatterLevel } from '../../core/vocabulary.ts';
import type { AppDeps } from '../../deps.ts';
import { dueFrom } from '../calendar/calendar.service.ts';
import { cancelDeadlines, scheduleDeadlines } from './deadlines.ts';
import { assertActsFor, assertMayDispatch } from './matters.policy.ts';
import * as repo from './matters.repository.ts';
import type { dispatchBody, escalateBody, summonBody } from './matters.schema.ts';
import { applyStep, type LoadedMatter, lockedStep, visibleMatter } from './matters.step.ts';
import { getNode } from '../structure/structure.repository.ts';

type Target = z.infer<typeof dispatchBody>['lead'];

/** Assigning (交办转办): dispatch to a lead and assists, accept or return, reassign, summon, escalate. */
export class DispatchService {
  constructor(private readonly deps: AppDeps) {}

  dispatch(ctx: RequestContext, id: number, body: z.infer<typeof dispatchBody>) {
    return lockedStep(this.deps.db, ctx, id, (trx, loaded) => applyStep(trx, ctx, loaded, 'dispatch', 'web', async () => {
      const role = assertMayDispatch(ctx.actor, loaded.m);
      const due = await this.dueFor(trx, ctx, loaded, body.dueAt);
      return {
        role, note: body.note ?? null, patch: { due_at: due, dispatched_at: nowOf(ctx), overdue: false },
        details: { lead: body.lead, assists: body.assists, dueAt: due.toISOString() },
        after: async (t, m) => {
          await this.assign(t, ctx, m.id, body.lead, 'lead', due, false);
          for (const a of body.assists) await this.assign(t, ctx, m.id, a, 'assist', due, false);
          await scheduleDeadlines(t, m, nowOf(ctx));
        },
      };
    }));
  }

  /** Replaces the lead (and the assists given); the previous ones are cancelled, kept in the record; the new lead must accept. */
  reassign(ctx: RequestContext, id: number, body: z.infer<typeof dispatchBody>) {
    return lockedStep(this.deps.db, ctx, id, (trx, loaded) => applyStep(trx, ctx, loaded, 'reassign', 'web', async () => {
      const role = assertMayDispatch(ctx.actor, loaded.m);
      const due = await this.dueFor(trx, ctx, loaded, body.dueAt);
      return {
        role, note: body.note ?? null, patch: { due_at: due, dispatched_at: loaded.m.dispatched_at ?? nowOf(ctx) },
        details: { lead: body.lead, assists: body.assists, dueAt: due.toISOString() },
        after: async (t, m) => {
          for (const a of loaded.assignments) if (a.status === 'pending' || a.status === 'accepted') await repo.updateAssignment(t, a.id, { status: 'cancelled' });
          await this.assign(t, ctx, m.id, body.lead, 'lead', due, false);
          for (const a of body.assists) await this.assign(t, ctx, m.id, a, 'assist', due, false);
          await scheduleDeadlines(t, m, nowOf(ctx));
        },
      };
    }));
  }

  /** 街道吹哨、部门报到: departments are summoned to the matter as assists. */
  summon(ctx: RequestContext, id: number, body: z.infer<typeof summonBody>) {
    return lockedStep(this.deps.db, ctx, id, (trx, loaded) => applyStep(trx, ctx, loaded, 'summon', 'web', async () => ({
      role: assertMayDispatch(ctx.actor, loaded.m), note: body.note ?? null, details: { summoned: body.departments },
      after: async (t, m) => {
        for (const d of body.departments) await this.assign(t, ctx, m.id, d, 'assist', m.due_at, true);
      },
    })));
  }

  accept(ctx: RequestContext, id: number) {
    return lockedStep(this.deps.db, ctx, id, async (trx, loaded) => {
      const mine = this.myAssignment(ctx, loaded, ['pending']);
      if (mine.a.role === 'assist') return this.assistStep(trx, ctx, loaded, mine, 'accept', null);
      return applyStep(trx, ctx, loaded, 'accept', 'web', async () => ({
        role: mine.role, details: { assignment: mine.a.id },
        after: async (t) => { await repo.updateAssignment(t, mine.a.id, { status: 'accepted', accepted_at: nowOf(ctx) }); },
      }));
    });
  }

  /** Returning needs a reason; a returned lead sends the matter back to the centre for a new dispatch. */
  returnMatter(ctx: RequestContext, id: number, reason: string) {
    return lockedStep(this.deps.db, ctx, id, async (trx, loaded) => {
      const mine = this.myAssignment(ctx, loaded, ['pending', 'accepted']);
      if (mine.a.role === 'assist') return this.assistStep(trx, ctx, loaded, mine, 'return', reason);
      return applyStep(trx, ctx, loaded, 'return', 'web', async () => ({
        role: mine.role, note: reason, details: { assignment: mine.a.id },
        after: async (t, m) => {
          await repo.updateAssignment(t, mine.a.id, { status: 'returned', return_reason: reason });
          await cancelDeadlines(t, m.id);
        },
      }));
    });
  }

  assistDone(ctx: RequestContext, id: number, note: string, photos: string[]) {
    return lockedStep(this.deps.db, ctx, id, async (trx, loaded) => {
      const mine = this.myAssignment(ctx, loaded, ['pending', 'accepted']);
      if (mine.a.role !== 'assist') throw new AppError('INVALID_TRANSITION', { en: 'The lead marks the whole matter handled instead.', zh: '主办单位请直接办结整件事。' });
      return this.assistStep(trx, ctx, loaded, mine, 'done', note, photos);
    });
  }

  /** Escalates one level up, or across to another town or district whose centre then owns it. */
  escalate(ctx: RequestContext, id: number, body: z.infer<typeof escalateBody>) {
    return lockedStep(this.deps.db, ctx, id, (trx, loaded) => this.escalateIn(trx, ctx, loaded, body.toNodeId, body.reason, 'web'));
  }

  async escalateIn(trx: Kysely<DB>, ctx: RequestContext, loaded: LoadedMatter, toNodeId: number | undefined, reason: string, channel: 'web' | 'system') {
    return applyStep(trx, ctx, loaded, 'escalate', channel, async () => {
      const role = isSystem(ctx.actor) ? 'system' : assertMayDispatch(ctx.actor, loaded.m);
      const owner = await getNode(trx, loaded.m.owner_node_id);
      if (!owner) throw notFound(`Node ${loaded.m.owner_node_id}`);
      const targetId = toNodeId ?? owner.parent_id;
      if (!targetId) throw new AppError('INVALID_HIERARCHY', { en: 'The matter is already owned at the top of the tree; escalate it across to another district instead.', zh: '这件事已经在最上一级了，只能转给别的区县。' });
      const target = await getNode(trx, targetId);
      if (!target || target.status === 'retired') throw notFound(`Node ${targetId}`);
      if (target.level !== 'town' && target.level !== 'district' && target.level !== 'community') throw new AppError('INVALID_HIERARCHY', { en: 'A matter escalates to a community, town or district centre.', zh: '事件只能上报到社区、街镇或区县的中心。' });
      if (target.id === owner.id) throw new AppError('INVALID_HIERARCHY', { en: 'The matter is already owned there.', zh: '这件事已经归那里管了。' });
      const level: MatterLevel = target.level === 'community' ? 'community' : target.level;
      const higher = LEVEL_ORDER.indexOf(level) > LEVEL_ORDER.indexOf(loaded.m.level) ? level : loaded.m.level;
      return { role, note: reason, patch: { owner_node_id: target.id, owner_path: target.path, level: higher, escalation_count: loaded.m.escalation_count + 1 }, details: { from: owner.id, to: target.id } };
    });
  }

  private assistStep(trx: Kysely<DB>, ctx: RequestContext, loaded: LoadedMatter, mine: { a: AssignmentRow; role: string }, what: 'accept' | 'return' | 'done', note: string | null, photos: string[] = []) {
    const action = what === 'accept' ? 'assist_accept' : what === 'return' ? 'assist_return' : 'assist_done';
    return applyStep(trx, ctx, loaded, action, 'web', async () => ({
      role: mine.role as never, // an assignment's role string is one of the Role values resolved by actsFor
      note, details: { assignment: mine.a.id, assist: what }, photos: photos.map((hash) => ({ hash, stage: 'progress' as const })),
      after: async (t) => {
        if (what === 'accept') await repo.updateAssignment(t, mine.a.id, { status: 'accepted', accepted_at: nowOf(ctx) });
        if (what === 'return') await repo.updateAssignment(t, mine.a.id, { status: 'returned', return_reason: note });
        if (what === 'done') await repo.updateAssignment(t, mine.a.id, { status: 'done', done_at: nowOf(ctx) });
      },
    }));
  }

  private myAssignment(ctx: RequestContext, loaded: LoadedMatter, statuses: AssignmentRow['status'][]) {
    for (const a of loaded.assignments.filter((x) => statuses.includes(x.status))) {
      try {
        return { a, role: assertActsFor(ctx.actor, a) };
      } catch {
        // try the next assignment
      }
    }
    if (loaded.assignments.some((x) => statuses.includes(x.status))) assertActsFor(ctx.actor, loaded.assignments.find((x) => statuses.includes(x.status)) as AssignmentRow); // throws the right refusal
    throw new AppError('INVALID_TRANSITION', { en: 'There is no open assignment on this matter for you.', zh: '这件事没有交给你办的任务。' });
  }

  /**
   * The due time a dispatch made now would get, for the dispatch dialog: the category's deadline (the matter's,
   * or another one being considered in triage) counted from now over the holiday calendar, as dispatch() does.
   */
  async duePreview(ctx: RequestContext, id: number, categoryCode?: string) {
    const { m } = await visibleMatter(this.deps.db, ctx, id);
    const category = categoryCode ? await repo.categoryByCode(this.deps.db, categoryCode) : m.category_id ? await repo.getCategory(this.deps.db, m.category_id) : undefined;
    if (categoryCode && !category) throw notFound(`Category ${categoryCode}`);
    if (!category) throw new AppError('VALIDATION_FAILED', { en: 'The matter has no category yet; register it with one (or pass categoryCode).', zh: '这件事还没有分类，请先选好事件分类再立案。' });
    return { due: await deadlineOf(this.deps.db, ctx, category), category };
  }

  private async dueFor(trx: Kysely<DB>, ctx: RequestContext, loaded: LoadedMatter, override?: string) {
    if (override) {
      const due = new Date(override);
      if (due.getTime() <= nowOf(ctx).getTime()) throw new AppError('VALIDATION_FAILED', { en: 'The due time must be in the future.', zh: '办理期限要晚于现在。' });
      return due;
    }
    const category = loaded.m.category_id ? await repo.getCategory(trx, loaded.m.category_id) : undefined;
    if (!category) throw new AppError('VALIDATION_FAILED', { en: 'Register the matter with a category (or give dueAt) before dispatching it.', zh: '派遣之前请先选好事件分类（或者写上办理期限）。' });
    return deadlineOf(trx, ctx, category);
  }

  private async assign(trx: Kysely<DB>, ctx: RequestContext, matterId: number, target: Target, role: 'lead' | 'assist', due: Date | null, summoned: boolean) {
    const resolved = await resolveTarget(trx, target);
    await repo.insertAssignment(trx, {
      matter_id: matterId, role, target_kind: target.kind, target_id: target.id, target_name: resolved.name, node_id: resolved.nodeId,
      status: 'pending', summoned, due_at: due, created_by: recordedUserId(ctx.actor), created_at: nowOf(ctx),
    });
  }
}

/** A category's deadline counted from now (the step's time) over the holiday calendar. */
const deadlineOf = (db: Kysely<DB>, ctx: RequestContext, c: Pick<CategoryRow, 'deadline_amount' | 'deadline_unit'>) => dueFrom(db, nowOf(ctx), c.deadline_amount, c.deadline_unit);

/** A dispatch target's display name and the tree node whose scope it serves. */
export async function resolveTarget(db: Kysely<DB>, t: Target): Promise<{ name: string; nodeId: number }> {
  if (t.kind === 'node') {
    const n = await getNode(db, t.id);
    if (!n || n.status === 'retired') throw notFound(`Node ${t.id}`);
    return { name: n.name, nodeId: n.id };
  }
  const lookup = { post: repo.postTarget, department: repo.departmentTarget, board: repo.boardTarget }[t.kind];
  const found = await lookup(db, t.id);
  if (!found) throw notFound(`${{ post: 'Post', department: 'Department', board: 'Board' }[t.kind]} ${t.id}`);
  return { name: found.name, nodeId: found.node_id };
}
