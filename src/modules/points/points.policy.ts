import { denied, forbidden } from '../../core/errors.ts';
import { type Actor, holdsAny, holdsOn, prefixesFor, scopeOrDeny } from '../../core/scope.ts';
import type { Role } from '../../core/vocabulary.ts';

/**
 * Who may do what with points (德分宝). A resident's points are theirs: only the verified resident reads their account
 * and checks in (the service finds their own resident record; nobody reads another's statement). The earning rules
 * are the town's: administrators set them; everyone signed in reads them.
 */
/** The earning rules are the scheme's published terms: anyone signed in reads them (a resident sees how to earn). */
export function assertMayReadRules(actor: Actor | null): void {
  if (!actor) throw denied(actor);
}

export function assertMaySetRules(actor: Actor | null): void {
  if (!holdsAny(actor, ['admin'])) throw denied(actor, { en: 'Only administrators change the earning rules.', zh: '只有管理员才能修改积分规则。' });
}

/**
 * The merchant alliance (德商联盟) is the community's: its staff (and the centre, administrators) onboard, suspend and
 * reinstate merchants and read their reports, over their own part of the tree. A merchant's keepers (店主, accounts
 * linked to the shop) run its counter: items, stock, hours, and scanning codes.
 */
const ALLIANCE_STAFF: readonly Role[] = ['admin', 'centre_operator', 'community_staff'];

export const mayManageAlliance = (actor: Actor | null, path: string): boolean => holdsOn(actor, ALLIANCE_STAFF, path);

export function assertMayManageAlliance(actor: Actor | null, path: string): void {
  if (!mayManageAlliance(actor, path)) throw denied(actor, { en: 'Only the staff of this community manage its merchants.', zh: '只有本社区的工作人员才能管理这里的联盟商户。' });
}

/** The paths whose merchants, flags and figures the actor reads as alliance staff; refused when there are none. */
export const allianceScope = (actor: Actor | null): string[] =>
  scopeOrDeny(actor, ALLIANCE_STAFF, { en: 'Only the staff of this community manage its merchants.', zh: '只有本社区的工作人员才能管理这里的联盟商户。' });

export function assertKeeper(actor: Actor | null, keeps: boolean): void {
  if (!keeps) throw denied(actor, { en: 'Only the keepers of this merchant use its counter.', zh: '只有这家商户的店主才能核销。' });
}

/** A shop's items and hours: its keepers, or the community's staff. */
export function assertMayEditShop(actor: Actor | null, path: string, keeps: boolean): void {
  if (!keeps && !mayManageAlliance(actor, path)) throw denied(actor, { en: 'Only the keepers of this merchant or the community staff change its shop.', zh: '只有店主或社区工作人员才能修改商户的兑换品。' });
}

/**
 * Volunteer hours (志愿服务时长): the grid's staff record them for a resident of their part of the tree; the community's
 * staff sign them off, never the one who recorded them (four eyes; the table's constraint keeps it too).
 */
const HOURS_RECORDERS: readonly Role[] = ['admin', 'community_staff', 'grid_chief', 'grid_worker'];
const HOURS_APPROVERS: readonly Role[] = ['admin', 'community_staff'];

export function assertMayRecordHours(actor: Actor | null, residentGridPath: string): void {
  if (!holdsOn(actor, HOURS_RECORDERS, residentGridPath)) throw denied(actor, { en: 'Only the staff of the resident\'s grid or community record volunteer hours.', zh: '只有居民所在网格或社区的工作人员才能登记志愿时长。' });
}

export function assertMayApproveHours(actor: Actor | null, residentGridPath: string, recordedBy: number | null): void {
  if (!holdsOn(actor, HOURS_APPROVERS, residentGridPath)) throw denied(actor, { en: 'Volunteer hours are signed off by the community staff.', zh: '志愿时长由社区工作人员审核。' });
  if (recordedBy !== null && actor && !actor.system && actor.userId === recordedBy) {
    throw forbidden({ en: 'Hours are signed off by someone other than who recorded them.', zh: '登记人不能审核自己登记的时长，请另一位工作人员审核。' });
  }
}

/** The paths whose residents' hours the actor lists: the recorders' and approvers' own part of the tree. */
export function hoursApproverScope(actor: Actor | null): string[] {
  const scope = prefixesFor(actor, HOURS_RECORDERS);
  if (scope.length === 0) throw denied(actor, { en: 'Volunteer hours are listed for the grid and community staff.', zh: '志愿时长只有网格和社区工作人员可以查看。' });
  return scope;
}

/** The scheme's limits and expiry (积分方案) are the town's: administrators set them. */
export const assertMaySetScheme = assertMaySetRules;
