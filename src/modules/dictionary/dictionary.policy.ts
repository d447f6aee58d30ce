import { denied } from '../../core/errors.ts';
import { type Actor, holdsAny } from '../../core/scope.ts';

/** The category dictionary and the holiday calendar are shared data: administrators edit them, everyone reads them. */
export function assertMayEditDictionary(actor: Actor | null): void {
  if (!holdsAny(actor, ['admin'])) throw denied(actor, 'Only administrators edit the category dictionary and the calendar.');
}
