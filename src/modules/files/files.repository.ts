import { type Kysely, sql } from 'kysely';
import type { DB, NewFileRow } from '../../db/schema.ts';

export const getFile = (db: Kysely<DB>, hash: string) =>
  db.selectFrom('files').select(['hash', 'mime', 'size', 'width', 'height', 'uploaded_by', 'created_at']).where('hash', '=', hash).executeTakeFirst();

/** Inserts the row unless the same content is already recorded; true when this call created it. */
export async function insertFile(db: Kysely<DB>, row: NewFileRow): Promise<boolean> {
  const inserted = await db.insertInto('files').values(row).onConflict((oc) => oc.column('hash').doNothing()).returning('hash').executeTakeFirst();
  return inserted !== undefined;
}

/** Which of the hashes are recorded uploads. */
/** Who uploaded each of the hashes (absent ones are missing). */
export const uploaders = (db: Kysely<DB>, hashes: readonly string[]) =>
  hashes.length === 0 ? Promise.resolve([]) : db.selectFrom('files').select(['hash', 'uploaded_by']).where('hash', 'in', [...hashes]).execute();

export async function knownHashes(db: Kysely<DB>, hashes: readonly string[]): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const rows = await db.selectFrom('files').select('hash').where('hash', 'in', [...hashes]).execute();
  return new Set(rows.map((r) => r.hash));
}

// ---- where a photo is used, for the read check (files.policy.ts) ----

/** The matters the photo was attached to (report, progress or result). */
export const mattersWithPhoto = (db: Kysely<DB>, hash: string) =>
  db.selectFrom('matters').selectAll().where('id', 'in', db.selectFrom('matter_photos').select('matter_id').where('file_hash', '=', hash)).orderBy('id').execute();

export const assignmentsOfMatters = (db: Kysely<DB>, matterIds: number[]) =>
  matterIds.length === 0 ? Promise.resolve([]) : db.selectFrom('matter_assignments').selectAll().where('matter_id', 'in', matterIds).orderBy('id').execute();

/** The accounts that reported the matters: the reporter's own, or the linked account of the resident reported for. */
export const reporterAccountsOfMatters = (db: Kysely<DB>, matterIds: number[]) =>
  matterIds.length === 0 ? Promise.resolve([]) : db.selectFrom('matter_reporters as r').leftJoin('residents as res', 'res.id', 'r.resident_id')
    .select(['r.matter_id', 'r.user_id', 'res.user_id as resident_user_id']).where('r.matter_id', 'in', matterIds).execute();

/** The tree paths of the grids of the visits the photo was taken on. */
export const gridPathsOfVisitsWithPhoto = (db: Kysely<DB>, hash: string) =>
  db.selectFrom('visit_photos as p').innerJoin('visits as v', 'v.id', 'p.visit_id').innerJoin('nodes as n', 'n.id', 'v.grid_id')
    .select('n.path').where('p.file_hash', '=', hash).execute();

/** The tree paths of the grids of the group messages the photo is attached to (only forwarded messages carry uploads). */
export const gridPathsOfMessagesWithPhoto = (db: Kysely<DB>, hash: string) =>
  db.selectFrom('group_messages as m').innerJoin('nodes as n', 'n.id', 'm.grid_id')
    .select('n.path').where('m.via', '=', 'forward').where(sql<boolean>`m.attachments @> ${JSON.stringify([{ fileHash: hash }])}::jsonb`).execute();
