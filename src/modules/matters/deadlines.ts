import type { Kysely } from 'kysely';
import type { DB, MatterRow } from '../../db/schema.ts';
import * as repo from './matters.repository.ts';

const DEADLINE_KINDS = ['matter.remind', 'matter.overdue'];

/** Before the due time a reminder; at it, the overdue mark and one escalation. */
export const REMIND_BEFORE_MS = 2 * 3600_000;

/**
 * (Re)schedules a matter's deadline jobs for its current due time. Jobs of an earlier due time are
 * cancelled; the dedupe key carries the due time, so scheduling the same deadline twice is a no-op.
 */
export async function scheduleDeadlines(db: Kysely<DB>, m: Pick<MatterRow, 'id' | 'due_at'>, now: Date): Promise<void> {
  await repo.cancelPendingJobs(db, m.id, DEADLINE_KINDS);
  if (!m.due_at) return;
  const due = m.due_at;
  const rows = [
    { kind: 'matter.overdue', matter_id: m.id, run_at: due, dedupe_key: `overdue:${m.id}:${due.toISOString()}`, payload: JSON.stringify({ dueAt: due.toISOString() }) },
  ];
  const remindAt = new Date(due.getTime() - REMIND_BEFORE_MS);
  if (remindAt.getTime() > now.getTime()) rows.push({ kind: 'matter.remind', matter_id: m.id, run_at: remindAt, dedupe_key: `remind:${m.id}:${due.toISOString()}`, payload: JSON.stringify({ dueAt: due.toISOString() }) });
  // A cancelled job with the same key (the same deadline scheduled again) comes back to life.
  for (const row of rows) await repo.upsertJob(db, row);
}

export async function cancelDeadlines(db: Kysely<DB>, matterId: number): Promise<void> {
  await repo.cancelPendingJobs(db, matterId);
}
