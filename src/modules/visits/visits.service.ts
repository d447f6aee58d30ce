import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import { nowOf, type RequestContext } from '../../core/scope.ts';
import type { DB } from '../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';
import type { StructureService } from '../structure/structure.service.ts';
import { assertMayLogVisit, assertMayReadVisits } from './visits.policy.ts';
import type { createBody, listQuery } from './visits.schema.ts';

const CLOCK_SKEW_MS = 5 * 60_000;
const DAY_MS = 86_400_000;
const BEIJING_MS = 8 * 3600_000;

/** Household visits (走访): logged by a grid's staff for households of that grid, read by the grid and the centre. */
export class VisitsService {
  constructor(private readonly deps: AppDeps, private readonly structure: StructureService) {}

  /** Logs a visit; `created` is false when the same user sent this clientId before (the first visit comes back). */
  async create(ctx: RequestContext, body: z.infer<typeof createBody>): Promise<{ id: number; created: boolean }> {
    const grid = await this.structure.requireGrid(body.gridId);
    assertMayLogVisit(ctx.actor, grid.path);
    const userId = ctx.actor?.userId ?? 0;
    if (body.clientId) {
      const earlier = await this.byClientId(body.clientId, userId);
      if (earlier) return { id: earlier, created: false };
    }
    const now = nowOf(ctx);
    const at = body.at ? new Date(body.at) : now;
    if (at.getTime() > now.getTime() + CLOCK_SKEW_MS) throw new AppError('VALIDATION_FAILED', 'A visit cannot be in the future.');
    const householdIds = [...new Set(body.householdIds)];
    const photos = [...new Set(body.photos)];
    try {
      const id = await this.deps.db.transaction().execute(async (trx) => {
        const found = await trx.selectFrom('households').select(['id', 'grid_id']).where('id', 'in', householdIds).execute();
        const outside = householdIds.filter((h) => !found.some((f) => f.id === h && f.grid_id === grid.id));
        if (outside.length) throw new AppError('VALIDATION_FAILED', `Households not in grid ${grid.id}: ${outside.join(', ')}.`, { householdIds: outside });
        if (photos.length) {
          const files = await trx.selectFrom('files').select('hash').where('hash', 'in', photos).execute();
          const missing = photos.filter((h) => !files.some((f) => f.hash === h));
          if (missing.length) throw new AppError('VALIDATION_FAILED', `Upload the photos first (POST /api/files); unknown: ${missing.join(', ')}.`);
        }
        const v = await trx.insertInto('visits').values({ grid_id: grid.id, user_id: userId, at, note: body.note, client_id: body.clientId ?? null }).returning('id').executeTakeFirstOrThrow();
        await trx.insertInto('visit_households').values(householdIds.map((h) => ({ visit_id: v.id, household_id: h }))).execute();
        if (photos.length) await trx.insertInto('visit_photos').values(photos.map((h, i) => ({ visit_id: v.id, file_hash: h, position: i }))).execute();
        return v.id;
      });
      return { id, created: true };
    } catch (e) {
      // Two sends of one draft racing: the unique key let one in; answer the other with it.
      const again = body.clientId && (e as { code?: string }).code === '23505' ? await this.byClientId(body.clientId, userId) : null;
      if (again) return { id: again, created: false };
      throw e;
    }
  }

  async list(ctx: RequestContext, q: z.infer<typeof listQuery>) {
    const grid = await this.structure.requireGrid(q.gridId);
    assertMayReadVisits(ctx.actor, grid.path);
    let query = this.deps.db.selectFrom('visits').innerJoin('users', 'users.id', 'visits.user_id')
      .select(['visits.id', 'visits.grid_id', 'visits.at', 'visits.note', 'visits.user_id', 'users.display_name'])
      .where('visits.grid_id', '=', grid.id);
    if (q.from) query = query.where('visits.at', '>=', new Date(Date.parse(`${q.from}T00:00:00Z`) - BEIJING_MS));
    if (q.to) query = query.where('visits.at', '<', new Date(Date.parse(`${q.to}T00:00:00Z`) - BEIJING_MS + DAY_MS));
    const rows = await query.orderBy('visits.at', 'desc').orderBy('visits.id', 'desc').limit(q.limit).execute();
    return this.present(this.deps.db, rows);
  }

  async get(ctx: RequestContext, id: number) {
    const rows = await this.deps.db.selectFrom('visits').innerJoin('users', 'users.id', 'visits.user_id')
      .select(['visits.id', 'visits.grid_id', 'visits.at', 'visits.note', 'visits.user_id', 'users.display_name']).where('visits.id', '=', id).execute();
    const row = rows[0];
    if (!row) throw new AppError('NOT_FOUND', `Visit ${id} not found.`);
    assertMayReadVisits(ctx.actor, (await this.structure.requireGrid(row.grid_id)).path);
    const [v] = await this.present(this.deps.db, rows);
    if (!v) throw new AppError('NOT_FOUND', `Visit ${id} not found.`);
    return v;
  }

  private async byClientId(clientId: string, userId: number): Promise<number | null> {
    const v = await this.deps.db.selectFrom('visits').select(['id', 'user_id']).where('client_id', '=', clientId).executeTakeFirst();
    if (!v) return null;
    if (v.user_id !== userId) throw new AppError('CONFLICT', 'That clientId was already used for another visit.');
    return v.id;
  }

  private async present(db: Kysely<DB>, rows: Array<{ id: number; grid_id: number; at: Date; note: string; user_id: number; display_name: string }>) {
    const ids = rows.map((r) => r.id);
    const households = ids.length
      ? await db.selectFrom('visit_households').innerJoin('households', 'households.id', 'visit_households.household_id')
        .leftJoin('buildings', 'buildings.id', 'households.building_id')
        .select(['visit_households.visit_id', 'households.id', 'households.room', 'households.building_id', 'buildings.name as building_name'])
        .where('visit_households.visit_id', 'in', ids).orderBy('households.id').execute()
      : [];
    const photos = ids.length ? await db.selectFrom('visit_photos').selectAll().where('visit_id', 'in', ids).orderBy('position').execute() : [];
    return rows.map((r) => ({
      id: r.id, gridId: r.grid_id, at: new Date(r.at).toISOString(), note: r.note, by: { id: r.user_id, name: r.display_name },
      households: households.filter((h) => h.visit_id === r.id).map((h) => ({ id: h.id, room: h.room, buildingId: h.building_id, buildingName: h.building_name ?? null })),
      photos: photos.filter((p) => p.visit_id === r.id).map((p) => p.file_hash),
    }));
  }
}
