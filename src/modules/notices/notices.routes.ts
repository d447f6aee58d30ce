import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParam } from '../../core/fields.ts';
import { presentNotice } from './notices.presenter.ts';
import type { NoticesService } from './notices.service.ts';

const tags = ['notices'];
const noticeSchema = z.object({ id: z.number(), matterId: z.number().nullable(), kind: z.string(), body: z.string(), createdAt: z.string(), readAt: z.string().nullable() });

/** In-app notices (站内消息): feedback on reported matters, deadline reminders. */
export function noticesRoutes(notices: NoticesService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/notices', {
      schema: { tags, summary: 'My notices, newest first', querystring: z.object({ unread: z.enum(['true', 'false']).optional(), limit: z.coerce.number().int().min(1).max(100).default(30) }),
        response: { 200: z.object({ items: z.array(noticeSchema), unread: z.number() }) } },
    }, async (req) => {
      const { items, unread } = await notices.mine(req.ctx, { unreadOnly: req.query.unread === 'true', limit: req.query.limit });
      return { items: items.map(presentNotice), unread };
    });

    app.post('/api/notices/:id/read', { schema: { tags, summary: 'Mark one of my notices read', params: z.object({ id: idParam }), response: { 204: z.null() } } },
      async (req, reply) => {
        await notices.markRead(req.ctx, req.params.id);
        return reply.code(204).send(null);
      });
  };
}
