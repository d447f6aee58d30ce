import { denied } from '../../core/errors.ts';
import { type Actor, type Assignment, assignmentsWith, holdsOn, prefixesFor } from '../../core/scope.ts';
import type { AssignmentRow, MatterRow } from '../../db/schema.ts';
import type { Role } from '../../core/vocabulary.ts';
import type { MatterVisibility } from './matters.repository.ts';
import { REVEALERS } from '../people/people.policy.ts';

/**
 * Who may do what with a matter. Staff of the place see and act on matters located in their subtree;
 * the centre that owns a matter (after an escalation, perhaps another town's) sees it too; handlers see
 * what is assigned to them; residents see what they reported. Dispatching, verifying and closing belong
 * to the centre, and to community staff for grid and community matters; never to grid workers.
 */
const AREA_READERS: readonly Role[] = ['admin', 'centre_operator', 'community_staff', 'grid_chief', 'grid_worker'];
const CENTRE: readonly Role[] = ['admin', 'centre_operator'];
const REPORTERS: readonly Role[] = ['admin', 'centre_operator', 'board_lead', 'post_handler', 'department_handler', 'community_staff', 'grid_chief', 'grid_worker', 'building_head', 'unit_head', 'volunteer', 'resident'];

export function visibility(actor: Actor | null): MatterVisibility {
  return {
    areaPrefixes: prefixesFor(actor, AREA_READERS),
    ownerPrefixes: prefixesFor(actor, CENTRE),
    subjects: handlerSubjects(actor),
    userId: actor?.userId ?? null,
  };
}

/** The handler identities an actor acts for: their posts, departments, boards, and tree nodes they staff. */
export function handlerSubjects(actor: Actor | null): MatterVisibility['subjects'] {
  const out: MatterVisibility['subjects'] = [];
  for (const a of actor?.assignments ?? []) {
    if (a.role === 'post_handler' && a.postId) out.push({ kind: 'post', id: a.postId });
    if (a.role === 'department_handler' && a.departmentId) out.push({ kind: 'department', id: a.departmentId });
    if (a.role === 'board_lead' && a.boardId) out.push({ kind: 'board', id: a.boardId });
    if (['grid_worker', 'grid_chief', 'community_staff', 'centre_operator'].includes(a.role)) out.push({ kind: 'node', id: a.nodeId });
  }
  return out;
}

export function mayRead(actor: Actor | null, m: MatterRow, assignments: AssignmentRow[], reporterUserIds: number[]): boolean {
  if (!actor) return false;
  if (holdsOn(actor, AREA_READERS, m.area_path) || holdsOn(actor, CENTRE, m.owner_path)) return true;
  if (reporterUserIds.includes(actor.userId)) return true;
  return assignments.some((x) => x.status !== 'cancelled' && actsFor(actor, x) !== null);
}

export function assertMayReport(actor: Actor | null): Role {
  const a = actor?.assignments.find((x) => REPORTERS.includes(x.role));
  if (!a) throw denied(actor, { en: 'Log in to report a matter.', zh: '请先登录，再反映事情。' });
  return a.role;
}

/** Registering, dispatching, verifying, closing: the owning centre; community staff for grid and community matters. */
export function assertMayDispatch(actor: Actor | null, m: MatterRow): Role {
  if (holdsOn(actor, CENTRE, m.owner_path)) return roleOn(actor, CENTRE, m.owner_path);
  if ((m.level === 'grid' || m.level === 'community') && holdsOn(actor, ['community_staff'], m.owner_path)) return 'community_staff';
  if ((m.level === 'grid' || m.level === 'community') && holdsOn(actor, ['community_staff'], m.area_path)) return 'community_staff';
  throw denied(actor, { en: 'Only the centre that owns this matter (or community staff, for grid and community matters) may do this.', zh: '只有负责这件事的综治中心（网格和社区的事件也可以由社区工作人员）才能做这一步。' });
}

