import { type Kysely, sql } from 'kysely';
import type { z } from 'zod';
import { AppError, notFound } from '../../core/errors.ts';
import type { RequestContext } from '../../core/scope.ts';
import type { DB } from '../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { mayReadResident } from '../people/people.policy.ts';
import { groupWithGrid } from './messages.repository.ts';
import type { memberBody } from './online.schema.ts';
import { assertMayEditMembers, mayReadGrid, messageScope } from './online.policy.ts';

export interface GroupCoverage {
  groupId: number; groupName: string; gridId: number; gridName: string;
  members: number; realName: number; hasGridWorker: boolean; hasGridChief: boolean;
  departments: { id: number; name: string }[]; covered: boolean;
}

export interface CoverageFigures {
  nodeId: number; name: string; level: string;
  grids: number; gridsWithGroup: number; groups: number; groupsWithWorker: number; groupsWithChief: number; groupsWithDepartment: number;
  coveredGroups: number; members: number; realName: number;
  /** Share of active grids with at least one active group, 0..1. */
  gridCoverage: number;
  /** Share of groups with the grid worker, the grid chief and at least one department in them (三定 · 进圈入群), 0..1. */
  staffCoverage: number;
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 1000) / 1000);

/** Who is in each online group (实名), and whether the grid's staff and departments are in it. */
export class CoverageService {
  constructor(private readonly deps: AppDeps) {}

  async members(ctx: RequestContext, groupId: number) {
    const group = await this.readableGroup(ctx, groupId);
    return this.deps.db.selectFrom('group_members as m').leftJoin('users as u', 'u.id', 'm.user_id')
      .select(['m.id', 'm.group_id', 'm.external_user_id', 'm.display_name', 'm.resident_id', 'm.user_id', 'm.joined_at', 'm.left_at', 'u.display_name as user_name'])
      .where('m.group_id', '=', group.id).orderBy('m.id').execute();
  }

  /** Adds a member, or links an existing one (same chat id) to a resident or a staff account. */
  async addMember(ctx: RequestContext, groupId: number, body: z.infer<typeof memberBody>) {
    const { db } = this.deps;
    return db.transaction().execute(async (trx) => {
      const group = await groupWithGrid(trx, groupId);
      if (!group || !mayReadGrid(ctx.actor, group.path)) throw notFound(`Online group ${groupId}`);
      assertMayEditMembers(ctx.actor, group.path);
      if (body.residentId) {
        const r = await trx.selectFrom('residents as r').innerJoin('nodes as n', 'n.id', 'r.grid_id').leftJoin('households as h', 'h.id', 'r.household_id')
          .select(['r.id', 'n.path', 'h.building_id', 'h.unit_id']).where('r.id', '=', body.residentId).executeTakeFirst();
        if (!r || !mayReadResident(ctx.actor, { gridPath: r.path, buildingId: r.building_id, unitId: r.unit_id })) throw notFound(`Resident ${body.residentId}`);
      }
      if (body.userId && !(await trx.selectFrom('users').select('id').where('id', '=', body.userId).executeTakeFirst())) throw notFound(`User ${body.userId}`);
      const row = await trx.insertInto('group_members').values({
        group_id: group.id, external_user_id: body.externalUserId, display_name: body.displayName, resident_id: body.residentId ?? null, user_id: body.userId ?? null,
      }).onConflict((oc) => oc.columns(['group_id', 'external_user_id']).doUpdateSet({
        display_name: body.displayName, resident_id: body.residentId ?? null, user_id: body.userId ?? null, left_at: null,
      })).returningAll().executeTakeFirstOrThrow();
      await appendAudit(trx, ctx, { action: 'group.member', subjectType: 'online_group', subjectId: group.id, details: { memberId: row.id, residentId: row.resident_id, userId: row.user_id } });
      return { ...row, user_name: null as string | null };
    });
  }

