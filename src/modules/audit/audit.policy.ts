import { denied } from '../../core/errors.ts';
import { type Actor, holdsAny } from '../../core/scope.ts';
import type { Role } from '../../core/vocabulary.ts';

/** The audit trail records who did what to whom, personal-information reveals included: administrators only. */
const READERS: readonly Role[] = ['admin'];

export function assertMayReadAudit(actor: Actor | null): void {
  if (!holdsAny(actor, READERS)) throw denied(actor, { en: 'Only administrators may read the audit trail.', zh: '只有管理员才能查看操作记录。' });
}
