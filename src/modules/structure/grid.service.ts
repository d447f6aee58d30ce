import { cursorId, page } from '../../core/cursor.ts';
import { AppError, notFound } from '../../core/errors.ts';
import type { RequestContext } from '../../core/scope.ts';
import type { AppDeps } from '../../deps.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { assertMayEditGridContents, assertMayReadGridContents, groupReadScope, isGridStaff } from './structure.policy.ts';
import * as repo from './structure.repository.ts';
import type { StructureService } from './structure.service.ts';
import type { createBuildingBody, createGroupBody, createHouseholdBody, groupQuery, householdQuery, updateGroupBody } from './structure.schema.ts';
import type { z } from 'zod';

/** What hangs under a grid: buildings → units → households, and the online groups that mirror it. */
export class GridService {
  constructor(private readonly deps: AppDeps, private readonly structure: StructureService) {}

  async listBuildings(ctx: RequestContext, gridId: number) {
    const grid = await this.structure.requireGrid(gridId);
    const buildings = await repo.listBuildings(this.deps.db, gridId);
    const headOf = ctx.actor?.assignments.find((a) => a.buildingId !== null && buildings.some((b) => b.id === a.buildingId))?.buildingId ?? null;
    assertMayReadGridContents(ctx.actor, grid.path, headOf);
    // A building or unit head sees only their own building.
    const visible = headOf !== null && !isGridStaff(ctx.actor, grid.path) ? buildings.filter((b) => b.id === headOf) : buildings;
    const units = await repo.listUnits(this.deps.db, visible.map((b) => b.id));
    return visible.map((b) => ({ ...b, units: units.filter((u) => u.building_id === b.id) }));
  }

  async createBuilding(ctx: RequestContext, body: z.infer<typeof createBuildingBody>) {
    return this.deps.db.transaction().execute(async (trx) => {
      const grid = await this.structure.requireGrid(body.gridId, trx);
      assertMayEditGridContents(ctx.actor, grid.path);
      if (grid.status === 'retired') throw new AppError('RETIRED');
      const building = await repo.insertBuilding(trx, { gridId: grid.id, name: body.name, address: body.address, lng: body.lng, lat: body.lat });
      const units = [];
      for (const name of body.units) units.push(await repo.insertUnit(trx, building.id, name));
      await appendAudit(trx, ctx, { action: 'building.create', subjectType: 'building', subjectId: building.id, details: { gridId: grid.id, name: body.name } });
      return { ...building, units };
    });
  }

  async listHouseholds(ctx: RequestContext, q: z.infer<typeof householdQuery>) {
    const grid = await this.structure.requireGrid(q.gridId);
    assertMayReadGridContents(ctx.actor, grid.path, q.buildingId ?? null);
    const afterId = cursorId(q.cursor);
    const rows = await repo.listHouseholds(this.deps.db, { gridId: grid.id, buildingId: q.buildingId, afterId, limit: q.limit });
    return page(rows, q.limit, (r) => [r.id]);
  }

  async createHousehold(ctx: RequestContext, body: z.infer<typeof createHouseholdBody>) {
    return this.deps.db.transaction().execute(async (trx) => {
      const grid = await this.structure.requireGrid(body.gridId, trx);
      assertMayEditGridContents(ctx.actor, grid.path);
      if (body.buildingId !== null) {
        const building = await repo.getBuilding(trx, body.buildingId);
        if (!building || building.grid_id !== grid.id) throw notFound(`Building ${body.buildingId} in grid ${grid.id}`);
      }
      if (body.unitId !== null) {
        const unit = await repo.getUnit(trx, body.unitId);
        if (!unit || unit.building_id !== body.buildingId) throw notFound(`Unit ${body.unitId} in building ${body.buildingId}`);
      }
      const household = await repo.insertHousehold(trx, body);
      await appendAudit(trx, ctx, { action: 'household.create', subjectType: 'household', subjectId: household.id, details: { gridId: grid.id } });
      return household;
    });
  }

  async listGroups(ctx: RequestContext, q: z.infer<typeof groupQuery>) {
    const prefixes = groupReadScope(ctx.actor);
    const afterId = cursorId(q.cursor);
    const rows = await repo.listGroups(this.deps.db, { prefixes, gridId: q.gridId, afterId, limit: q.limit });
    return page(rows, q.limit, (r) => [r.id]);
  }

  async createGroup(ctx: RequestContext, body: z.infer<typeof createGroupBody>) {
    return this.deps.db.transaction().execute(async (trx) => {
      const grid = await this.structure.requireGrid(body.gridId, trx);
      assertMayEditGridContents(ctx.actor, grid.path);
      if (grid.status === 'retired') throw new AppError('RETIRED');
      if (await repo.findGroupByExternal(trx, body.platform, body.externalId)) {
        throw new AppError('CONFLICT', { en: `The ${body.platform} group ${body.externalId} is already bound to a grid.`, zh: `这个群（${body.externalId}）已经绑定到一个网格了。` });
      }
      const group = await repo.insertGroup(trx, body);
      await appendAudit(trx, ctx, { action: 'group.create', subjectType: 'online_group', subjectId: group.id, details: { gridId: grid.id } });
      return { ...group, grid_name: grid.name, grid_code: grid.code };
    });
  }

  async updateGroup(ctx: RequestContext, id: number, patch: z.infer<typeof updateGroupBody>) {
    return this.deps.db.transaction().execute(async (trx) => {
      const group = await repo.getGroup(trx, id);
      if (!group) throw notFound(`Online group ${id}`);
      const grid = await this.structure.requireGrid(group.grid_id, trx);
      assertMayEditGridContents(ctx.actor, grid.path);
      let target = grid;
      if (patch.gridId !== undefined && patch.gridId !== group.grid_id) {
        target = await this.structure.requireGrid(patch.gridId, trx);
        assertMayEditGridContents(ctx.actor, target.path);
      }
      await repo.updateGroup(trx, id, { grid_id: patch.gridId, name: patch.name, status: patch.status });
      await appendAudit(trx, ctx, { action: 'group.update', subjectType: 'online_group', subjectId: id, details: { ...patch } });
      const updated = await repo.getGroup(trx, id);
      if (!updated) throw notFound(`Online group ${id}`);
      return { ...updated, grid_name: target.name, grid_code: target.code };
    });
  }
}
