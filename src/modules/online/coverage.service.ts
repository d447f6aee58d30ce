import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { notFound } from '../../core/errors.ts';
import { type Actor, assertSignedIn, type RequestContext } from '../../core/scope.ts';
import type { DB } from '../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { mayReadResident } from '../people/people.policy.ts';
import { type CoverageRow, coverageRows, groupWithGrid, listMembers, upsertMember } from './groups.repository.ts';
import { activeRolePathsOf, getResidentPlace, getUser, listActiveNodesUnder } from './lookups.repository.ts';
import type { memberBody } from './online.schema.ts';
import { assertMayEditMembers, mayLinkAccount, mayReadGrid } from './online.policy.ts';
import { figuresNode } from './subtree.service.ts';

/** A group's coverage row with its departments in id order and whether it is covered (三定 · 进圈入群). */
export type GroupCoverage = CoverageRow & { departments: { id: number; name: string }[]; covered: boolean };

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
    assertSignedIn(ctx.actor);
    const group = await readableGroup(this.deps.db, ctx.actor, groupId);
    return listMembers(this.deps.db, group.id);
  }

  /** Adds a member, or links an existing one (same chat id) to a resident or a staff account. */
  async addMember(ctx: RequestContext, groupId: number, body: z.infer<typeof memberBody>) {
    return this.deps.db.transaction().execute(async (trx) => {
      const group = await readableGroup(trx, ctx.actor, groupId);
      assertMayEditMembers(ctx.actor, group.path);
      if (body.residentId) {
        const r = await getResidentPlace(trx, body.residentId);
        if (!r || !mayReadResident(ctx.actor, { gridPath: r.path, buildingId: r.building_id, unitId: r.unit_id })) throw notFound(`Resident ${body.residentId}`);
      }
      if (body.userId) {
        const paths = (await getUser(trx, body.userId)) ? (await activeRolePathsOf(trx, body.userId)).map((r) => r.path) : [];
        if (!mayLinkAccount(group.path, paths)) throw notFound(`User ${body.userId}`);
      }
      const row = await upsertMember(trx, {
        group_id: group.id, external_user_id: body.externalUserId, display_name: body.displayName, resident_id: body.residentId ?? null, user_id: body.userId ?? null,
      });
      await appendAudit(trx, ctx, { action: 'group.member', subjectType: 'online_group', subjectId: group.id, details: { memberId: row.id, residentId: row.resident_id, userId: row.user_id } });
      return { ...row, user_name: null as string | null };
    });
  }

  /** Per group under a node: real-name members, grid worker, grid chief and departments present; figures per grid, community and town. */
  async coverage(ctx: RequestContext, underId?: number) {
    const { db } = this.deps;
    const under = await figuresNode(db, ctx.actor, underId);
    const groups = (await coverageRows(db, under.path)).map((r): GroupCoverage => {
      const departments = (r.departments ?? []).sort((a, b) => a.id - b.id);
      return { ...r, departments, covered: r.worker && r.chief && departments.length > 0 };
    });
    const nodes = await listActiveNodesUnder(db, under.path, ['town', 'community', 'grid']);
    const grids = nodes.filter((n) => n.level === 'grid');
    const figures = nodes.map((n): CoverageFigures => {
      const gs = groups.filter((g) => g.grid_path.startsWith(n.path));
      const gridsIn = grids.filter((g) => g.path.startsWith(n.path));
      const withGroup = gridsIn.filter((g) => gs.some((x) => x.grid_id === g.id)).length;
      const covered = gs.filter((g) => g.covered).length;
      return {
        nodeId: n.id, name: n.name, level: n.level, grids: gridsIn.length, gridsWithGroup: withGroup,
        groups: gs.length, groupsWithWorker: gs.filter((g) => g.worker).length, groupsWithChief: gs.filter((g) => g.chief).length,
        groupsWithDepartment: gs.filter((g) => g.departments.length > 0).length, coveredGroups: covered,
        members: gs.reduce((s, g) => s + g.members, 0), realName: gs.reduce((s, g) => s + g.real_name, 0),
        gridCoverage: ratio(withGroup, gridsIn.length), staffCoverage: ratio(covered, gs.length),
      };
    });
    return { under, groups, figures };
  }
}

/** A group the actor may read; another grid's group is not found. */
async function readableGroup(db: Kysely<DB>, actor: Actor | null, groupId: number) {
  const group = await groupWithGrid(db, groupId);
  if (!group || !mayReadGrid(actor, group.path)) throw notFound(`Online group ${groupId}`);
  return group;
}
