import { beijingDay } from '../../core/beijing.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { nowOf, type RequestContext, recordedUserId } from '../../core/scope.ts';
import type { VolunteerState } from '../../core/vocabulary.ts';
import type { AppDeps } from '../../deps.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { assertMayApproveHours, assertMayRecordHours, hoursApproverScope } from './points.policy.ts';
import * as repo from './points.repository.ts';
import type { PointsService } from './points.service.ts';
import * as hours from './volunteer.repository.ts';

/**
 * Verified volunteer hours (志愿服务时长): the grid's staff record what a resident did, someone else of the community
 * signs it off, and the approval grants the rule's points per hour in the same transaction, once (the key is the
 * record), within the rule's caps; a turned-down record grants nothing.
 */
export class VolunteerService {
  constructor(private readonly deps: AppDeps, private readonly points: PointsService) {}

  async record(ctx: RequestContext, body: { residentId: number; activity: string; servedOn: string; minutes: number }) {
    const place = await hours.residentPlace(this.deps.db, body.residentId);
    if (place?.status !== 'active') throw notFound({ en: `Resident ${body.residentId}`, zh: `居民 ${body.residentId}` });
    assertMayRecordHours(ctx.actor, place.grid_path);
    const today = beijingDay(nowOf(ctx));
    if (body.servedOn > today) throw new AppError('VALIDATION_FAILED', { en: 'Hours are recorded after they are served.', zh: '服务日期不能晚于今天。' }, { servedOn: body.servedOn });
    const id = await this.deps.db.transaction().execute(async (trx) => {
      const { id } = await hours.insertHours(trx, { ...body, recordedBy: recordedUserId(ctx.actor), at: nowOf(ctx) });
      await appendAudit(trx, ctx, { action: 'points.hours.record', subjectType: 'volunteer_hours', subjectId: id, details: { residentId: body.residentId, minutes: body.minutes } });
      return id;
    });
    return this.loaded(id);
  }

  async list(ctx: RequestContext, q: { state?: VolunteerState; limit: number }) {
    const scope = hoursApproverScope(ctx.actor);
    return hours.hoursUnder(this.deps.db, scope, q);
  }

  /** 审核: approved hours grant points (per hour, within caps) in the approval's transaction; rejected grant none. */
  async decide(ctx: RequestContext, id: number, to: 'approved' | 'rejected', reason: string) {
    const found = await hours.hoursById(this.deps.db, id);
    if (!found) throw notFound({ en: `Volunteer hours ${id}`, zh: `志愿时长 ${id}` });
    assertMayApproveHours(ctx.actor, found.grid_path, found.recorded_by);
    await this.deps.db.transaction().execute(async (trx) => {
      const row = await hours.lockHours(trx, id);
      if (row?.state !== 'pending') throw new AppError('CONFLICT', { en: `These hours are already ${row?.state}.`, zh: '这条时长已经审核过了。' }, { state: row?.state });
      let transferId: number | null = null;
      if (to === 'approved') {
        const terms = await repo.ruleTerms(trx, 'volunteer_hours');
        const grant = await this.points.earnIn(trx, ctx, 'volunteer_hours', row.resident_id, `hours:${id}`, Math.floor((terms.points * row.minutes) / 60));
        transferId = grant.transfer?.id ?? null;
      }
      await hours.decideHours(trx, id, { state: to, by: recordedUserId(ctx.actor), at: nowOf(ctx), reason, transferId });
      await appendAudit(trx, ctx, { action: `points.hours.${to}`, subjectType: 'volunteer_hours', subjectId: id, details: { residentId: row.resident_id, minutes: row.minutes } });
    });
    return this.loaded(id);
  }

  /** My hours, for the resident's points page. */
  async mine(ctx: RequestContext) {
    const resident = await this.points.myResident(ctx);
    return hours.hoursOfResident(this.deps.db, resident.id, 50);
  }

  private async loaded(id: number) {
    const r = await hours.hoursById(this.deps.db, id);
    if (!r) throw new Error(`volunteer hours ${id} did not load`);
    return r;
  }
}
