import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import type { DB, JobsTable } from '../../db/schema.ts';

export type Job = Selectable<JobsTable>;

/** Claims up to `batch` due jobs (pending and due, or running with a lapsed lease) with FOR UPDATE SKIP LOCKED; only of `kinds` when given. */
export async function claimDue(db: Kysely<DB>, workerId: string, now: Date, lease: Date, batch: number, kinds?: readonly string[]): Promise<Job[]> {
  const { rows } = await sql<Job>`
    update jobs set status = 'running', locked_by = ${workerId}, locked_until = ${lease}, attempts = attempts + 1
     where id in (select id from jobs
                   where ((status = 'pending' and run_at <= ${now}) or (status = 'running' and locked_until < ${now}))
                     ${kinds?.length ? sql`and kind in (${sql.join([...kinds])})` : sql``}
                   order by run_at, id limit ${batch}
                   for update skip locked)
     returning *`.execute(db);
  return rows;
}

/** The job, locked, when it is still running under this worker's claim. */
export const lockOwned = (db: Kysely<DB>, id: number, workerId: string) =>
  db.selectFrom('jobs').select('id').where('id', '=', id).where('locked_by', '=', workerId).where('status', '=', 'running').forUpdate().executeTakeFirst();

export const markDone = (db: Kysely<DB>, id: number, at: Date) =>
  db.updateTable('jobs').set({ status: 'done', done_at: at, locked_by: null, locked_until: null }).where('id', '=', id).execute();

/** Releases a failed run: pending again at `runAt`, or failed for good. */
export const markFailedRun = (db: Kysely<DB>, id: number, patch: { status: 'pending' | 'failed'; lastError: string; runAt: Date }) =>
  db.updateTable('jobs').set({ status: patch.status, locked_by: null, locked_until: null, last_error: patch.lastError, run_at: patch.runAt }).where('id', '=', id).execute();

/** Stretches a claim still held by `lockedBy`; true when it was. */
export async function extendClaim(db: Kysely<DB>, id: number, lockedBy: string | null, until: Date): Promise<boolean> {
  const res = await db.updateTable('jobs').set({ locked_until: until }).where('id', '=', id).where('locked_by', '=', lockedBy).where('status', '=', 'running').executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export type NewJob = Pick<Insertable<JobsTable>, 'kind' | 'run_at' | 'dedupe_key' | 'payload'> & { matter_id?: number | null };

/** Inserts a job once per dedupe key; a job of the same key seen before is left as it is. */
export const insertJobOnce = (db: Kysely<DB>, job: NewJob) =>
  db.insertInto('jobs').values({ matter_id: null, ...job }).onConflict((oc) => oc.column('dedupe_key').doNothing()).execute();

/** Inserts a job, or brings a cancelled job of the same dedupe key back to pending at the new time. */
export const insertOrReviveJob = (db: Kysely<DB>, job: NewJob) =>
  db.insertInto('jobs').values({ matter_id: null, ...job })
    .onConflict((oc) => oc.column('dedupe_key').doUpdateSet({ status: 'pending', run_at: job.run_at }).where('jobs.status', '=', 'cancelled')).execute();

/** Cancels the pending jobs of a kind whose dedupe key starts with `keyPrefix`. */
export const cancelPending = (db: Kysely<DB>, kind: string, keyPrefix: string) =>
  db.updateTable('jobs').set({ status: 'cancelled' }).where('kind', '=', kind).where('status', '=', 'pending').where('dedupe_key', 'like', `${keyPrefix}%`).execute();
