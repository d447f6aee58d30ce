import { denied } from '../../core/errors.ts';
import { type Actor, holdsOn, prefixesFor } from '../../core/scope.ts';
import type { Role } from '../../db/schema.ts';

/** Roles only an administrator above the node may grant; admins manage people inside their own subtree. */
const MANAGERS: readonly Role[] = ['admin'];

export function assertMayManagePeopleAt(actor: Actor | null, nodePath: string): void {
  if (!holdsOn(actor, MANAGERS, nodePath)) throw denied(actor, 'Only an administrator of this part of the tree may manage people and roles here.');
}

/** Granting admin at the actor's own node is allowed (a colleague); above it is not, since the path check fails. */
export function peopleScope(actor: Actor | null): string[] {
  return prefixesFor(actor, MANAGERS);
}

export function assertMayReadAudit(actor: Actor | null): string[] {
  const prefixes = prefixesFor(actor, MANAGERS);
  if (prefixes.length === 0) throw denied(actor, 'Only administrators may read the audit trail.');
  return prefixes;
}
