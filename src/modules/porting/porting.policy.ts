import { AppError, forbidden } from '../../core/errors.ts';
import { type Actor, holdsAny, holdsOn } from '../../core/scope.ts';
import type { Role } from '../../core/vocabulary.ts';

/**
 * Bulk import and export move whole parts of the tree and everyone in them, so they are for
 * administrators only, each within their own subtree; the CLI runs as the system administrator.
 */
const PORTERS: readonly Role[] = ['admin'];

/** The gate in front of every import: rows outside the caller's subtree are then reported one by one. */
export function assertMayImport(actor: Actor | null): void {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  if (!holdsAny(actor, PORTERS)) throw forbidden('Only administrators may import data.');
}

/** One node an import touches: the caller must administer it (or an ancestor of it). */
export function assertMayImportAt(actor: Actor | null, path: string, what: string): void {
  if (!holdsOn(actor, PORTERS, path)) throw forbidden(`You are not an administrator of ${what}.`);
}

export function assertMayExport(actor: Actor | null, path: string): void {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  if (!holdsOn(actor, PORTERS, path)) throw forbidden('Only an administrator of this part of the tree may export it.');
}