/** The role an actor uses to act for an assignment, or null when they do not act for it. */
export function actsFor(actor: Actor | null, x: Pick<AssignmentRow, 'target_kind' | 'target_id'>, nodePath?: string): Role | null {
  for (const a of actor?.assignments ?? []) {
    if (x.target_kind === 'post' && a.role === 'post_handler' && a.postId === x.target_id) return a.role;
    if (x.target_kind === 'department' && a.role === 'department_handler' && a.departmentId === x.target_id) return a.role;
    if (x.target_kind === 'board' && a.role === 'board_lead' && a.boardId === x.target_id) return a.role;
    if (x.target_kind === 'node' && nodeStaff(a, x.target_id, nodePath)) return a.role;
  }
  return null;
}

function nodeStaff(a: Assignment, nodeId: number, nodePath?: string): boolean {
  if (!['grid_worker', 'grid_chief', 'community_staff', 'centre_operator', 'admin'].includes(a.role)) return false;
  // A grid worker acts for their grid; community staff and centres act for nodes within their scope.
  return a.nodeId === nodeId || (a.role !== 'grid_worker' && !!nodePath?.startsWith(a.nodePath));
}

export function assertActsFor(actor: Actor | null, x: AssignmentRow, nodePath?: string): Role {
  const role = actsFor(actor, x, nodePath);
  if (!role) throw denied(actor, { en: `Only ${x.target_name} may do this for this assignment.`, zh: `这项交办只有${x.target_name}才能操作。` });
  return role;
}

export function assertIsReporter(actor: Actor | null, reporterUserIds: number[]): Role {
  if (!actor || !reporterUserIds.includes(actor.userId)) throw denied(actor, { en: 'Only the person who reported the matter may rate it.', zh: '只有反映这件事的人才能评价。' });
  return actor.assignments[0]?.role ?? 'resident';
}

/** Return visits (回访): the centre, community staff and the grid's own staff. */
export function assertMayVisit(actor: Actor | null, m: MatterRow): Role {
  const roles: readonly Role[] = ['admin', 'centre_operator', 'community_staff', 'grid_chief', 'grid_worker'];
  if (holdsOn(actor, roles, m.area_path) || holdsOn(actor, CENTRE, m.owner_path)) return roleOn(actor, roles, m.area_path) ?? 'centre_operator';
  throw denied(actor, { en: 'Only the centre and the staff of this place record return visits.', zh: '只有综治中心和当地工作人员才能登记回访。' });
}

function roleOn(actor: Actor | null, roles: readonly Role[], path: string): Role {
  return assignmentsWith(actor, roles).find((a) => path.startsWith(a.nodePath))?.role ?? roles[0] ?? 'admin';
}

/**
 * Who reported (姓名, masked number) is for the staff of the place and the owning centre, who call back; handlers
 * see the matter, not its reporter. The full number, as for residents (people.policy.ts REVEALERS), only with a
 * reason and an audit row: the same roles over the matter's place, or the centre that owns it.
 */
export function assertMaySeeReporter(actor: Actor | null, m: MatterRow): Role {
  if (holdsOn(actor, CENTRE, m.owner_path)) return roleOn(actor, CENTRE, m.owner_path);
  if (holdsOn(actor, AREA_READERS, m.area_path)) return roleOn(actor, AREA_READERS, m.area_path);
  throw denied(actor, { en: 'Only the centre and the staff of this place see who reported a matter.', zh: '只有中心和本地的工作人员能看到是哪个反映的。' });
}

export function mayRevealReporter(actor: Actor | null, m: MatterRow): boolean {
  return holdsOn(actor, CENTRE, m.owner_path) || holdsOn(actor, REVEALERS.phone, m.area_path);
}

export function assertMayRevealReporter(actor: Actor | null, m: MatterRow): void {
  if (!mayRevealReporter(actor, m)) throw denied(actor, { en: 'Your role may not see the reporter’s full number here.', zh: '你的角色在这里不能看完整的电话号码。' });
}
