import { denied, forbidden } from '../../core/errors.ts';
import { type Actor, holdsAny, holdsOn, scopeOrDeny } from '../../core/scope.ts';
import type { Role } from '../../core/vocabulary.ts';

/**
 * Who may do what with the online grid. Messages and groups belong to their grid: its staff, the
 * community above it and the centre see and act on them. Held messages (from groups nobody bound yet),
 * intake sources and the sensing dictionary are for administrators.
 */
const GRID_STAFF: readonly Role[] = ['admin', 'centre_operator', 'community_staff', 'grid_chief', 'grid_worker'];
const MEMBER_EDITORS: readonly Role[] = ['admin', 'community_staff', 'grid_chief', 'grid_worker'];
const ADMIN: readonly Role[] = ['admin'];

export const messageScope = (actor: Actor | null): string[] => scopeOrDeny(actor, GRID_STAFF, 'Only grid, community and centre staff may read group messages.');

export const mayReadGrid = (actor: Actor | null, gridPath: string) => holdsOn(actor, GRID_STAFF, gridPath);

/** A message of a known grid is its staff's; a held one (no grid yet) only administrators'. */
export const mayReadMessage = (actor: Actor | null, gridPath: string | null) => (gridPath ? mayReadGrid(actor, gridPath) : isAdmin(actor));

export const isAdmin = (actor: Actor | null) => holdsAny(actor, ADMIN);

/**
 * An account may be named as a member of a grid's group when it works on that branch of the tree: a role at the
 * grid or below it (its worker, a resident, a micro-grid head) or above it (the community, the town's departments).
 * Any other account is answered as unknown, so member links cannot be used to look up names across the tree.
 */
export const mayLinkAccount = (groupPath: string, rolePaths: readonly string[]) =>
  rolePaths.some((p) => groupPath.startsWith(p) || p.startsWith(groupPath));

/** A figures page is about a node inside one of the actor's message scopes. */
export function assertWithinScope(prefixes: string[], path: string): void {
  if (!prefixes.some((p) => path.startsWith(p))) throw forbidden({ en: 'That part of the tree is outside your scope.', zh: '这一片区不在你的管辖范围内。' });
}

export function assertMayActOnGrid(actor: Actor | null, gridPath: string, what: string): void {
  if (!holdsOn(actor, GRID_STAFF, gridPath)) throw denied(actor, `Only the staff of this grid (or its community and centre) may ${what}.`);
}

export function assertMayEditMembers(actor: Actor | null, gridPath: string): void {
  if (!holdsOn(actor, MEMBER_EDITORS, gridPath)) throw denied(actor, { en: 'Only the staff of this grid may change its group members.', zh: '只有本网格的工作人员才能修改群成员。' });
}

export function assertAdmin(actor: Actor | null): void {
  if (!isAdmin(actor)) throw denied(actor, { en: 'Only an administrator may do this.', zh: '只有管理员才能做这件事。' });
}

export function assertAdminOn(actor: Actor | null, path: string): void {
  if (!holdsOn(actor, ADMIN, path)) throw denied(actor, { en: 'Only an administrator of this part of the tree may do this.', zh: '只有这一片区的管理员才能做这件事。' });
}