  /** Per group under a node: real-name members, grid worker, grid chief and departments present; figures per grid, community and town. */
  async coverage(ctx: RequestContext, underId?: number) {
    const prefixes = messageScope(ctx.actor);
    const { db } = this.deps;
    const under = underId
      ? await db.selectFrom('nodes').select(['id', 'path', 'name', 'level']).where('id', '=', underId).executeTakeFirst()
      : await db.selectFrom('nodes').select(['id', 'path', 'name', 'level']).where('path', '=', prefixes[0] ?? '').executeTakeFirst();
    if (!under) throw notFound(`Node ${underId}`);
    if (!prefixes.some((p) => under.path.startsWith(p))) throw new AppError('FORBIDDEN', 'That part of the tree is outside your scope.');
    const groups = await groupRows(db, under.path);
    const nodes = await db.selectFrom('nodes').select(['id', 'path', 'name', 'level']).where('path', 'like', `${under.path}%`).where('status', '=', 'active')
      .where('level', 'in', ['town', 'community', 'grid']).orderBy('path').execute();
    const grids = nodes.filter((n) => n.level === 'grid');
    const figures = nodes.map((n): CoverageFigures => {
      const gs = groups.filter((g) => g.gridPath.startsWith(n.path));
      const gridsIn = grids.filter((g) => g.path.startsWith(n.path));
      return {
        nodeId: n.id, name: n.name, level: n.level, grids: gridsIn.length, gridsWithGroup: gridsIn.filter((g) => gs.some((x) => x.gridId === g.id)).length,
        groups: gs.length, groupsWithWorker: gs.filter((g) => g.hasGridWorker).length, groupsWithChief: gs.filter((g) => g.hasGridChief).length,
        groupsWithDepartment: gs.filter((g) => g.departments.length > 0).length, coveredGroups: gs.filter((g) => g.covered).length,
        members: gs.reduce((s, g) => s + g.members, 0), realName: gs.reduce((s, g) => s + g.realName, 0),
        gridCoverage: ratio(gridsIn.filter((g) => gs.some((x) => x.gridId === g.id)).length, gridsIn.length), staffCoverage: ratio(gs.filter((g) => g.covered).length, gs.length),
      };
    });
    return {
      under: { id: under.id, name: under.name, level: under.level },
      groups: groups.map(({ gridPath: _p, ...g }) => g),
      grids: figures.filter((f) => f.level === 'grid'), communities: figures.filter((f) => f.level === 'community'), towns: figures.filter((f) => f.level === 'town'),
    };
  }

  private async readableGroup(ctx: RequestContext, groupId: number) {
    if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
    const group = await groupWithGrid(this.deps.db, groupId);
    if (!group || !mayReadGrid(ctx.actor, group.path)) throw notFound(`Online group ${groupId}`);
    return group;
  }
}

async function groupRows(db: Kysely<DB>, path: string): Promise<(GroupCoverage & { gridPath: string })[]> {
  const { rows } = await sql<{ group_id: number; group_name: string; grid_id: number; grid_name: string; grid_path: string; members: number; real_name: number; worker: boolean; chief: boolean; departments: { id: number; name: string }[] | null }>`
    select g.id as group_id, g.name as group_name, n.id as grid_id, n.name as grid_name, n.path as grid_path,
      (select count(*)::int from group_members m where m.group_id = g.id and m.left_at is null) as members,
      (select count(*)::int from group_members m where m.group_id = g.id and m.left_at is null and (m.resident_id is not null or m.user_id is not null)) as real_name,
      exists (select 1 from group_members m join role_assignments ra on ra.user_id = m.user_id and ra.ended_at is null
              where m.group_id = g.id and m.left_at is null and ra.role = 'grid_worker' and ra.node_id = g.grid_id) as worker,
      exists (select 1 from group_members m join role_assignments ra on ra.user_id = m.user_id and ra.ended_at is null
              where m.group_id = g.id and m.left_at is null and ra.role = 'grid_chief' and ra.node_id = g.grid_id) as chief,
      (select json_agg(distinct jsonb_build_object('id', d.id, 'name', d.name))
         from group_members m join role_assignments ra on ra.user_id = m.user_id and ra.ended_at is null
         join departments d on d.id = ra.department_id
        where m.group_id = g.id and m.left_at is null and ra.role = 'department_handler') as departments
    from online_groups g join nodes n on n.id = g.grid_id
    where g.status = 'active' and n.status = 'active' and n.path like ${`${path}%`}
    order by n.path, g.id`.execute(db);
  return rows.map((r) => {
    const departments = (r.departments ?? []).sort((a, b) => a.id - b.id);
    return {
      groupId: r.group_id, groupName: r.group_name, gridId: r.grid_id, gridName: r.grid_name, gridPath: r.grid_path, members: r.members, realName: r.real_name,
      hasGridWorker: r.worker, hasGridChief: r.chief, departments, covered: r.worker && r.chief && departments.length > 0,
    };
  });
}
