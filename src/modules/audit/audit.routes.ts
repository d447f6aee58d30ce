import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, page } from '../../core/cursor.ts';
import type { AppDeps } from '../../deps.ts';
import { assertMayReadAudit } from '../access/access.policy.ts';
import { listAudit } from './audit.repository.ts';

const auditQuery = z.object({
  action: z.string().max(64).optional(),
  subjectType: z.string().max(64).optional(),
  subjectId: z.string().max(64).optional(),
  actorUserId: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

const auditEntry = z.object({
  id: z.number(), at: z.string(), actorUserId: z.number().nullable(), actorUsername: z.string().nullable(), action: z.string(),
  subjectType: z.string(), subjectId: z.string().nullable(), ip: z.string().nullable(), requestId: z.string().nullable(), details: z.record(z.string(), z.unknown()),
});

export function auditRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/audit', {
      schema: { tags: ['audit'], summary: 'The audit trail (administrators), newest first', querystring: auditQuery, response: { 200: z.object({ items: z.array(auditEntry), nextCursor: z.string().nullable() }) } },
    }, async (req) => {
      assertMayReadAudit(req.ctx.actor);
      const before = req.query.cursor ? Number(decodeCursor(req.query.cursor)[0]) : undefined;
      const rows = await listAudit(deps.db, { ...req.query, before });
      const { items, nextCursor } = page(rows, req.query.limit, (r) => [r.id]);
      return {
        items: items.map((r) => ({
          id: r.id, at: r.at.toISOString(), actorUserId: r.actor_user_id, actorUsername: r.actor_username, action: r.action,
          subjectType: r.subject_type, subjectId: r.subject_id, ip: r.ip, requestId: r.request_id, details: r.details,
        })),
        nextCursor,
      };
    });
  };
}
