import { AppError, notFound } from '../../core/errors.ts';
import { type Actor, isSystem } from '../../core/scope.ts';
import type { AssignmentRow, MatterRow } from '../../db/schema.ts';
import { mayRead as mayReadMatter } from '../matters/matters.policy.ts';
import { mayReadGrid as mayReadMessagesOfGrid } from '../online/online.policy.ts';
import { mayReadVisits } from '../visits/visits.policy.ts';

/** Any signed-in user may upload a photo: grid workers, handlers and residents all report with pictures. */
export function assertMayUploadFile(actor: Actor | null): void {
  if (!actor) throw new AppError('UNAUTHENTICATED', { en: 'Log in to upload a photo.', zh: '请先登录，再上传照片。' });
}

/** Everything a photo is part of, as the read check needs it (public result photos go through /api/public/files). */
export interface PhotoUses {
  uploadedBy: number | null;
  matters: { m: MatterRow; assignments: AssignmentRow[]; reporterUserIds: number[] }[];
  visitGridPaths: string[];
  messageGridPaths: string[];
}

/** The system and the uploader see a photo whatever it belongs to, so their reads need no lookup of its uses. */
export const mayReadOwnUpload = (actor: Actor | null, uploadedBy: number | null): boolean =>
  isSystem(actor) || (actor !== null && uploadedBy === actor.userId);

/**
 * A photo is seen by whoever may see something it belongs to — a matter, a visit, a group message — and by
 * its uploader, who previews it before attaching it. Anyone else is told 404, so hashes reveal nothing.
 */
export function assertMayReadPhoto(actor: Actor | null, uses: PhotoUses): void {
  const allowed = mayReadOwnUpload(actor, uses.uploadedBy)
    || uses.matters.some(({ m, assignments, reporterUserIds }) => mayReadMatter(actor, m, assignments, reporterUserIds))
    || uses.visitGridPaths.some((path) => mayReadVisits(actor, path))
    || uses.messageGridPaths.some((path) => mayReadMessagesOfGrid(actor, path));
  if (!allowed) throw notFound('The file');
}
