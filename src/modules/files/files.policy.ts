import { AppError } from '../../core/errors.ts';
import type { Actor } from '../../core/scope.ts';

/** Any signed-in user may upload a photo: grid workers, handlers and residents all report with pictures. */
export function assertMayUploadFile(actor: Actor | null): void {
  if (!actor) throw new AppError('UNAUTHENTICATED', 'Log in to upload a photo.');
}

export function assertMayReadFile(actor: Actor | null, _hash: string): void {
  // For now any signed-in user may read a photo by its hash; the matters module will narrow this to the people of the matter.
  if (!actor) throw new AppError('UNAUTHENTICATED', 'Log in to see this photo.');
}
