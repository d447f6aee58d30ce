import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import { type RequestContext, nowOf } from '../../core/scope.ts';
import type { DB, MatterRow } from '../../db/schema.ts';
import { isFinished } from '../../core/vocabulary.ts';
import type { AppDeps } from '../../deps.ts';
import { assertIsReporter, assertMayDispatch, assertMayVisit } from './matters.policy.ts';
import * as repo from './matters.repository.ts';
import type { rateBody } from './matters.schema.ts';
import { copyReporters, reactivateLead } from './matters.service.ts';
import { applyStep, loadForUpdate, lockedStep, visibleMatter } from './matters.step.ts';
import { insertNotices } from '../notices/notices.repository.ts';

const SATISFACTION = { satisfied: '满意', basically: '基本满意', dissatisfied: '不满意' } as const;

/** Feedback (信息反馈) and evaluation (考核评价): verify, tell the reporters, rate, close, reopen, revisit. */
export class EvaluationService {
  constructor(private readonly deps: AppDeps) {}

  /** The centre checks the result (核查) before the reporter is told; a failed check goes back to the lead. */
  verify(ctx: RequestContext, id: number, passed: boolean, note?: string) {
    return lockedStep(this.deps.db, ctx, id, (trx, loaded) => applyStep(trx, ctx, loaded, passed ? 'verify_pass' : 'verify_fail', 'web', async () => {
      const role = assertMayDispatch(ctx.actor, loaded.m);
      if (!passed && !note) throw new AppError('VALIDATION_FAILED', { en: 'Say what is still wrong when a check fails.', zh: '核查不通过时，请写上还有什么问题。' });
      if (!passed) return { role, note: note ?? null, patch: { verify_fail_count: loaded.m.verify_fail_count + 1 }, after: async (t) => reactivateLead(t, id) };
      return { role, note: note ?? null, after: async (t, m) => this.tellReporters(t, m, note ?? null) };
    }));
  }

  /** Only the reporter rates; dissatisfied sends the matter back to its lead with the whole history. */
  rate(ctx: RequestContext, id: number, body: z.infer<typeof rateBody>) {
    return lockedStep(this.deps.db, ctx, id, (trx, loaded) => {
      const ok = body.satisfaction !== 'dissatisfied';
      return applyStep(trx, ctx, loaded, ok ? 'rate_ok' : 'rate_bad', 'web', async () => {
        const role = assertIsReporter(ctx.actor, loaded.reporterUserIds);
        const now = nowOf(ctx);
        const closing = ok ? { closed_at: now, closed_on_time: onTime(loaded.m, now) } : { reopen_count: loaded.m.reopen_count + 1 };
        return {
          role, note: body.comment ?? null, patch: { satisfaction: body.satisfaction, rated_at: now, ...closing },
          details: { satisfaction: body.satisfaction, label: SATISFACTION[body.satisfaction] },
          after: ok ? undefined : async (t) => reactivateLead(t, id),
        };
      });
    });
  }

  /** The centre closes a verified matter nobody rates (staff-reported, or the reporter did not answer). */
  close(ctx: RequestContext, id: number, note?: string) {
    return lockedStep(this.deps.db, ctx, id, (trx, loaded) => applyStep(trx, ctx, loaded, 'close', 'web', async () => ({
      role: assertMayDispatch(ctx.actor, loaded.m), note: note ?? null, patch: { closed_at: nowOf(ctx), closed_on_time: onTime(loaded.m, nowOf(ctx)) },
    })));
  }

  reopen(ctx: RequestContext, id: number, reason: string) {
    return lockedStep(this.deps.db, ctx, id, (trx, loaded) => applyStep(trx, ctx, loaded, 'reopen', 'web', async () => ({
      role: assertMayDispatch(ctx.actor, loaded.m), note: reason,
      patch: { reopen_count: loaded.m.reopen_count + 1, closed_at: null, closed_on_time: null, satisfaction: null },
      after: async (t) => reactivateLead(t, id),
    })));
  }

  /** A return visit (回访) is recorded on the timeline; the matter stays where it is. */
  visit(ctx: RequestContext, id: number, outcome: string, satisfied?: boolean) {
    return lockedStep(this.deps.db, ctx, id, (trx, loaded) => applyStep(trx, ctx, loaded, 'return_visit', 'phone', async () => ({
      role: assertMayVisit(ctx.actor, loaded.m), note: outcome, details: { satisfied: satisfied ?? null },
    })));
  }

  /** A likely duplicate is merged into the original; its reporters will hear the original's outcome. */
  async merge(ctx: RequestContext, id: number, intoId: number, note?: string) {
    await this.deps.db.transaction().execute(async (trx) => {
      // Both matters are locked, the target first; withLockedMatter locks one.
      if (id === intoId) throw new AppError('VALIDATION_FAILED', { en: 'A matter cannot be merged into itself.', zh: '事件不能合并到它自己。' });
      const target = await loadForUpdate(trx, ctx, intoId);
      if (isFinished(target.m.status) && target.m.status !== 'closed') throw new AppError('INVALID_TRANSITION', { en: 'Merge into a live matter, not a merged or rejected one.', zh: '只能合并到还在办的事件，不能合并到已合并或不予立案的事件。' });
      const loaded = await loadForUpdate(trx, ctx, id);
      return applyStep(trx, ctx, loaded, 'merge', 'web', async () => ({
        role: assertMayDispatch(ctx.actor, loaded.m), note: note ?? null, patch: { merged_into_id: intoId }, details: { into: intoId, intoCode: target.m.code },
        after: async (t) => copyReporters(t, id, intoId),
      }));
    });
    return (await visibleMatter(this.deps.db, ctx, id)).m;
  }

  private async tellReporters(trx: Kysely<DB>, m: MatterRow, note: string | null) {
    const reporters = await repo.listReporters(trx, m.id);
    const body = `您反映的问题（${m.code}）已处理完毕${note ? `：${note}` : ''}。请对处理结果进行评价。`;
    const seen = new Set<string>();
    const rows = reporters.flatMap((r) => {
      const key = `${r.user_id ?? ''}/${r.resident_id ?? ''}`;
      if (seen.has(key)) return [];
      seen.add(key);
      return [{ user_id: r.user_id, resident_id: r.resident_id, matter_id: m.id, kind: 'matter.feedback', body }];
    });
    await insertNotices(trx, rows);
  }
}

/** On time means handled by the due time: the reporter's rating may come days later and is not the handler's delay. */
function onTime(m: MatterRow, now: Date): boolean | null {
  if (!m.due_at) return null;
  return (m.handled_at ?? now).getTime() <= m.due_at.getTime();
}
