import { denied } from '../../core/errors.ts';
import { type Actor, assignmentsWith, holdsOn, prefixesFor, scopeOrDeny } from '../../core/scope.ts';
import type { Role } from '../../core/vocabulary.ts';

/**
 * Who may do what with inspection tasks (排查任务). The centre (and administrators) push and close tasks
 * over their node. Everyone else sees a task through its points: staff see the points located in their
 * part of the tree and nothing else, so a community sees only its own points of a town-wide task.
 * Checking a point belongs to the people on the ground: the grid's workers and chief, and the staff of
 * its community; the centre pushes the work but does not tick it off.
 */
const CENTRE: readonly Role[] = ['admin', 'centre_operator'];
const READERS: readonly Role[] = ['admin', 'centre_operator', 'community_staff', 'grid_chief', 'grid_worker'];
const GRID_STAFF: readonly Role[] = ['grid_worker', 'grid_chief'];
const CHECKERS: readonly Role[] = [...GRID_STAFF, 'community_staff'];

export function assertMayManage(actor: Actor | null, nodePath: string): void {
  if (!holdsOn(actor, CENTRE, nodePath)) throw denied(actor, { en: 'Only the centre (or an administrator) over this node may push or close inspection tasks.', zh: '只有上级综治中心（或管理员）才能下发或结束巡查任务。' });
}

/** Tree prefixes under which the actor sees inspection points; empty when they see none. */
export const readPrefixes = (actor: Actor | null): string[] => prefixesFor(actor, READERS);

export const assertMayList = (actor: Actor | null): string[] => scopeOrDeny(actor, READERS, 'Only centre, community and grid staff see inspection tasks.');

/** The grids the actor works in as grid worker or grid chief: what "my points" means. */
export const myGridPrefixes = (actor: Actor | null): string[] => prefixesFor(actor, GRID_STAFF);

/** The role under which the actor checks a point of the grid at `gridPath`. */
export function assertMayCheck(actor: Actor | null, gridPath: string): Role {
  const own = assignmentsWith(actor, CHECKERS).filter((a) => gridPath.startsWith(a.nodePath));
  // Prefer the grid role: a community cadre who is also this grid's chief checks as its chief.
  const role = own.find((a) => GRID_STAFF.includes(a.role))?.role ?? own[0]?.role;
  if (!role) throw denied(actor, { en: 'Only the workers and chief of this point’s grid, or the staff of its community, may check it.', zh: '只有这个点位所在网格的网格员、网格长或社区工作人员才能检查。' });
  return role;
}
