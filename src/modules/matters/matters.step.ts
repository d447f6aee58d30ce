import { type Kysely, sql, type Updateable } from 'kysely';
import { AppError, notFound } from '../../core/errors.ts';
import { type MatterAction, nextStatus } from '../../core/matters/workflow.ts';
import { type RequestContext, nowOf } from '../../core/scope.ts';
import type { AssignmentRow, Channel, DB, MatterRow, MattersTable, MatterStatus, Role } from '../../db/schema.ts';
import { enqueueMatterOutcome } from '../outbound/outbound.outcome.ts';
import { applyRollups, type MatterFacts } from '../stats/rollup.ts';
import { mayRead } from './matters.policy.ts';
import * as repo from './matters.repository.ts';

/** What one step of the loop does to a matter, decided by the service after its checks. */
export interface StepOutcome {
  role: Role | 'system';
  patch?: Updateable<MattersTable>;
  note?: string | null;
  details?: Record<string, unknown>;
  photos?: { hash: string; stage: 'report' | 'progress' | 'result' }[];
  resumeTo?: MatterStatus | null;
  /** Runs after the matter row is updated and the event written, still inside the transaction. */
  after?: (trx: Kysely<DB>, m: MatterRow, eventId: number) => Promise<void>;
}

export interface LoadedMatter {
  m: MatterRow;
  assignments: AssignmentRow[];
  reporterUserIds: number[];
}

export async function loadForUpdate(trx: Kysely<DB>, ctx: RequestContext, id: number): Promise<LoadedMatter> {
  // Refuse the anonymous before touching the row, so nobody learns whether an id exists or where it stands.
  if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
  const m = await repo.lockMatter(trx, id);
  if (!m) throw notFound(`Matter ${id}`);
  const assignments = await repo.listAssignments(trx, id);
  const reporterUserIds = await reporterUsers(trx, m);
  // Jobs run as the system (no actor) and see everything; people see only what they may read, else 404.
  if (ctx.actor.userId !== 0 && !mayRead(ctx.actor, m, assignments, reporterUserIds)) throw notFound(`Matter ${id}`);
  return { m, assignments, reporterUserIds };
}

/** The accounts that reported a matter: its reporter, residents' linked accounts, and merged duplicates' reporters. */
export async function reporterUsers(db: Kysely<DB>, m: MatterRow): Promise<number[]> {
  const rows = await db.selectFrom('matter_reporters as r').leftJoin('residents as res', 'res.id', 'r.resident_id')
    .select(['r.user_id', 'res.user_id as resident_user_id']).where('r.matter_id', '=', m.id).execute();
  const ids = new Set<number>();
  for (const r of rows) {
    if (r.user_id) ids.add(r.user_id);
    if (r.resident_user_id) ids.add(r.resident_user_id);
  }
  return [...ids];
}

/**
 * One step of the loop, inside the caller's transaction: validates the transition, applies the
 * service's outcome, appends the timeline event with the state before and after, keeps the
 * statistics rollups and notifies live screens — all or nothing.
 */
export async function applyStep(trx: Kysely<DB>, ctx: RequestContext, loaded: LoadedMatter, action: MatterAction, channel: Channel,
  decide: (status: MatterStatus) => Promise<StepOutcome>): Promise<MatterRow> {
  const { m } = loaded;
  const before = facts(m, loaded.assignments);
  // Validate the step first so a skipped step is refused before any work is done.
  nextStatus(m.status, action, m.suspended_from);
  const outcome = await decide(m.status);
  const status = nextStatus(m.status, action, outcome.resumeTo ?? m.suspended_from);
  const updated = await repo.updateMatter(trx, m.id, { ...outcome.patch, status });
  const event = await repo.insertEvent(trx, {
    matter_id: m.id, at: nowOf(ctx), actor_user_id: ctx.actor?.userId || null, actor_role: outcome.role, channel, action,
    status_before: m.status, status_after: status, note: outcome.note ?? null, details: JSON.stringify(outcome.details ?? {}),
  });
  await repo.insertPhotos(trx, (outcome.photos ?? []).map((p) => ({ matter_id: m.id, event_id: event.id, file_hash: p.hash, stage: p.stage })));
  await outcome.after?.(trx, updated, event.id);
  // A matter that came from online groups posts its outcome back to each of them (小事不出群).
  if (status === 'closed' && m.status !== 'closed') await enqueueMatterOutcome(trx, updated, event.id, event.at);
  const assignments = await repo.listAssignments(trx, m.id);
  await applyRollups(trx, { before, after: facts(updated, assignments), action, at: event.at });
  await publish(trx, updated, assignments, action);
  return updated;
}

export function facts(m: MatterRow, assignments: AssignmentRow[]): MatterFacts {
  return {
    status: m.status, source: m.source, categoryId: m.category_id, level: m.level, areaPath: m.area_path,
    reportedAt: m.reported_at, registeredAt: m.registered_at, dueAt: m.due_at, closedAt: m.closed_at, closedOnTime: m.closed_on_time,
    satisfaction: m.satisfaction,
    assignees: assignments.filter((a) => ['pending', 'accepted', 'done'].includes(a.status)).map(subjectOf),
  };
}

export const subjectOf = (a: Pick<AssignmentRow, 'target_kind' | 'target_id'>) => `${a.target_kind === 'node' ? 'unit' : a.target_kind}:${a.target_id}`;

/** Tells live screens in every app copy; NOTIFY is delivered only when the transaction commits. */
export async function publish(trx: Kysely<DB>, m: MatterRow, assignments: AssignmentRow[], action: MatterAction | 'report' | 'overdue') {
  const payload = {
    action, id: m.id, code: m.code, status: m.status, urgent: m.urgent, overdue: m.overdue, areaPath: m.area_path, ownerPath: m.owner_path,
    subjects: assignments.filter((a) => a.status !== 'cancelled').map(subjectOf), at: new Date().toISOString(),
  };
  await sql`select pg_notify('dualgrid_matters', ${JSON.stringify(payload)})`.execute(trx);
}
