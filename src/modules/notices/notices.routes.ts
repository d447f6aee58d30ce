import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { AppError, notFound } from '../../core/errors.ts';
import type { Actor } from '../../core/scope.ts';
import type { DB } from '../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';

const noticeSchema = z.object({ id: z.number(), matterId: z.number().nullable(), kind: z.string(), body: z.string(), createdAt: z.string(), readAt: z.string().nullable() });

/** A person's notices go to their account, and to the resident record their account is linked to. */
async function mine(db: Kysely<DB>, actor: Actor) {
  const resident = await db.selectFrom('residents').select('id').where('user_id', '=', actor.userId).executeTakeFirst();
  return { userId: actor.userId, residentId: resident?.id ?? null };
}

/** In-app notices (站内消息): feedback on reported matters, deadline reminders. */
export function noticesRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { db } = deps;
  return async (app) => {
    app.get('/api/notices', {
      schema: { tags: ['notices'], summary: 'My notices, newest first', querystring: z.object({ unread: z.enum(['true', 'false']).optional(), limit: z.coerce.number().int().min(1).max(100).default(30) }),
        response: { 200: z.object({ items: z.array(noticeSchema), unread: z.number() }) } },
    }, async (req) => {
      if (!req.ctx.actor) throw new AppError('UNAUTHENTICATED');
      const me = await mine(db, req.ctx.actor);
      const whose = db.selectFrom('notices').where((eb) => eb.or([eb('user_id', '=', me.userId), ...(me.residentId ? [eb('resident_id', '=', me.residentId)] : [])]));
      let rows = whose.selectAll().orderBy('id', 'desc').limit(req.query.limit);
      if (req.query.unread === 'true') rows = rows.where('read_at', 'is', null);
      const unread = await whose.select((eb) => eb.fn.countAll<number>().as('n')).where('read_at', 'is', null).executeTakeFirstOrThrow();
      return {
        items: (await rows.execute()).map((n) => ({ id: n.id, matterId: n.matter_id, kind: n.kind, body: n.body, createdAt: n.created_at.toISOString(), readAt: n.read_at?.toISOString() ?? null })),
        unread: unread.n,
      };
    });

    app.post('/api/notices/:id/read', { schema: { tags: ['notices'], summary: 'Mark one of my notices read', params: z.object({ id: z.coerce.number().int().positive() }), response: { 204: z.null() } } },
      async (req, reply) => {
        if (!req.ctx.actor) throw new AppError('UNAUTHENTICATED');
        const me = await mine(db, req.ctx.actor);
        const result = await db.updateTable('notices').set({ read_at: new Date() }).where('id', '=', req.params.id)
          .where((eb) => eb.or([eb('user_id', '=', me.userId), ...(me.residentId ? [eb('resident_id', '=', me.residentId)] : [])])).executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) throw notFound(`Notice ${req.params.id}`);
        return reply.code(204).send(null);
      });
  };
}
