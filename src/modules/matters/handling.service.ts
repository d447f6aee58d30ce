import type { Kysely } from 'kysely';
import { AppError, notFound } from '../../core/errors.ts';
import { nowOf, type RequestContext, recordedUserId } from '../../core/scope.ts';
import type { AssignmentRow, DB } from '../../db/schema.ts';
import { WORKING_STATUSES } from '../../core/vocabulary.ts';
import type { AppDeps } from '../../deps.ts';
import { shiftDue } from '../calendar/calendar.service.ts';
import { cancelDeadlines, scheduleDeadlines } from './deadlines.ts';
import { assertActsFor, assertMayDispatch } from './matters.policy.ts';
import * as repo from './matters.repository.ts';
import { applyStep, type LoadedMatter, lockedStep, recordEvent, visibleMatter, withLockedMatter } from './matters.step.ts';

/** Handling (执行处置): progress, handled, and suspensions and extensions that need approval. */
export class HandlingService {
  constructor(private readonly deps: AppDeps) {}

  progress(ctx: RequestContext, id: number, note: string, photos: string[]) {
    return lockedStep(this.deps.db, ctx, id, (trx, loaded) => applyStep(trx, ctx, loaded, 'progress', 'web', async () => ({
      role: leadRole(ctx, loaded), note, photos: photos.map((hash) => ({ hash, stage: 'progress' as const })),
    })));
  }

  /** The lead marks the matter handled once every assist has finished (or returned) its part. */
  handle(ctx: RequestContext, id: number, note: string, photos: string[]) {
    return lockedStep(this.deps.db, ctx, id, (trx, loaded) => applyStep(trx, ctx, loaded, 'handle', 'web', async () => {
      const role = leadRole(ctx, loaded);
      const open = loaded.assignments.filter((a) => a.role === 'assist' && (a.status === 'pending' || a.status === 'accepted'));
      if (open.length) throw new AppError('ASSISTS_PENDING', { en: `Waiting for ${open.map((a) => a.target_name).join('、')} to finish their part.`, zh: `还在等${open.map((a) => a.target_name).join('、')}办完各自的部分。` }, { assignments: open.map((a) => a.id) });
      return {
        role, note, photos: photos.map((hash) => ({ hash, stage: 'result' as const })), patch: { handled_at: nowOf(ctx) },
        after: async (t) => {
          const lead = currentLead(loaded);
          if (lead) await repo.updateAssignment(t, lead.id, { status: 'done', done_at: nowOf(ctx) });
          await cancelDeadlines(t, id);
        },
      };
    }));
  }

  /** Suspension (挂起) and extension (延期) are asked for by the lead and take effect only when approved. */
  request(ctx: RequestContext, id: number, kind: 'suspend' | 'extend', reason: string, extendTo?: string) {
    return withLockedMatter(this.deps.db, ctx, id, async (trx, loaded) => {
      const lead = currentLead(loaded);
      if (!lead) throw new AppError('INVALID_TRANSITION', { en: 'Only a matter with a lead can be suspended or extended.', zh: '有主办单位的事件才能挂起或延期。' });
      const role = assertActsFor(ctx.actor, lead);
      if (!WORKING_STATUSES.some((s) => s === loaded.m.status)) throw new AppError('INVALID_TRANSITION', `A ${loaded.m.status} matter cannot be ${kind === 'suspend' ? 'suspended' : 'extended'}.`);
      const to = extendTo ? new Date(extendTo) : null;
      if (kind === 'extend' && (!to || !loaded.m.due_at || to <= loaded.m.due_at)) throw new AppError('VALIDATION_FAILED', { en: 'An extension must move the due time later.', zh: '延期后的期限要比现在的期限晚。' });
      if ((await repo.listRequests(trx, id)).some((r) => r.status === 'pending')) throw new AppError('CONFLICT', { en: 'A request is already waiting for a decision.', zh: '已经有一个申请在等审批了。' });
      const request = await repo.insertRequest(trx, { matter_id: id, assignment_id: lead.id, kind, reason, extend_to: to, requested_by: recordedUserId(ctx.actor), requested_at: nowOf(ctx) });
      await recordEvent(trx, ctx, loaded.m, { action: `${kind}_requested`, role, channel: 'web', note: reason, details: { request: request.id, extendTo: to?.toISOString() ?? null } });
      return request;
    });
  }

