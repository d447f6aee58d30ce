import { z } from 'zod';

/**
 * manifest.json, the first entry of every backup archive: what the archive holds and what restoring it needs.
 * The PII key is never in the archive; its fingerprint is, so a restore can tell the configured key is the right one.
 */
export const manifestSchema = z.object({
  format: z.literal('dualgrid-backup'),
  version: z.literal(1),
  createdAt: z.string(),
  engine: z.enum(['pglite', 'postgres']),
  /** The database inside the archive: PGlite's own data-folder tarball, or a pg_dump custom-format file. */
  database: z.enum(['pglite.tar.gz', 'database.pgdump']),
  /** The migrations applied to the database, oldest first. */
  migrations: z.array(z.string()),
  /** Rows in every table when the dump was taken (from the dump's own snapshot on PostgreSQL); a restore checks them. */
  rowCounts: z.record(z.string(), z.number().int().nonnegative()),
  /** The uploaded photos under files/ in the archive. */
  files: z.object({ count: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() }),
  /** Whether the configured key opened the sealed numbers at backup time (null: nothing sealed to try). */
  piiKey: z.object({ fingerprint: z.string(), opensData: z.boolean().nullable() }),
});

export type BackupManifest = z.infer<typeof manifestSchema>;

export const MANIFEST = 'manifest.json';
export const FILES = 'files';

export function parseManifest(text: string, archive: string): BackupManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${archive} is not a dualgrid backup: its manifest.json is not JSON.`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`${archive} is not a dualgrid backup this version can restore: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'manifest'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
