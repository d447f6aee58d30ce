// The deadline jobs of the demo year taken in memory, kept as deadlines.ts and jobs.runner.ts keep the jobs table:
// scheduled at dispatch and on every new due time, cancelled by handling, claimed in (run_at, id) order in batches.
import type { Insertable } from 'kysely';
import type { JobsTable, MatterRow } from '../../db/schema.ts';
import { REMIND_BEFORE_MS } from '../matters/deadlines.ts';

export interface DeadlineJob {
  /** Stands for the job's id: the sequence moves on every upsert, as the table's does. */
  seq: number;
  kind: 'matter.remind' | 'matter.overdue';
  matter_id: number;
  run_at: Date;
  dedupe_key: string;
  payload: string;
  status: 'pending' | 'running' | 'done' | 'cancelled';
}

const DEADLINE_KINDS: readonly string[] = ['matter.remind', 'matter.overdue'];

export class DeadlineQueue {
  private readonly byKey = new Map<string, DeadlineJob>();
  private readonly byMatter = new Map<number, DeadlineJob[]>();
  private readonly pending = new Set<DeadlineJob>();
  private seq = 0;

  /** scheduleDeadlines: the matter's earlier deadline jobs cancelled, then its overdue mark and (if still ahead) its reminder. */
  schedule(m: Pick<MatterRow, 'id' | 'due_at'>, now: Date): void {
    this.cancel(m.id, DEADLINE_KINDS);
    if (!m.due_at) return;
    const due = m.due_at.toISOString();
    const payload = JSON.stringify({ dueAt: due });
    this.upsert({ kind: 'matter.overdue', matter_id: m.id, run_at: m.due_at, dedupe_key: `overdue:${m.id}:${due}`, payload });
    const remindAt = new Date(m.due_at.getTime() - REMIND_BEFORE_MS);
    if (remindAt.getTime() > now.getTime()) this.upsert({ kind: 'matter.remind', matter_id: m.id, run_at: remindAt, dedupe_key: `remind:${m.id}:${due}`, payload });
  }

  /** cancelPendingJobs: the matter's pending jobs (of some kinds) cancelled. */
  cancel(matterId: number, kinds?: readonly string[]): void {
    for (const j of this.byMatter.get(matterId) ?? []) {
      if (j.status !== 'pending' || (kinds && !kinds.includes(j.kind))) continue;
      j.status = 'cancelled';
      this.pending.delete(j);
    }
  }

  /** claimDue: up to `batch` pending jobs due at `now`, earliest first, now running. */
  claim(now: Date, batch = 20): DeadlineJob[] {
    const due = [...this.pending].filter((j) => j.run_at.getTime() <= now.getTime())
      .sort((a, b) => a.run_at.getTime() - b.run_at.getTime() || a.seq - b.seq).slice(0, batch);
    for (const j of due) {
      j.status = 'running';
      this.pending.delete(j);
    }
    return due;
  }

  /** The jobs still pending for these matters, as rows of the jobs table in the order they were made. */
  pendingRows(matterIds: ReadonlySet<number>): Insertable<JobsTable>[] {
    return [...this.pending].filter((j) => matterIds.has(j.matter_id)).sort((a, b) => a.seq - b.seq)
      .map((j) => ({ kind: j.kind, matter_id: j.matter_id, run_at: j.run_at, dedupe_key: j.dedupe_key, payload: j.payload }));
  }

  /** upsertJob: a new job, or a cancelled one with the same key back to life at the new time. */
  private upsert(row: Omit<DeadlineJob, 'seq' | 'status'>): void {
    const seq = ++this.seq;
    const existing = this.byKey.get(row.dedupe_key);
    if (!existing) {
      const job: DeadlineJob = { ...row, seq, status: 'pending' };
      this.byKey.set(row.dedupe_key, job);
      this.byMatter.set(row.matter_id, [...(this.byMatter.get(row.matter_id) ?? []), job]);
      this.pending.add(job);
    } else if (existing.status === 'cancelled') {
      Object.assign(existing, { status: 'pending', run_at: row.run_at });
      this.pending.add(existing);
    }
  }
}
