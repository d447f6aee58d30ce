import type { Kysely } from 'kysely';
import { type RequestContext, recordedUserId } from '../../core/scope.ts';
import type { DB } from '../../db/schema.ts';

export interface AuditEntry {
  action: string;
  subjectType: string;
  subjectId?: string | number | null;
  details?: Record<string, unknown>;
}

/** Appends one audit record inside the caller's transaction, so the change and its record commit together. */
export async function appendAudit(db: Kysely<DB>, ctx: RequestContext, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      // The system actor has no users row; its records carry a null actor.
      actor_user_id: recordedUserId(ctx.actor),
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId === undefined || entry.subjectId === null ? null : String(entry.subjectId),
      ip: ctx.ip,
      request_id: ctx.requestId,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

export interface AuditQuery {
  action?: string;
  subjectType?: string;
  subjectId?: string;
  actorUserId?: number;
  before?: number;
  limit: number;
}

export function listAudit(db: Kysely<DB>, q: AuditQuery) {
  let query = db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.actor_user_id')
    .select(['audit_log.id', 'audit_log.at', 'audit_log.actor_user_id', 'users.username as actor_username', 'audit_log.action',
      'audit_log.subject_type', 'audit_log.subject_id', 'audit_log.ip', 'audit_log.request_id', 'audit_log.details'])
    .orderBy('audit_log.id', 'desc')
    .limit(q.limit + 1);
  if (q.action) query = query.where('audit_log.action', '=', q.action);
  if (q.subjectType) query = query.where('audit_log.subject_type', '=', q.subjectType);
  if (q.subjectId) query = query.where('audit_log.subject_id', '=', q.subjectId);
  if (q.actorUserId) query = query.where('audit_log.actor_user_id', '=', q.actorUserId);
  if (q.before) query = query.where('audit_log.id', '<', q.before);
  return query.execute();
}
