import { denied } from '../../core/errors.ts';
import { type Actor, holdsOn } from '../../core/scope.ts';
import type { Role } from '../../db/schema.ts';

/** Visits are logged by the grid's own staff and read by them and the centre above them. */
const VISITORS: readonly Role[] = ['admin', 'community_staff', 'grid_chief', 'grid_worker'];
const READERS: readonly Role[] = ['admin', 'centre_operator', 'community_staff', 'grid_chief', 'grid_worker'];

export function assertMayLogVisit(actor: Actor | null, gridPath: string): void {
  if (!holdsOn(actor, VISITORS, gridPath)) throw denied(actor, 'Only the staff of this grid may log visits to its households.');
}

export function assertMayReadVisits(actor: Actor | null, gridPath: string): void {
  if (!holdsOn(actor, READERS, gridPath)) throw denied(actor, 'Only the staff of this grid may see its visits.');
}
