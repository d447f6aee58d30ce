import { denied } from '../../core/errors.ts';
import { type Actor, holdsAny } from '../../core/scope.ts';

/** The category dictionary and the holiday calendar are shared data: administrators edit them, everyone reads them. */
export function assertMayEditDictionary(actor: Actor | null): void {
  if (!holdsAny(actor, ['admin'])) throw denied(actor, { en: 'Only administrators edit the category dictionary and the calendar.', zh: '只有管理员才能修改事项分类和节假日。' });
}
