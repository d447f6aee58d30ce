import { randomUUID } from 'node:crypto';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { DB, JobsTable } from '../../db/schema.ts';

export type Job = Selectable<JobsTable>;
export type JobHandler = (trx: Kysely<DB>, job: Job, now: Date) => Promise<void>;
/**
 * A job with slow work outside the database (an HTTP call): `outside` runs right after the claim, holding no
 * connection or lock, and returns the step that records its result in the job's transaction. If the claim is
 * lost meanwhile the record is dropped and the new holder runs `outside` again: at-least-once, not exactly once.
 */
export interface OutsideJobHandler {
  outside(job: Job, now: Date): Promise<JobHandler>;
}

export interface RunnerOptions {
  /** How long a claim lasts before another copy may take the job over (a crashed copy's jobs come back). */
  leaseMs?: number;
  batch?: number;
  maxAttempts?: number;
  log?: (msg: string, err?: unknown) => void;
}

/**
 * Durable scheduled work in PostgreSQL. Copies claim due jobs with FOR UPDATE SKIP LOCKED and run each
 * in its own transaction that also marks it done, so a job's effect commits exactly once: a copy that
 * dies mid-job commits nothing, and its lease runs out for another copy to take the job again.
 */
export class JobRunner {
  readonly workerId = randomUUID();
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<number> | null = null;

  constructor(private readonly db: Kysely<DB>, private readonly handlers: Record<string, JobHandler | OutsideJobHandler>, private readonly options: RunnerOptions = {}) {}

  /** Runs every job due at `now` (tests pass a future time to fast-forward); returns how many ran. */
  async runDue(now: Date = new Date()): Promise<number> {
    let total = 0;
    for (;;) {
      const claimed = await this.claim(now);
      if (claimed.length === 0) return total;
      for (const job of claimed) total += (await this.runOne(job, now)) ? 1 : 0;
    }
  }

  private async claim(now: Date): Promise<Job[]> {
    const lease = new Date(now.getTime() + (this.options.leaseMs ?? 60_000));
    const { rows } = await sql<Job>`
      update jobs set status = 'running', locked_by = ${this.workerId}, locked_until = ${lease}, attempts = attempts + 1
       where id in (select id from jobs
                     where (status = 'pending' and run_at <= ${now}) or (status = 'running' and locked_until < ${now})
                     order by run_at, id limit ${this.options.batch ?? 20}
                     for update skip locked)
       returning *`.execute(this.db);
    return rows;
  }

  private async runOne(job: Job, now: Date): Promise<boolean> {
    const registered = this.handlers[job.kind];
    try {
      const handler = typeof registered === 'object' ? await registered.outside(job, now) : registered;
      return await this.db.transaction().execute(async (trx) => {
        // Still ours? Another copy may have taken over after our lease ran out.
        const mine = await trx.selectFrom('jobs').select('id').where('id', '=', job.id).where('locked_by', '=', this.workerId).where('status', '=', 'running').forUpdate().executeTakeFirst();
        if (!mine) return false;
        if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
        await handler(trx, job, now);
        await trx.updateTable('jobs').set({ status: 'done', done_at: new Date(), locked_by: null, locked_until: null }).where('id', '=', job.id).execute();
        return true;
      });
    } catch (err) {
      const failed = job.attempts >= (this.options.maxAttempts ?? 5);
      this.options.log?.(`job ${job.id} (${job.kind}) failed${failed ? ' for good' : ''}`, err);
      // Back off 30 s, 1 min, 2 min, … before trying again.
      await this.db.updateTable('jobs').set({
        status: failed ? 'failed' : 'pending', locked_by: null, locked_until: null, last_error: String(err instanceof Error ? err.message : err).slice(0, 1000),
        run_at: new Date(now.getTime() + 30_000 * 2 ** Math.max(0, job.attempts - 1)),
      }).where('id', '=', job.id).execute();
      return false;
    }
  }

  start(intervalMs = 5000): void {
    if (this.#timer) return;
    const tick = () => {
      // One pass at a time; a slow pass simply delays the next tick.
      if (this.#running) return;
      this.#running = this.runDue().catch((err) => {
        this.options.log?.('job pass failed', err);
        return 0;
      }).finally(() => { this.#running = null; });
    };
    this.#timer = setInterval(tick, intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }
}
