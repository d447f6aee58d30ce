import { createHash } from 'node:crypto';
import type { ReadStream } from 'node:fs';
import type { Kysely } from 'kysely';
import { AppError, notFound } from '../../core/errors.ts';
import { assertSignedIn, type RequestContext, recordedUserId } from '../../core/scope.ts';
import type { DB } from '../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { assertMayReadPhoto, assertMayUploadFile, mayReadOwnUpload, type PhotoUses } from './files.policy.ts';
import * as repo from './files.repository.ts';
import { type PhotoMime, sniffPhoto } from './files.sniff.ts';
import { FileStorage } from './files.storage.ts';

/** Phone photos are 2–6 MB; 10 MiB leaves room for HEIC and high-resolution shots without inviting videos. */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
const HASH = /^[0-9a-f]{64}$/;

export const isFileHash = (value: string) => HASH.test(value);

/**
 * The one check that photos (or other attachments) named in a body were uploaded first: every module that takes
 * file hashes calls it inside its transaction, so a step never refers to content the server does not hold.
 */
export async function assertUploaded(db: Kysely<DB>, hashes: readonly string[], what: 'photos' | 'files' = 'photos'): Promise<void> {
  const known = await repo.knownHashes(db, hashes);
  const missing = hashes.filter((h) => !known.has(h));
  if (missing.length) throw new AppError('VALIDATION_FAILED', `Upload the ${what} first (POST /api/files); unknown: ${missing.join(', ')}.`);
}

/**
 * Photos a person attaches to a public record (a plan, a project) must be their own uploads: a hash seen elsewhere
 * (another grid's photo) cannot be copied onto it. The system attaches any.
 */
export async function assertOwnUploads(db: Kysely<DB>, ctx: RequestContext, hashes: readonly string[]): Promise<void> {
  await assertUploaded(db, hashes);
  const userId = recordedUserId(ctx.actor);
  if (userId === null) return;
  const others = (await repo.uploaders(db, hashes)).filter((f) => f.uploaded_by !== userId).map((f) => f.hash);
  if (others.length) throw new AppError('VALIDATION_FAILED', { en: `Attach photos you uploaded yourself; not yours: ${others.join(', ')}.`, zh: '只能附上你自己上传的照片。' }, { photos: others });
}

export interface StoredFile {
  hash: string;
  mime: PhotoMime;
  size: number;
  width: number | null;
  height: number | null;
  /** False when the same content was already stored: uploads are idempotent. */
  created: boolean;
}

export interface OpenedFile {
  mime: string;
  size: number;
  stream: ReadStream;
}

/** Photos, stored once per content under their SHA-256 and recorded in the files table. */
export class FilesService {
  private readonly storage: FileStorage;

  constructor(private readonly deps: AppDeps) {
    this.storage = new FileStorage(deps.config.filesDir);
  }

  /** Checks the caller before `read` runs, so a refused request never buffers its upload. */
  async upload(ctx: RequestContext, read: () => Promise<{ data: Buffer }>): Promise<StoredFile> {
    assertMayUploadFile(ctx.actor);
    return this.store(ctx, await read());
  }

  /**
   * Stores a photo. The blob is written (atomically) before the row is inserted, so a recorded hash
   * always has its bytes on disk; a crash in between leaves only an unrecorded blob, which a retry reuses.
   */
  async store(ctx: RequestContext, input: { data: Buffer }): Promise<StoredFile> {
    assertMayUploadFile(ctx.actor);
    const { data } = input;
    if (data.length === 0) throw new AppError('VALIDATION_FAILED', { en: 'The file is empty; attach a photo.', zh: '文件是空的，请重新选一张照片。' });
    if (data.length > MAX_PHOTO_BYTES) throw tooLarge();
    const sniffed = sniffPhoto(data);
    if (!sniffed) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', { en: 'Only JPEG, PNG, WebP and HEIC/HEIF photos are accepted, recognised by their content rather than their name.', zh: '只能上传照片（JPEG、PNG、WebP 或 HEIC 格式）。' });
    }
    const hash = createHash('sha256').update(data).digest('hex');
    await this.storage.put(hash, data);
    const created = await this.deps.db.transaction().execute(async (trx) => {
      const inserted = await repo.insertFile(trx, {
        hash, mime: sniffed.mime, size: data.length, width: sniffed.width, height: sniffed.height,
        // The system actor has no users row.
        uploaded_by: recordedUserId(ctx.actor),
      });
      if (inserted) await appendAudit(trx, ctx, { action: 'file.upload', subjectType: 'file', subjectId: hash, details: { mime: sniffed.mime, size: data.length } });
      return inserted;
    });
    return { hash, mime: sniffed.mime, size: data.length, width: sniffed.width, height: sniffed.height, created };
  }

  /** For services handed photo hashes by clients (matters): true only for a stored photo. */
  async exists(hash: string): Promise<boolean> {
    if (!isFileHash(hash)) return false;
    return (await repo.getFile(this.deps.db, hash)) !== undefined;
  }

  async open(ctx: RequestContext, hash: string): Promise<OpenedFile> {
    // Before the photo is looked up, so the anonymous learn nothing about which hashes exist.
    assertSignedIn(ctx.actor, 'Log in to see this photo.');
    const row = isFileHash(hash) ? await repo.getFile(this.deps.db, hash) : undefined;
    if (!row) throw notFound('The file');
    if (!mayReadOwnUpload(ctx.actor, row.uploaded_by)) assertMayReadPhoto(ctx.actor, await photoUses(this.deps.db, hash, row.uploaded_by));
    const size = await this.storage.sizeOf(hash);
    // A row without its blob means the files folder was lost or not restored with the database.
    if (size === null) throw new Error(`file ${hash} is recorded but missing from ${this.deps.config.filesDir}`);
    return { mime: row.mime, size, stream: this.storage.read(hash) };
  }
}

/** Where the photo is used: its matters (with what their read check needs), visits and group messages. */
async function photoUses(db: Kysely<DB>, hash: string, uploadedBy: number | null): Promise<PhotoUses> {
  const [matters, visitPaths, messagePaths] = await Promise.all([repo.mattersWithPhoto(db, hash), repo.gridPathsOfVisitsWithPhoto(db, hash), repo.gridPathsOfMessagesWithPhoto(db, hash)]);
  const ids = matters.map((m) => m.id);
  const [assignments, reporters] = await Promise.all([repo.assignmentsOfMatters(db, ids), repo.reporterAccountsOfMatters(db, ids)]);
  return {
    uploadedBy,
    matters: matters.map((m) => ({
      m,
      assignments: assignments.filter((a) => a.matter_id === m.id),
      reporterUserIds: reporters.filter((r) => r.matter_id === m.id).flatMap((r) => [r.user_id, r.resident_user_id]).filter((id) => id !== null),
    })),
    visitGridPaths: visitPaths.map((v) => v.path),
    messageGridPaths: messagePaths.map((v) => v.path),
  };
}

export const tooLarge = () => new AppError('PAYLOAD_TOO_LARGE', { en: `A photo may be at most ${MAX_PHOTO_BYTES / 1024 / 1024} MiB; this one is larger.`, zh: `照片最大 ${MAX_PHOTO_BYTES / 1024 / 1024} MB，这张太大了。` });
