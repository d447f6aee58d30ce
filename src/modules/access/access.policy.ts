import type { Role } from '../../core/vocabulary.ts';
import { mayReadAccount } from '../people/people.policy.ts';

/**
 * Roles an account may hold and still sign in with only a phone code. Staff accounts reach other people's
 * data, so they keep their username and password: in demo SMS mode anyone who knows a number gets its code.
 */
const PHONE_ROLES: readonly Role[] = ['resident', 'volunteer', 'merchant'];

/** Whether an account with these roles may sign in by phone code alone (no roles left: it comes back as a resident). */
export const maySignInByPhone = (roles: readonly Role[]): boolean => roles.every((r) => PHONE_ROLES.includes(r));

/** Who may lift an account's sign-in throttle: whoever administers the account (the same as who may read it). */
export const mayUnlockAccount = mayReadAccount;
