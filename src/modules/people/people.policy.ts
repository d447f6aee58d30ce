import { denied } from '../../core/errors.ts';
import { type Actor, assignmentsWith, holdsAny, holdsOn, prefixesFor } from '../../core/scope.ts';
import type { Role } from '../../core/vocabulary.ts';

/**
 * Residents' personal information under PIPL: only the staff who serve a grid see its people, always
 * masked; the few roles that must call or identify someone may reveal a number, and each reveal is audited.
 * Departments, boards, posts, volunteers, merchants and mediators see no resident data through this area.
 */
const READERS: readonly Role[] = ['admin', 'centre_operator', 'community_staff', 'grid_chief', 'grid_worker'];
const EDITORS: readonly Role[] = ['admin', 'community_staff', 'grid_chief', 'grid_worker'];
const HEADS: readonly Role[] = ['building_head', 'unit_head'];
export const REVEALERS: Record<'phone' | 'id_number', readonly Role[]> = {
  phone: ['admin', 'centre_operator', 'community_staff', 'grid_chief', 'grid_worker'],
  id_number: ['admin', 'community_staff'],
};

export interface ResidentScope {
  prefixes: string[];
  buildingIds: number[];
  unitIds: number[];
}

/** Where the actor may read residents: tree prefixes, plus the buildings or units they head. */
export function residentReadScope(actor: Actor | null): ResidentScope {
  const heads = assignmentsWith(actor, HEADS);
  const scope = {
    prefixes: prefixesFor(actor, READERS),
    buildingIds: heads.filter((a) => a.role === 'building_head' && a.buildingId !== null).map((a) => a.buildingId as number), // filtered non-null above
    unitIds: heads.filter((a) => a.role === 'unit_head' && a.unitId !== null).map((a) => a.unitId as number), // filtered non-null above
  };
  if (scope.prefixes.length + scope.buildingIds.length + scope.unitIds.length === 0) throw denied(actor, { en: 'Your roles give no access to residents’ information.', zh: '你的角色不能查看居民信息。' });
  return scope;
}

export function mayReadResident(actor: Actor | null, r: { gridPath: string; buildingId: number | null; unitId: number | null }): boolean {
  if (holdsOn(actor, READERS, r.gridPath)) return true;
  return assignmentsWith(actor, HEADS).some((a) => (a.role === 'building_head' && a.buildingId !== null && a.buildingId === r.buildingId) || (a.role === 'unit_head' && a.unitId !== null && a.unitId === r.unitId));
}

export function assertMayEditResidents(actor: Actor | null, gridPath: string): void {
  if (!holdsOn(actor, EDITORS, gridPath)) throw denied(actor, { en: 'Only the staff of this grid may record or change its residents.', zh: '只有本网格的工作人员才能登记或修改这里的居民。' });
}

export function assertMayReveal(actor: Actor | null, field: 'phone' | 'id_number', gridPath: string): void {
  if (!holdsOn(actor, REVEALERS[field], gridPath)) {
    throw denied(actor, field === 'phone' ? { en: 'Your role may not see full phone numbers here.', zh: '你的角色在这里不能看完整的手机号。' } : { en: 'Your role may not see full ID numbers.', zh: '你的角色不能看完整的身份证号。' });
  }
}

/** Accounts and roles are managed by administrators, inside their own subtree (a colleague at their own node too). */
const MANAGERS: readonly Role[] = ['admin'];

export function assertMayManagePeopleAt(actor: Actor | null, nodePath: string): void {
  if (!holdsOn(actor, MANAGERS, nodePath)) throw denied(actor, { en: 'Only an administrator of this part of the tree may manage people and roles here.', zh: '只有这一片区的管理员才能管理这里的人员和角色。' });
}

/** Where the actor may list accounts: the subtrees they administer. */
export function accountScope(actor: Actor | null): string[] {
  if (!holdsAny(actor, MANAGERS)) throw denied(actor, { en: 'Only administrators may list accounts.', zh: '只有管理员才能查看账号列表。' });
  return prefixesFor(actor, MANAGERS);
}

/** An account is visible to an administrator above any role it holds or held (ended ones keep it in sight). */
export const mayReadAccount = (actor: Actor | null, rolePaths: readonly string[]): boolean =>
  rolePaths.some((path) => holdsOn(actor, MANAGERS, path));
