import type { listAudit } from './audit.repository.ts';

type AuditRow = Awaited<ReturnType<typeof listAudit>>[number];

export const presentAuditEntry = (r: AuditRow) => ({
  id: r.id, at: r.at.toISOString(), actorUserId: r.actor_user_id, actorUsername: r.actor_username, action: r.action,
  subjectType: r.subject_type, subjectId: r.subject_id, ip: r.ip, requestId: r.request_id, details: r.details,
});
