import { type Insertable, type Kysely, sql } from 'kysely';
import type { DB, SensingModelsTable } from '../../db/schema.ts';
import { insertJobOnce, type NewJob } from '../jobs/jobs.repository.ts';

/** The versions of the trained sensing model: plain queries; the artifact is read only where a model is loaded. */

const SUMMARY = ['id', 'version', 'status', 'engine', 'params', 'training', 'figures', 'reason', 'created_by', 'created_at', 'promoted_at'] as const;

export const hasAnyModel = async (db: Kysely<DB>) => (await db.selectFrom('sensing_models').select('id').limit(1).executeTakeFirst()) !== undefined;

/** The id and version of the current model: the cheap check each sensor rebuild makes. */
export const currentModelRef = (db: Kysely<DB>) =>
  db.selectFrom('sensing_models').select(['id', 'version', 'engine']).where('status', '=', 'current').executeTakeFirst();

export const modelArtifact = (db: Kysely<DB>, id: number) =>
  db.selectFrom('sensing_models').select(['id', 'engine', 'artifact']).where('id', '=', id).executeTakeFirst();

export const listModels = (db: Kysely<DB>) => db.selectFrom('sensing_models').select(SUMMARY).orderBy('version', 'desc').execute();

export const lockModel = (db: Kysely<DB>, id: number) => db.selectFrom('sensing_models').select(SUMMARY).where('id', '=', id).forUpdate().executeTakeFirst();

/** The current model, locked, so two promotions take turns. */
export const lockCurrent = (db: Kysely<DB>) => db.selectFrom('sensing_models').select(SUMMARY).where('status', '=', 'current').forUpdate().executeTakeFirst();

/** The version promoted most recently before the current one was (retired since), to roll back to. */
export const promotedBefore = (db: Kysely<DB>, current: { id: number; promoted_at: Date | null }) => {
  let q = db.selectFrom('sensing_models').select(SUMMARY).where('id', '<>', current.id).where('status', '=', 'retired').where('promoted_at', 'is not', null)
    .where(sql<boolean>`length(artifact) > 0`);
  if (current.promoted_at) q = q.where('promoted_at', '<', current.promoted_at);
  return q.orderBy('promoted_at', 'desc').orderBy('version', 'desc').limit(1).forUpdate().executeTakeFirst();
};

/** Whether a version still holds its model (old ones are pruned). */
export const hasArtifact = async (db: Kysely<DB>, id: number) =>
  (await db.selectFrom('sensing_models').select('id').where('id', '=', id).where(sql<boolean>`length(artifact) > 0`).executeTakeFirst()) !== undefined;

/**
 * Frees the models of old versions (about 3 MB each; a town retraining nightly would keep a gigabyte a year): all but
 * the newest `keepRejected` rejected ones and all but the `keepRetired` most recently promoted retired ones. Their
 * rows, figures and training records stay.
 */
export async function pruneArtifacts(db: Kysely<DB>, keepRejected = 3, keepRetired = 10): Promise<void> {
  await sql`
    update sensing_models set artifact = ''::bytea
     where length(artifact) > 0 and (
       (status = 'rejected' and id not in (select id from sensing_models where status = 'rejected' order by version desc limit ${keepRejected}))
       or (status = 'retired' and id not in (select id from sensing_models where status = 'retired' order by promoted_at desc nulls last, version desc limit ${keepRetired})))`.execute(db);
}

export const nextVersion = async (db: Kysely<DB>) => {
  const { rows } = await sql<{ v: number }>`select coalesce(max(version), 0)::int + 1 as v from sensing_models`.execute(db);
  return rows[0]?.v ?? 1;
};

export const insertModel = (db: Kysely<DB>, row: Insertable<SensingModelsTable>) =>
  db.insertInto('sensing_models').values(row).returning(SUMMARY).executeTakeFirstOrThrow();

export const setModelStatus = (db: Kysely<DB>, id: number, status: SensingModelsTable['status'], promotedAt?: Date) =>
  db.updateTable('sensing_models').set(promotedAt ? { status, promoted_at: promotedAt } : { status }).where('id', '=', id).returning(SUMMARY).executeTakeFirstOrThrow();

/** Queues a job once per dedupe key and answers its id (the earlier one's on a repeat). */
export async function queueJob(db: Kysely<DB>, job: NewJob & { dedupe_key: string }): Promise<number> {
  await insertJobOnce(db, job);
  const row = await db.selectFrom('jobs').select('id').where('dedupe_key', '=', job.dedupe_key).executeTakeFirstOrThrow();
  return row.id;
}

export type ModelSummary = Awaited<ReturnType<typeof listModels>>[number];
