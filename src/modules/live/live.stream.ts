import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.ts';
import { pgListener } from '../../db/database.ts';
import type { AppDeps } from '../../deps.ts';
import { type LiveClient, type LiveFeed, LiveHub } from './live.hub.ts';

/** Past this much unsent text a client is dropped; it reconnects (after `retry`) and refetches. */
const MAX_BUFFERED = 1024 * 1024;
/** How long shutdown waits for a stream to finish before moving on. */
const END_WAIT_MS = 2000;
/** Comment lines keep proxies and load balancers from closing an idle stream (most cut at 30–60 s). */
export const HEARTBEAT_MS = 25_000;

/** A hub for one feed on the app's database: its streams end before the server stops, its LISTEN when the app closes. */
export function liveHubOn<A>(app: FastifyInstance, deps: AppDeps, feed: LiveFeed<A>, heartbeatMs = HEARTBEAT_MS): LiveHub<A> {
  // The server passes the database's own LISTEN; without it PostgreSQL can still be reached by URL.
  const listen = deps.listen ?? (deps.config.databaseUrl ? pgListener(deps.config.databaseUrl) : null);
  const hub = new LiveHub(listen, feed, { heartbeatMs, warn: (message) => app.log.warn(message) });
  // Open streams would keep server.close() waiting forever: end them before the server stops.
  app.addHook('preClose', async () => hub.endClients());
  app.addHook('onClose', async () => hub.close());
  return hub;
}

/**
 * Answers the request with the hub's server-sent events for one audience (checked by the caller's policy first).
 * The LISTEN is active before the stream opens, so nothing committed after the client saw it open is missed.
 */
export async function openEventStream<A>(hub: LiveHub<A>, req: FastifyRequest, reply: FastifyReply, audience: A) {
  try {
    await hub.start();
  } catch (err) {
    req.log.error({ err }, 'live: cannot LISTEN');
    throw new AppError('NOT_READY', 'Live updates are not available right now.');
  }
  const stream = new PassThrough();
  const res = reply.raw;
  const client: LiveClient<A> = {
    audience,
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
}
