import { AppError } from '../../core/errors.ts';
import type { Actor, RequestContext } from '../../core/scope.ts';
import type { Role } from '../../core/vocabulary.ts';

/**
 * Roles an account may hold and still sign in with only a phone code. Staff accounts reach other people's
 * data, so they keep their username and password: in demo SMS mode anyone who knows a number gets its code.
 */
const PHONE_ROLES: readonly Role[] = ['resident', 'volunteer', 'merchant'];

/** The caller, who must be signed in (their own session, tokens and profile). */
export function requireActor(ctx: RequestContext): Actor {
  if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
  return ctx.actor;
}

/** Whether an account with these roles may sign in by phone code alone (no roles left: it comes back as a resident). */
export const maySignInByPhone = (roles: readonly Role[]): boolean => roles.every((r) => PHONE_ROLES.includes(r));
