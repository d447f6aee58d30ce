import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { pageSchema } from '../../core/cursor.ts';
import { presentAuditEntry } from './audit.presenter.ts';
import { auditEntry, auditQuery } from './audit.schema.ts';
import type { AuditService } from './audit.service.ts';

export function auditRoutes(audit: AuditService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/audit', {
      schema: { tags: ['audit'], summary: 'The audit trail (administrators), newest first', querystring: auditQuery, response: { 200: pageSchema(auditEntry) } },
    }, async (req) => {
      const { items, nextCursor } = await audit.list(req.ctx, req.query);
      return { items: items.map(presentAuditEntry), nextCursor };
    });
  };
}
