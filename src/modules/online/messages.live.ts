import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../deps.ts';
import type { LiveFeed } from '../live/live.hub.ts';
import { liveHubOn, openEventStream } from '../live/live.stream.ts';
import { MESSAGES_CHANNEL } from './intake.service.ts';
import { messageScope } from './online.policy.ts';

/** What intake and the message steps NOTIFY; parsed, not trusted (anyone with database access can notify). */
const messageNotice = z.object({
  action: z.string(), id: z.number(), groupId: z.number().nullable(), gridId: z.number().nullable(), gridPath: z.string().nullable(),
  state: z.string(), actionable: z.boolean(), urgent: z.boolean(), categoryCode: z.string().nullable(), at: z.string(),
});
const messageNotices = z.object({ items: z.array(messageNotice).max(100) });

/** Who a message stream is for: the grids the caller reads messages of, and whether only urgent ones. */
interface MessagesAudience { prefixes: string[]; urgentOnly: boolean }

/** The messages feed: one event per message of a known grid, for the streams whose grids hold it. */
const messagesFeed: LiveFeed<MessagesAudience> = {
  channel: MESSAGES_CHANNEL,
  events(payload) {
    let parsed: ReturnType<typeof messageNotices.safeParse>;
    try {
      parsed = messageNotices.safeParse(JSON.parse(payload));
    } catch {
      return null; // not JSON at all
    }
    if (!parsed.success) return null;
    return parsed.data.items.flatMap(({ gridPath, ...data }) => (gridPath === null ? [] : [{
      type: data.urgent && data.action === 'received' ? 'urgent' : data.action,
      data,
      reaches: (a: MessagesAudience) => (!a.urgentOnly || data.urgent) && a.prefixes.some((p) => gridPath.startsWith(p)),
    }]));
  },
};

/**
 * Server-sent events about group messages in the caller's grids: urgent and actionable messages as they
 * arrive, and messages turned into matters or handled in the group. One LISTEN per app, started lazily.
 */
export function messagesLiveRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const hub = liveHubOn(app, deps, messagesFeed);

    app.get('/api/live/messages', {
      schema: {
        tags: ['online'],
        summary: 'Server-sent events (text/event-stream) for group messages in the caller\'s grids: urgent, received (actionable), to_matter, handled_in_group, received after release',
        description: 'Scoped like GET /api/group-messages. Event ids are per process and not replayed: after reconnecting, refetch the list.',
        querystring: z.object({ urgentOnly: z.enum(['true', 'false']).optional() }),
      },
    }, async (req, reply) => openEventStream(hub, req, reply, { prefixes: messageScope(req.ctx.actor), urgentOnly: req.query.urgentOnly === 'true' }));
  };
}
