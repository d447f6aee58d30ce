import { denied } from '../../core/errors.ts';
import { type Actor, assignmentsWith, holdsAny, holdsOn, scopeOrDeny } from '../../core/scope.ts';
import type { Role } from '../../core/vocabulary.ts';

/**
 * Who may do what with the governed structure. The tree itself (names, codes, boundaries, aggregate
 * counts) is public, as on a building's QR code; what lies inside grids is for staff in scope.
 */
const TREE_EDITORS: readonly Role[] = ['admin'];
const GRID_STAFF: readonly Role[] = ['admin', 'centre_operator', 'community_staff', 'grid_chief', 'grid_worker'];
const GRID_EDITORS: readonly Role[] = ['admin', 'community_staff', 'grid_chief', 'grid_worker'];
const STAFF: readonly Role[] = ['admin', 'centre_operator', 'board_lead', 'post_handler', 'department_handler', 'community_staff',
  'grid_chief', 'grid_worker', 'building_head', 'unit_head', 'volunteer', 'mediator'];

export function assertMayEditTree(actor: Actor | null, path: string): void {
  if (!holdsOn(actor, TREE_EDITORS, path)) throw denied(actor, { en: 'Only an administrator of this part of the tree may change it.', zh: '只有这一片区的管理员才能修改。' });
}

/** Buildings, units and households of a grid: its staff, and a building or unit head for their own building. */
export const isGridStaff = (actor: Actor | null, gridPath: string) => holdsOn(actor, GRID_STAFF, gridPath);

export function assertMayReadGridContents(actor: Actor | null, gridPath: string, buildingId?: number | null): void {
  if (isGridStaff(actor, gridPath)) return;
  // Unit heads' assignments carry their building too, so one comparison serves both roles.
  if (buildingId != null && assignmentsWith(actor, ['building_head', 'unit_head']).some((a) => a.buildingId === buildingId)) return;
  throw denied(actor, { en: 'Only the staff of this grid may see what is inside it.', zh: '只有本网格的工作人员才能查看网格里的内容。' });
}

export function assertMayEditGridContents(actor: Actor | null, gridPath: string): void {
  if (!holdsOn(actor, GRID_EDITORS, gridPath)) throw denied(actor, { en: 'Only the staff of this grid may change what is inside it.', zh: '只有本网格的工作人员才能修改网格里的内容。' });
}

export const groupReadScope = (actor: Actor | null): string[] => scopeOrDeny(actor, GRID_STAFF, 'Only grid and centre staff may list online groups.');

export function assertMayReadOrganisation(actor: Actor | null): void {
  if (!holdsAny(actor, STAFF)) throw denied(actor, { en: 'Only staff may see the centre organisation.', zh: '只有工作人员才能查看中心的组织架构。' });
}
