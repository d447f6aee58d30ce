import type { Kysely } from 'kysely';
import type { DB, NewFileRow } from '../../db/schema.ts';

export const getFile = (db: Kysely<DB>, hash: string) =>
  db.selectFrom('files').select(['hash', 'mime', 'size', 'width', 'height', 'uploaded_by', 'created_at']).where('hash', '=', hash).executeTakeFirst();

/** Inserts the row unless the same content is already recorded; true when this call created it. */
export async function insertFile(db: Kysely<DB>, row: NewFileRow): Promise<boolean> {
  const inserted = await db.insertInto('files').values(row).onConflict((oc) => oc.column('hash').doNothing()).returning('hash').executeTakeFirst();
  return inserted !== undefined;
}
