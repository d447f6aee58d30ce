import { denied, forbidden } from '../../core/errors.ts';
import { type Actor, holdsOn, recordedUserId } from '../../core/scope.ts';
import type { Role } from '../../core/vocabulary.ts';

/** Visits are logged by the grid's own staff and read by them and the centre above them. */
const VISITORS: readonly Role[] = ['admin', 'community_staff', 'grid_chief', 'grid_worker'];
const READERS: readonly Role[] = ['admin', 'centre_operator', 'community_staff', 'grid_chief', 'grid_worker'];

/** Checks the actor may log a visit in the grid and returns who the visit is recorded as: a person, never the system. */
export function assertMayLogVisit(actor: Actor | null, gridPath: string): number {
  if (!holdsOn(actor, VISITORS, gridPath)) throw denied(actor, { en: 'Only the staff of this grid may log visits to its households.', zh: '只有本网格的工作人员才能登记这里的走访。' });
  const visitor = recordedUserId(actor);
  if (visitor === null) throw forbidden({ en: 'A visit is logged by the person who made it, not by the system.', zh: '走访要由去走访的人自己登记。' });
  return visitor;
}

/** Whether the actor may read the visits of the grid (and so the photos taken on them). */
export const mayReadVisits = (actor: Actor | null, gridPath: string): boolean => holdsOn(actor, READERS, gridPath);

export function assertMayReadVisits(actor: Actor | null, gridPath: string): void {
  if (!mayReadVisits(actor, gridPath)) throw denied(actor, { en: 'Only the staff of this grid may see its visits.', zh: '只有本网格的工作人员才能看这里的走访。' });
}
