import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { claimDue, type Job, lockOwned, markDone, markFailedRun } from './jobs.repository.ts';

export type { Job } from './jobs.repository.ts';
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
  /** Claim only jobs of these kinds (a runner beside another, e.g. the demo's stream while the demo year replays). */
  kinds?: readonly string[];
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

  private claim(now: Date): Promise<Job[]> {
    const lease = new Date(now.getTime() + (this.options.leaseMs ?? 60_000));
    return claimDue(this.db, this.workerId, now, lease, this.options.batch ?? 20, this.options.kinds);
  }

  private async runOne(job: Job, now: Date): Promise<boolean> {
    const registered = this.handlers[job.kind];
    try {
      const handler = typeof registered === 'object' ? await registered.outside(job, now) : registered;
      return await this.db.transaction().execute(async (trx) => {
        // Still ours? Another copy may have taken over after our lease ran out.
        if (!(await lockOwned(trx, job.id, this.workerId))) return false;
        if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
        await handler(trx, job, now);
        await markDone(trx, job.id, new Date());
        return true;
      });
    } catch (err) {
      const failed = job.attempts >= (this.options.maxAttempts ?? 5);
      this.options.log?.(`job ${job.id} (${job.kind}) failed${failed ? ' for good' : ''}`, err);
      // Back off 30 s, 1 min, 2 min, … before trying again.
      await markFailedRun(this.db, job.id, {
        status: failed ? 'failed' : 'pending', lastError: String(err instanceof Error ? err.message : err).slice(0, 1000),
        runAt: new Date(now.getTime() + 30_000 * 2 ** Math.max(0, job.attempts - 1)),
      });
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
