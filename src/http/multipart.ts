import type { FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.ts';
import { findUnstorableText } from '../core/input.ts';

export interface Upload {
  filename: string;
  mimetype: string;
  data: Buffer;
}

const FILE_TOO_LARGE = new Set(['FST_REQ_FILE_TOO_LARGE', 'FST_FILES_LIMIT', 'FST_PARTS_LIMIT', 'FST_FIELDS_LIMIT']);

/**
 * The one uploaded file of a multipart request, buffered (the size limit stops the parser before more than the
 * limit is held). A body the parser cannot read — a missing boundary, a cut-off part, a broken header — is
 * 400 MALFORMED_UPLOAD, not 500; too large is `tooLarge()` (413 by default); no file is 400.
 */
export async function readOneFile(req: FastifyRequest, o: { what: string; maxBytes?: number; tooLarge?: () => AppError }): Promise<Upload> {
  if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Upload ${o.what} as multipart/form-data with one file field.`);
  try {
    const file = await req.file(o.maxBytes ? { limits: { fileSize: o.maxBytes, files: 1 } } : { limits: { files: 1 } });
    if (!file) throw new AppError('VALIDATION_FAILED', `The upload holds no file; attach ${o.what}.`);
    const data = await file.toBuffer();
    if (findUnstorableText([file.filename, file.mimetype])) throw new AppError('VALIDATION_FAILED', 'The file name holds characters that cannot be stored; rename the file.');
    return { filename: file.filename, mimetype: file.mimetype, data };
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as { code?: string } | null)?.code;
    if (code && FILE_TOO_LARGE.has(code)) throw o.tooLarge?.() ?? new AppError('PAYLOAD_TOO_LARGE');
    req.log.info({ err }, 'unreadable multipart body');
    throw new AppError('MALFORMED_UPLOAD');
  }
}
