import { denied } from '../../core/errors.ts';
import { type Actor, holdsAny } from '../../core/scope.ts';
import type { Role } from '../../core/vocabulary.ts';

/** The labels and the model versions are the town's, kept by administrators (like the sensing phrases). */
const KEEPERS: readonly Role[] = ['admin'];

export const mayManageSensing = (actor: Actor | null) => holdsAny(actor, KEEPERS);

export function assertMayManageSensing(actor: Actor | null): void {
  if (!mayManageSensing(actor)) throw denied(actor, { en: 'Only an administrator may read the sensing labels or change the sensing model.', zh: '只有管理员才能查看感知标注或更换感知模型。' });
}
