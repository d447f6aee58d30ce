import { denied } from '../../core/errors.ts';
import { type Actor, holdsOn, prefixesFor, scopeOrDeny } from '../../core/scope.ts';
import { type Role, VERIFIED_STATUSES } from '../../core/vocabulary.ts';

/**
 * Who may speak to the online groups. A group's targets hold secrets (robot keys, signing secrets): an
 * administrator or the staff of the group's community. Broadcasts are the centre's and the community's
 * publicity work (宣传). Retrying a failed delivery is an administrator's.
 */
const TARGET_KEEPERS: readonly Role[] = ['admin', 'community_staff'];
const BROADCASTERS: readonly Role[] = ['admin', 'centre_operator', 'community_staff'];

export function assertMayManageTargets(actor: Actor | null, gridPath: string): void {
  if (!holdsOn(actor, TARGET_KEEPERS, gridPath)) throw denied(actor, "Only an administrator or the staff of this group's community may see or change where its messages go.");
}

/** The content library is shared by everyone who broadcasts. */
export function assertMayUseContent(actor: Actor | null): void {
  scopeOrDeny(actor, BROADCASTERS, 'Only administrators, centre operators and community staff may use the broadcast library.');
}

/** Content is changed by an administrator or by whoever wrote it. */
export function assertMayEditContent(actor: Actor | null, createdBy: number | null): void {
  assertMayUseContent(actor);
  if (prefixesFor(actor, ['admin']).length === 0 && actor?.userId !== createdBy) throw denied(actor, 'Only an administrator or its author may change this content.');
}

/** A plan reaches its node or groups only when the actor broadcasts over every one of them. */
export function assertMayBroadcastTo(actor: Actor | null, paths: string[]): void {
  if (paths.length === 0 || !paths.every((p) => holdsOn(actor, BROADCASTERS, p))) throw denied(actor, 'You may broadcast only to groups in your own part of the tree.');
}

export const broadcastScope = (actor: Actor | null): string[] =>
  scopeOrDeny(actor, BROADCASTERS, 'Only administrators, centre operators and community staff may see broadcast plans.');

/** The delivery log: whoever broadcasts sees the deliveries to groups in their scope. */
export const deliveryScope = broadcastScope;

export function assertMayRetry(actor: Actor | null, gridPath: string): void {
  if (!holdsOn(actor, ['admin'], gridPath)) throw denied(actor, 'Only an administrator may send a failed delivery again.');
}

/**
 * A matter's outcome is public once verified (feedback, closed): its
 * result photos anyone with the link may see. Report photos never are.
 */
export const PUBLIC_OUTCOME_STATUSES = VERIFIED_STATUSES;
