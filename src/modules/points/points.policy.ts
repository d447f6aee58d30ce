import { denied } from '../../core/errors.ts';
import { type Actor, holdsAny } from '../../core/scope.ts';
import type { Role } from '../../core/vocabulary.ts';

/**
 * Who may do what with points (德分宝). A resident's points are theirs: only the verified resident reads their account
 * and checks in (the service finds their own resident record; nobody reads another's statement). The earning rules
 * are the town's: administrators set them; the centre and community staff read them.
 */
const RULE_READERS: readonly Role[] = ['admin', 'centre_operator', 'community_staff'];

export function assertMayReadRules(actor: Actor | null): void {
  if (!holdsAny(actor, RULE_READERS)) throw denied(actor, { en: 'The earning rules are read by the centre and community staff.', zh: '积分规则只有治理中心和社区工作人员可以查看。' });
}

export function assertMaySetRules(actor: Actor | null): void {
  if (!holdsAny(actor, ['admin'])) throw denied(actor, { en: 'Only administrators change the earning rules.', zh: '只有管理员才能修改积分规则。' });
}
