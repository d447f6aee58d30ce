import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { assertSignedIn } from '../../core/scope.ts';
import type { AppDeps } from '../../deps.ts';
import { audienceOf, mattersFeed } from './live.events.ts';
import { HEARTBEAT_MS, liveHubOn, openEventStream } from './live.stream.ts';

export interface LiveOptions {
  /** How often a comment line keeps idle streams open (25 s unless a test wants it sooner). */
  heartbeatMs?: number;
}

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
    const hub = liveHubOn(app, deps, mattersFeed, options.heartbeatMs ?? HEARTBEAT_MS);

    app.get('/api/live/matters', {
      schema: {
        tags: ['matters'],
        summary: 'Server-sent events (text/event-stream) for matters in the caller\'s scope: created, dispatched, overdue, closed, updated',
        description: 'Send the session cookie or a bearer token. The first line sets `retry: 5000`; a `: ping` comment follows every 25 s. '
          + 'Event ids are per process and not replayed: after reconnecting (Last-Event-ID or not), refetch the lists.',
        querystring: liveQuery,
      },
    }, async (req, reply) => {
      assertSignedIn(req.ctx.actor);
      return openEventStream(hub, req, reply, audienceOf(req.ctx.actor, req.query.urgentOnly === 'true'));
    });
  };
}
