import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import { pgListener } from '../../db/database.ts';
import type { AppDeps } from '../../deps.ts';
import { audienceOf } from './live.events.ts';
import { type LiveClient, LiveHub } from './live.hub.ts';

export interface LiveOptions {
  /** Comment lines keep proxies and load balancers from closing an idle stream (most cut at 30–60 s). */
  heartbeatMs?: number;
}

/** Past this much unsent text a client is dropped; it reconnects (after `retry`) and refetches. */
const MAX_BUFFERED = 1024 * 1024;
/** How long shutdown waits for a stream to finish before moving on. */
const END_WAIT_MS = 2000;

const liveQuery = z.object({
  urgentOnly: z.enum(['true', 'false']).optional().describe('only urgent or overdue matters (the big screen)'),
});

/**
 * Server-sent events about matters for the screens, scoped like the matter lists: the caller's area
 * (staff of a node see its subtree), the centres that own a matter, and the handlers it is assigned
 * to. Events: created, dispatched, overdue, closed, updated; data is the matter's id, code, status,
 * urgent, overdue, action, subjects and time. Every event has an id, but ids are per process and
 * nothing is replayed: on (re)connecting, a client should refetch its lists and then apply events.
 */
export function liveRoutes(deps: AppDeps, options: LiveOptions = {}): FastifyPluginAsyncZod {
  return async (app) => {
    // The server passes the database's own LISTEN; without it PostgreSQL can still be reached by URL.
    const listen = deps.listen ?? (deps.config.databaseUrl ? pgListener(deps.config.databaseUrl) : null);
    const hub = new LiveHub(listen, { heartbeatMs: options.heartbeatMs ?? 25_000, warn: (message) => app.log.warn(message) });
    // Open streams would keep server.close() waiting forever: end them before the server stops.
    app.addHook('preClose', async () => hub.endClients());
    app.addHook('onClose', async () => hub.close());

    app.get('/api/live/matters', {
      schema: {
        tags: ['matters'],
        summary: 'Server-sent events (text/event-stream) for matters in the caller\'s scope: created, dispatched, overdue, closed, updated',
        description: 'Send the session cookie or a bearer token. The first line sets `retry: 5000`; a `: ping` comment follows every 25 s. '
          + 'Event ids are per process and not replayed: after reconnecting (Last-Event-ID or not), refetch the lists.',
        querystring: liveQuery,
      },
    }, async (req, reply) => {
      const actor = req.ctx.actor;
      if (!actor) throw new AppError('UNAUTHENTICATED');
      try {
        await hub.start();
      } catch (err) {
        req.log.error({ err }, 'live: cannot LISTEN');
        throw new AppError('NOT_READY', 'Live updates are not available right now.');
      }

      const stream = new PassThrough();
      const res = reply.raw;
      const client: LiveClient = {
        audience: audienceOf(actor, req.query.urgentOnly === 'true'),
        write: (chunk) => {
          stream.write(chunk);
          return stream.writableLength + stream.readableLength + res.writableLength < MAX_BUFFERED;
        },
        end: async () => {
          if (stream.destroyed) return;
          const closed = once(stream, 'close').then(() => undefined, () => undefined);
          stream.end();
          await Promise.race([closed, sleep(END_WAIT_MS)]);
        },
      };
      const remove = hub.add(client);
      // Fastify destroys the stream when the client goes away, and it closes after a normal end: one cleanup path.
      stream.once('close', remove);
      stream.write('retry: 5000\n\n');
      return reply
        .header('content-type', 'text/event-stream; charset=utf-8')
        .header('cache-control', 'no-cache, no-transform')
        .header('x-accel-buffering', 'no') // nginx would otherwise buffer the stream
        .send(stream);
    });
  };
}
