import type { Kysely, Updateable } from 'kysely';
import { AppError, notFound } from '../../core/errors.ts';
import { type MatterAction, nextStatus } from '../../core/matters/workflow.ts';
import { isSystem, nowOf, type RequestContext, recordedUserId } from '../../core/scope.ts';
import type { AssignmentRow, DB, MatterRow, MattersTable } from '../../db/schema.ts';
import type { Channel, MatterStatus, Role } from '../../core/vocabulary.ts';
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

/** The matter locked for a step inside the caller's transaction, if the actor may read it (else 404). */
export const loadForUpdate = (trx: Kysely<DB>, ctx: RequestContext, id: number) => checkedMatter(trx, ctx, id, true);

/** The matter as the actor may read it, outside any step; else 404. */
export const visibleMatter = (db: Kysely<DB>, ctx: RequestContext, id: number) => checkedMatter(db, ctx, id, false);

async function checkedMatter(db: Kysely<DB>, ctx: RequestContext, id: number, lock: boolean): Promise<LoadedMatter> {
  // Refuse the anonymous before touching the row, so nobody learns whether an id exists or where it stands.
  if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
  const m = await (lock ? repo.lockMatter : repo.getMatter)(db, id);
  if (!m) throw notFound({ en: `Matter ${id}`, zh: `事件 ${id}` });
  const assignments = await repo.listAssignments(db, id);
  const reporterUserIds = await reporterUsers(db, m);
  // Jobs run as the system and see everything; people see only what they may read, else 404.
  if (!isSystem(ctx.actor) && !mayRead(ctx.actor, m, assignments, reporterUserIds)) throw notFound({ en: `Matter ${id}`, zh: `事件 ${id}` });
  return { m, assignments, reporterUserIds };
}

/** One transaction around a step on one matter, locked and checked for the actor first (loadForUpdate). */
export function withLockedMatter<T>(db: Kysely<DB>, ctx: RequestContext, id: number, fn: (trx: Kysely<DB>, loaded: LoadedMatter) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => fn(trx, await loadForUpdate(trx, ctx, id)));
}

/**
 * A step taken on its own (an HTTP request, the demo replay): withLockedMatter, then the matter as the actor may
 * read it once the step has committed — 404 when the step took it out of their sight.
 */
export async function lockedStep(db: Kysely<DB>, ctx: RequestContext, id: number, fn: (trx: Kysely<DB>, loaded: LoadedMatter) => Promise<unknown>): Promise<MatterRow> {
  await withLockedMatter(db, ctx, id, fn);
  return (await visibleMatter(db, ctx, id)).m;
}

/** The accounts that reported a matter: its reporter, residents' linked accounts, and merged duplicates' reporters. */
export async function reporterUsers(db: Kysely<DB>, m: MatterRow): Promise<number[]> {
  const rows = await repo.reporterAccounts(db, m.id);
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
  const event = await recordEvent(trx, ctx, m, { action, role: outcome.role, channel, statusAfter: status, note: outcome.note, details: outcome.details, photos: outcome.photos });
  await outcome.after?.(trx, updated, event.id);
  // A matter that came from online groups posts its outcome back to each of them (小事不出群).
  if (status === 'closed' && m.status !== 'closed') await enqueueMatterOutcome(trx, updated, event.id, event.at);
  await settle(trx, before, updated, action, event.at);
  return updated;
}

/** One entry of a matter's timeline: who did what through which channel, with the status before and after. */
export interface TimelineEntry {
  action: string;
  role: Role | 'system';
  channel: Channel;
  /** The status before is the matter's current one unless given (null for the report that creates it). */
  statusBefore?: MatterStatus | null;
  /** The status after; the matter's current one for an entry that does not move it. */
  statusAfter?: MatterStatus;
  note?: string | null;
  details?: Record<string, unknown>;
  photos?: { hash: string; stage: 'report' | 'progress' | 'result' }[];
}

/**
 * The one way a timeline event is written (matter_events and its photos): at the step's time (nowOf), by the
 * actor as recorded (no user for the system). Steps write it through applyStep; requests, decisions and the
 * deadline jobs call it directly for entries that do not move the matter.
 */
export async function recordEvent(trx: Kysely<DB>, ctx: RequestContext, m: Pick<MatterRow, 'id' | 'status'>, e: TimelineEntry) {
  const event = await repo.insertEvent(trx, {
    matter_id: m.id, at: nowOf(ctx), actor_user_id: recordedUserId(ctx.actor), actor_role: e.role, channel: e.channel, action: e.action,
    status_before: e.statusBefore === undefined ? m.status : e.statusBefore, status_after: e.statusAfter ?? m.status,
    note: e.note ?? null, details: JSON.stringify(e.details ?? {}),
  });
  await repo.insertPhotos(trx, (e.photos ?? []).map((p) => ({ matter_id: m.id, event_id: event.id, file_hash: p.hash, stage: p.stage })));
  return event;
}

/** After a change is written: the statistics rollups follow it (before is null on creation) and live screens hear of it. */
export async function settle(trx: Kysely<DB>, before: MatterFacts | null, updated: MatterRow, action: MatterAction | 'report', at: Date) {
  const assignments = await repo.listAssignments(trx, updated.id);
  await applyRollups(trx, { before, after: facts(updated, assignments), action, at });
  await publish(trx, updated, assignments, action);
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
  await repo.notifyMatters(trx, JSON.stringify(payload));
}
