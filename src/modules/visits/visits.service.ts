import type { z } from 'zod';
import { endOfBeijingDay, startOfBeijingDay } from '../../core/beijing.ts';
import { cursorTimeId, page } from '../../core/cursor.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { nowOf, type RequestContext } from '../../core/scope.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import type { AppDeps } from '../../deps.ts';
import { assertUploaded } from '../files/files.service.ts';
import type { StructureService } from '../structure/structure.service.ts';
import { assertMayLogVisit, assertMayReadVisits } from './visits.policy.ts';
import type { VisitDetails } from './visits.presenter.ts';
import * as repo from './visits.repository.ts';
import type { createBody, listQuery } from './visits.schema.ts';

const CLOCK_SKEW_MS = 5 * 60_000;

/** Household visits (走访): logged by a grid's staff for households of that grid, read by the grid and the centre. */
export class VisitsService {
  constructor(private readonly deps: AppDeps, private readonly structure: StructureService) {}

  /** Logs a visit; `created` is false when the same user sent this clientId before (the first visit comes back). */
  async create(ctx: RequestContext, body: z.infer<typeof createBody>) {
    const grid = await this.structure.requireGrid(body.gridId);
    const userId = assertMayLogVisit(ctx.actor, grid.path);
    const earlier = body.clientId ? await this.byClientId(body.clientId, userId) : null;
    if (earlier) return { created: false, ...(await this.get(ctx, earlier)) };
    const now = nowOf(ctx);
    const at = body.at ? new Date(body.at) : now;
    if (at.getTime() > now.getTime() + CLOCK_SKEW_MS) throw new AppError('VALIDATION_FAILED', { en: 'A visit cannot be in the future.', zh: '走访时间不能晚于现在。' });
    const householdIds = [...new Set(body.householdIds)];
    const photos = [...new Set(body.photos)];
    try {
      const id = await this.deps.db.transaction().execute(async (trx) => {
        const found = await repo.householdsByIds(trx, householdIds);
        const outside = householdIds.filter((h) => !found.some((f) => f.id === h && f.grid_id === grid.id));
        if (outside.length) throw new AppError('VALIDATION_FAILED', { en: `Households not in grid ${grid.id}: ${outside.join(', ')}.`, zh: `有住户不在这个网格里：${outside.join('、')}。` }, { householdIds: outside });
        await assertUploaded(trx, photos);
        const v = await repo.insertVisit(trx, { gridId: grid.id, userId, at, note: body.note, clientId: body.clientId ?? null });
        await repo.insertVisitHouseholds(trx, v.id, householdIds);
        if (photos.length) await repo.insertVisitPhotos(trx, v.id, photos);
        return v.id;
      });
      return { created: true, ...(await this.get(ctx, id)) };
    } catch (e) {
      // Two sends of one draft racing: the unique key let one in; answer the other with it.
      const again = body.clientId && isUniqueViolation(e) ? await this.byClientId(body.clientId, userId) : null;
      if (again) return { created: false, ...(await this.get(ctx, again)) };
      throw e;
    }
  }

  async list(ctx: RequestContext, q: z.infer<typeof listQuery>) {
    const grid = await this.structure.requireGrid(q.gridId);
    assertMayReadVisits(ctx.actor, grid.path);
    const rows = await repo.listVisits(this.deps.db, {
      gridId: grid.id, from: q.from ? startOfBeijingDay(q.from) : undefined, to: q.to ? endOfBeijingDay(q.to) : undefined, limit: q.limit, after: cursorTimeId(q.cursor),
    });
    const { items, nextCursor } = page(rows, q.limit, (r) => [r.at.toISOString(), r.id]);
    return { rows: items, nextCursor, details: await this.details(items) };
  }

  async get(ctx: RequestContext, id: number) {
    const row = await repo.getVisit(this.deps.db, id);
    if (!row) throw notFound(`Visit ${id}`);
    assertMayReadVisits(ctx.actor, (await this.structure.requireGrid(row.grid_id)).path);
    return { row, details: await this.details([row]) };
  }

  private async byClientId(clientId: string, userId: number): Promise<number | null> {
    const v = await repo.findByClientId(this.deps.db, clientId);
    if (!v) return null;
    if (v.user_id !== userId) throw new AppError('CONFLICT', { en: 'That clientId was already used for another visit.', zh: '这条草稿已经用来登记过别的走访了，请重新填写。' });
    return v.id;
  }

  /** The households and photos of the visits, as the presenter takes them. */
  private async details(rows: repo.VisitRow[]): Promise<VisitDetails> {
    const ids = rows.map((r) => r.id);
    const [households, photos] = await Promise.all([repo.visitedHouseholds(this.deps.db, ids), repo.visitPhotos(this.deps.db, ids)]);
    return { households, photos };
  }
}
