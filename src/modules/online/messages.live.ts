import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import { pgListener } from '../../db/database.ts';
import type { AppDeps } from '../../deps.ts';
import { MESSAGES_CHANNEL } from './intake.service.ts';
import { messageScope } from './online.policy.ts';

const MAX_BUFFERED = 1024 * 1024;

/** What intake and the message steps NOTIFY; parsed, not trusted (anyone with database access can notify). */
const messageNotice = z.object({
  action: z.string(), id: z.number(), groupId: z.number().nullable(), gridId: z.number().nullable(), gridPath: z.string().nullable(),
  state: z.string(), actionable: z.boolean(), urgent: z.boolean(), categoryCode: z.string().nullable(), at: z.string(),
});
const messageNotices = z.object({ items: z.array(messageNotice).max(100) });

interface Client { prefixes: string[]; urgentOnly: boolean; stream: PassThrough }

/**
 * Server-sent events about group messages in the caller's grids: urgent and actionable messages as they
 * arrive, and messages turned into matters or handled in the group. One LISTEN per app, started lazily.
 */
export function messagesLiveRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const listen = deps.listen ?? (deps.config.databaseUrl ? pgListener(deps.config.databaseUrl) : null);
    const clients = new Set<Client>();
    let listening: Promise<() => Promise<void>> | null = null;
    let lastId = 0;
    let heartbeat: NodeJS.Timeout | null = null;

    const deliver = (payload: string) => {
      let items: z.infer<typeof messageNotice>[];
      try {
        const r = messageNotices.safeParse(JSON.parse(payload));
        if (!r.success) return;
        items = r.data.items;
      } catch {
        return; // not JSON at all
      }
      for (const item of items) deliverOne(item);
    };

    const deliverOne = (parsed: z.infer<typeof messageNotice>) => {
      const path = parsed.gridPath;
      if (!path) return;
      lastId += 1;
      const { gridPath: _p, ...data } = parsed;
      const chunk = `id: ${lastId}\nevent: ${parsed.urgent && parsed.action === 'received' ? 'urgent' : parsed.action}\ndata: ${JSON.stringify(data)}\n\n`;
      for (const c of clients) {
        if (c.urgentOnly && !parsed.urgent) continue;
        if (!c.prefixes.some((p) => path.startsWith(p))) continue;
        c.stream.write(chunk);
        if (c.stream.writableLength > MAX_BUFFERED) c.stream.end();
      }
    };

    app.addHook('preClose', async () => {
      const ending = [...clients].map((c) => {
        const closed = once(c.stream, 'close').then(() => undefined, () => undefined);
        c.stream.end();
        return Promise.race([closed, new Promise((r) => setTimeout(r, 2000))]);
      });
      clients.clear();
      await Promise.all(ending);
    });
    app.addHook('onClose', async () => {
      if (heartbeat) clearInterval(heartbeat);
      const stop = await listening?.catch(() => null);
      await stop?.();
    });

    app.get('/api/live/messages', {
      schema: {
        tags: ['online'],
        summary: 'Server-sent events (text/event-stream) for group messages in the caller\'s grids: urgent, received (actionable), to_matter, handled_in_group, received after release',
        description: 'Scoped like GET /api/group-messages. Event ids are per process and not replayed: after reconnecting, refetch the list.',
        querystring: z.object({ urgentOnly: z.enum(['true', 'false']).optional() }),
      },
    }, async (req, reply) => {
      const prefixes = messageScope(req.ctx.actor);
      if (!listen) throw new AppError('NOT_READY', 'Live updates are not available right now.');
      listening ??= listen(MESSAGES_CHANNEL, deliver).catch((err: unknown) => {
        listening = null;
        throw err;
      });
      try {
        await listening;
      } catch (err) {
        req.log.error({ err }, 'live messages: cannot LISTEN');
        throw new AppError('NOT_READY', 'Live updates are not available right now.');
      }
      const stream = new PassThrough();
      const client: Client = { prefixes, urgentOnly: req.query.urgentOnly === 'true', stream };
      clients.add(client);
      heartbeat ??= setInterval(() => {
        for (const c of clients) c.stream.write(': ping\n\n');
      }, 25_000).unref();
      stream.once('close', () => clients.delete(client));
      stream.write('retry: 5000\n\n');
      return reply.header('content-type', 'text/event-stream; charset=utf-8').header('cache-control', 'no-cache, no-transform').header('x-accel-buffering', 'no').send(stream);
    });
  };
}