  /** request(), answering the matter as the asker now sees it (HTTP answers the matter, the demo wants the request). */
  async ask(ctx: RequestContext, id: number, kind: 'suspend' | 'extend', reason: string, extendTo?: string) {
    await this.request(ctx, id, kind, reason, extendTo);
    return (await visibleMatter(this.deps.db, ctx, id)).m;
  }

  decide(ctx: RequestContext, id: number, requestId: number, approve: boolean, note?: string) {
    return lockedStep(this.deps.db, ctx, id, async (trx, loaded) => {
      const request = (await repo.listRequests(trx, id)).find((r) => r.id === requestId);
      if (!request) throw notFound(`Request ${requestId}`);
      if (request.status !== 'pending') throw new AppError('CONFLICT', { en: 'The request has already been decided.', zh: '这个申请已经审批过了。' });
      const decided = { status: approve ? ('approved' as const) : ('rejected' as const), decided_by: recordedUserId(ctx.actor), decided_at: nowOf(ctx), decision_note: note ?? null };
      if (!approve) {
        const role = assertMayDispatch(ctx.actor, loaded.m);
        await repo.updateRequest(trx, requestId, decided);
        await recordEvent(trx, ctx, loaded.m, { action: `${request.kind}_rejected`, role, channel: 'web', note, details: { request: requestId } });
        return loaded.m;
      }
      if (request.kind === 'suspend') {
        return applyStep(trx, ctx, loaded, 'suspend', 'web', async () => ({
          role: assertMayDispatch(ctx.actor, loaded.m), note: request.reason,
          patch: { suspended_from: loaded.m.status, suspension_count: loaded.m.suspension_count + 1 }, details: { request: requestId, approvedNote: note ?? null },
          after: async (t) => {
            await repo.updateRequest(t, requestId, decided);
            await cancelDeadlines(t, id);
          },
        }));
      }
      return applyStep(trx, ctx, loaded, 'extend', 'web', async () => ({
        role: assertMayDispatch(ctx.actor, loaded.m), note: request.reason,
        patch: { due_at: request.extend_to, overdue: false, extension_count: loaded.m.extension_count + 1 },
        details: { request: requestId, from: loaded.m.due_at?.toISOString() ?? null, to: request.extend_to?.toISOString() ?? null },
        after: async (t, m) => {
          await repo.updateRequest(t, requestId, decided);
          await moveAssignmentDue(t, id, m.due_at);
          await scheduleDeadlines(t, m, nowOf(ctx));
        },
      }));
    });
  }

  /** Resuming restarts the clock: the due time moves later by the time spent suspended. */
  resume(ctx: RequestContext, id: number, note?: string) {
    return lockedStep(this.deps.db, ctx, id, (trx, loaded) => applyStep(trx, ctx, loaded, 'resume', 'web', async () => {
      const role = assertMayDispatch(ctx.actor, loaded.m);
      const since = await repo.lastEventAt(trx, id, 'suspend');
      const category = loaded.m.category_id ? await repo.getCategory(trx, loaded.m.category_id) : undefined;
      const due = loaded.m.due_at && since ? await shiftDue(trx, loaded.m.due_at, since.at, nowOf(ctx), category?.deadline_unit ?? 'natural_days') : loaded.m.due_at;
      return {
        role, note: note ?? null, resumeTo: loaded.m.suspended_from, patch: { suspended_from: null, due_at: due },
        details: { dueAt: due?.toISOString() ?? null },
        after: async (t, m) => {
          await moveAssignmentDue(t, id, m.due_at);
          await scheduleDeadlines(t, m, nowOf(ctx));
        },
      };
    }));
  }
}

/** The live assignments share the matter's due time, so an extension or a resumption moves theirs too. */
async function moveAssignmentDue(db: Kysely<DB>, matterId: number, due: Date | null) {
  await repo.setAssignmentsStatus(db, matterId, ['pending', 'accepted'], { due_at: due });
}

export function currentLead(loaded: LoadedMatter): AssignmentRow | undefined {
  return loaded.assignments.filter((a) => a.role === 'lead' && a.status !== 'cancelled' && a.status !== 'returned').at(-1);
}

function leadRole(ctx: RequestContext, loaded: LoadedMatter) {
  const lead = currentLead(loaded);
  if (!lead) throw new AppError('INVALID_TRANSITION', { en: 'The matter has no lead to handle it.', zh: '这件事还没有主办单位。' });
  return assertActsFor(ctx.actor, lead);
}
