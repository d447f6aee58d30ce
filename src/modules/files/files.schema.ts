import { z } from 'zod';

export const storedFileSchema = z.object({
  hash: z.string().describe('SHA-256 of the content, lowercase hex; the photo is read back at /api/files/{hash}'),
  mime: z.enum(['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif']),
  size: z.number().int().describe('bytes'),
  width: z.number().int().nullable().describe('encoded pixel width when the header gives it (not for HEIC)'),
  height: z.number().int().nullable(),
  created: z.boolean().describe('false when the same content was already stored (the upload is idempotent)'),
});

// A plain string here, not the hex pattern: a malformed hash is answered like an unknown one, with 404.
export const hashParams = z.object({ hash: z.string().max(200) });
