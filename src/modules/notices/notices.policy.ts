import { AppError } from '../../core/errors.ts';
import type { Actor } from '../../core/scope.ts';

/** Whose notices a person reads and marks: their own account's, and those of the resident record linked to it. */
export interface NoticeOwner { userId: number; residentId: number | null }

/** Notices are personal: only a signed-in person has any, and only their own. */
export function assertMayReadNotices(actor: Actor | null): Actor {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  return actor;
}

export const ownerOf = (actor: Actor, residentId: number | null): NoticeOwner => ({ userId: actor.userId, residentId });
