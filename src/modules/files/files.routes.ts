import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { readOneFile } from '../../http/multipart.ts';
import * as s from './files.schema.ts';
import { type FilesService, MAX_PHOTO_BYTES, tooLarge } from './files.service.ts';

/** The content never changes under a hash, so browsers may keep it for a year without asking again. */
const CACHE_CONTROL = 'private, max-age=31536000, immutable';

export function filesRoutes(files: FilesService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/api/files', {
      schema: {
        tags: ['files'], summary: 'Upload a photo (JPEG, PNG, WebP, HEIC/HEIF; at most 10 MiB); signed-in users',
        description: 'multipart/form-data with one file. The type is recognised from the content, not the name. '
          + 'Stored once per content: 201 the first time, 200 with created=false for the same bytes again.',
        consumes: ['multipart/form-data'], response: { 200: s.storedFileSchema, 201: s.storedFileSchema },
      },
    }, async (req, reply) => {
      const stored = await files.upload(req.ctx, () => readOneFile(req, { what: 'one photo', maxBytes: MAX_PHOTO_BYTES, tooLarge }));
      return reply.code(stored.created ? 201 : 200).send(stored);
    });

    app.get('/api/files/:hash', {
      schema: { tags: ['files'], summary: 'Read a photo by its SHA-256 hash: its uploader, and whoever may read the matter, visit or group message it belongs to (404 for anyone else)', params: s.hashParams, produces: ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif'] },
    }, async (req, reply) => {
      const file = await files.open(req.ctx, req.params.hash);
      return reply
        .header('content-type', file.mime)
        .header('content-length', file.size)
        .header('cache-control', CACHE_CONTROL)
        // Browsers must not guess another type (say HTML) from the bytes of something stored as a photo.
        .header('x-content-type-options', 'nosniff')
        .send(file.stream);
    });
  };
}
