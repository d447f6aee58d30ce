import { AppError, denied, type Said } from './errors.ts';
import type { Role } from './vocabulary.ts';

/** One active role of a user, with the tree path of the node it is scoped to. */
export interface Assignment {
  id: number;
  role: Role;
  nodeId: number;
  nodePath: string;
  boardId: number | null;
  postId: number | null;
  departmentId: number | null;
  buildingId: number | null;
  unitId: number | null;
  abSlot: 'A' | 'B' | null;
  employment: 'full_time' | 'part_time' | null;
}

export interface Actor {
  userId: number;
  username: string;
  displayName: string;
  assignments: Assignment[];
  via: 'session' | 'token';
  /** The system itself (jobs, the CLI, the demo loader): never a user, recorded with no user id. */
  system?: true;
}

/** The caller of one request: who (maybe nobody), from where, and under which request id for the audit trail. */
export interface RequestContext {
  actor: Actor | null;
  ip: string;
  requestId: string;
  /** The time the step happens; absent means now. The demo history replays a year through the services with it. */
  at?: Date;
}

export const nowOf = (ctx: RequestContext): Date => ctx.at ?? new Date();

/** True when the actor holds one of `roles` on `path` or on an ancestor of it. */
export function holdsOn(actor: Actor | null, roles: readonly Role[], path: string): boolean {
  return !!actor?.assignments.some((a) => roles.includes(a.role) && path.startsWith(a.nodePath));
}

export function holdsAny(actor: Actor | null, roles: readonly Role[]): boolean {
  return !!actor?.assignments.some((a) => roles.includes(a.role));
}

/** The smallest set of tree-path prefixes the actor reaches with any of `roles` (nested ones dropped). */
export function prefixesFor(actor: Actor | null, roles: readonly Role[]): string[] {
  const paths = [...new Set((actor?.assignments ?? []).filter((a) => roles.includes(a.role)).map((a) => a.nodePath))].sort();
  return paths.filter((p, i) => !paths.slice(0, i).some((q) => p.startsWith(q)));
}

/** The actor's tree prefixes for `roles`, or a refusal saying who may (401 for the anonymous). */
export function scopeOrDeny(actor: Actor | null, roles: readonly Role[], why: string | Said): string[] {
  const prefixes = prefixesFor(actor, roles);
  if (prefixes.length === 0) throw denied(actor, why);
  return prefixes;
}

/** The caller must be signed in: the anonymous learn nothing, not even whether what they ask for exists. */
export function assertSignedIn(actor: Actor | null, why?: string): asserts actor is Actor {
  if (!actor) throw new AppError('UNAUTHENTICATED', why);
}

/** The signed-in caller (their own session, tokens and profile). */
export function signedIn(actor: Actor | null): Actor {
  assertSignedIn(actor);
  return actor;
}

export function assignmentsWith(actor: Actor | null, roles: readonly Role[]): Assignment[] {
  return (actor?.assignments ?? []).filter((a) => roles.includes(a.role));
}

/**
 * The system actor, for deadline jobs, CLI commands and the demo loader: an administrator over the whole tree,
 * audited as "system". It is told apart by `system: true`, never by its user id.
 */
export function systemContext(requestId = 'system', at?: Date): RequestContext {
  const root: Assignment = { id: 0, role: 'admin', nodeId: 0, nodePath: '/', boardId: null, postId: null, departmentId: null, buildingId: null, unitId: null, abSlot: null, employment: null };
  const ctx: RequestContext = { actor: { userId: 0, username: 'system', displayName: 'system', assignments: [root], via: 'token', system: true }, ip: 'local', requestId };
  return at ? { ...ctx, at } : ctx;
}

export const isSystem = (actor: Actor | null): boolean => actor?.system === true;

/** The user id a step or audit row records for the actor: null for nobody and for the system. */
export const recordedUserId = (actor: Actor | null): number | null => (actor && !actor.system ? actor.userId : null);
