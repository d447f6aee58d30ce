import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageSchema as list } from '../../core/cursor.ts';
import type { OnlineAdminService } from './admin.service.ts';
import type { CoverageService } from './coverage.service.ts';
import type { MessagesService } from './messages.service.ts';
import * as s from './online.schema.ts';
import { presentCoverage, presentMember, presentMessage, presentOnlineStats, presentPhrase, presentSource } from './online.presenter.ts';
import type { OnlineStatsService } from './stats.service.ts';

const tags = ['online'];

export interface OnlineServices { messages: MessagesService; coverage: CoverageService; admin: OnlineAdminService; stats: OnlineStatsService }

/** The online grid over HTTP for staff: messages and their outcomes, members and coverage, held messages, sources and phrases. */
export function onlineRoutes({ messages, coverage, admin, stats }: OnlineServices): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/api/online-groups/:id/messages', {
      schema: { tags, summary: 'A grid worker forwards or pastes a group message (idempotent by clientId)', params: s.idParams, body: s.forwardBody, response: { 200: s.takenSchema, 201: s.takenSchema } },
    }, async (req, reply) => {
      const taken = await messages.forward(req.ctx, req.params.id, req.body);
      return reply.code(taken.duplicate ? 200 : 201).send(taken);
    });

    app.get('/api/group-messages', {
      schema: { tags, summary: 'Group messages in my grids, newest first (keyset cursor)', querystring: s.listQuery, response: { 200: list(s.messageSchema) } },
    }, async (req) => {
      const { items, nextCursor } = await messages.list(req.ctx, req.query);
      return { items: items.map(presentMessage), nextCursor };
    });

    app.get('/api/group-messages/:id', { schema: { tags, summary: 'One group message with its sensing result and outcome', params: s.idParams, response: { 200: s.messageSchema } } },
      async (req) => presentMessage(await messages.get(req.ctx, req.params.id)));

    app.post('/api/group-messages/:id/to-matter', {
      schema: { tags, summary: 'Turn the message into a matter (source group_message, reported by its sender)', params: s.idParams, body: s.toMatterBody,
        response: { 201: z.object({ matterId: z.number(), message: s.messageSchema }) } },
    }, async (req, reply) => {
      const r = await messages.toMatter(req.ctx, req.params.id, req.body);
      return reply.code(201).send({ matterId: r.matterId, message: presentMessage(r.message) });
    });

    app.post('/api/group-messages/:id/handled-in-group', {
      schema: { tags, summary: 'Mark the message handled in the group (小事不出群), with a note', params: s.idParams, body: s.handledBody, response: { 200: s.messageSchema } },
    }, async (req) => presentMessage(await messages.handledInGroup(req.ctx, req.params.id, req.body)));

    app.post('/api/group-messages/:id/dismiss', {
      schema: { tags, summary: 'Dismiss a new message: nothing to act on (chatter, an advert); labels it chatter for the sensor', params: s.idParams, body: s.dismissBody, response: { 200: s.messageSchema } },
    }, async (req) => presentMessage(await messages.dismiss(req.ctx, req.params.id, req.body)));

    app.post('/api/group-messages/:id/urgency', {
      schema: { tags, summary: 'Raise (an urgent kind) or clear (null) the urgency of a message; raising it on a new message alerts the grid and the centre', params: s.idParams, body: s.urgencyBody, response: { 200: s.messageSchema } },
    }, async (req) => presentMessage(await messages.setUrgency(req.ctx, req.params.id, req.body)));

    app.get('/api/held-messages', {
      schema: { tags, summary: 'Messages from groups not bound to any online group yet (administrators)', querystring: s.heldQuery, response: { 200: list(s.messageSchema) } },
    }, async (req) => {
      const { items, nextCursor } = await messages.held(req.ctx, req.query);
      return { items: items.map(presentMessage), nextCursor };
    });

    app.post('/api/held-messages/bind', {
      schema: { tags, summary: 'Bind an external group id to an online group and release its held messages', body: s.bindBody,
        response: { 200: z.object({ groupId: z.number(), externalGroupId: z.string(), released: z.number() }) } },
    }, async (req) => messages.bind(req.ctx, req.body));

    app.get('/api/online-groups/coverage', {
      schema: { tags, summary: 'Staff coverage of online groups (grid worker, grid chief, departments in the group) per group, grid, community and town',
        querystring: s.coverageQuery, response: { 200: s.coverageSchema } },
    }, async (req) => presentCoverage(await coverage.coverage(req.ctx, req.query.under)));

    app.get('/api/online-groups/:id/members', {
      schema: { tags, summary: 'Members of a group with their real-name status', params: s.idParams, response: { 200: z.object({ items: z.array(s.memberSchema) }) } },
    }, async (req) => ({ items: (await coverage.members(req.ctx, req.params.id)).map(presentMember) }));

    app.post('/api/online-groups/:id/members', {
      schema: { tags, summary: 'Add a member, or link one (same chat id) to a resident or a staff account', params: s.idParams, body: s.memberBody, response: { 201: s.memberSchema } },
    }, async (req, reply) => reply.code(201).send(presentMember(await coverage.addMember(req.ctx, req.params.id, req.body))));

    app.get('/api/stats/online', {
      schema: { tags, summary: 'Online-grid figures: messages, actionable, urgent, to matter, handled in group, held; per grid and community', querystring: s.statsQuery, response: { 200: s.statsSchema } },
    }, async (req) => presentOnlineStats(await stats.figures(req.ctx, req.query)));

    app.get('/api/intake/sources', { schema: { tags, summary: 'Intake sources (administrators); secrets masked', response: { 200: z.object({ items: z.array(s.sourceSchema) }) } } },
      async (req) => ({ items: (await admin.listSources(req.ctx)).map(presentSource) }));

    app.post('/api/intake/sources', { schema: { tags, summary: 'Add a WeCom app or a webhook source (administrators)', body: s.sourceBody, response: { 201: s.sourceSchema } } },
      async (req, reply) => reply.code(201).send(presentSource(await admin.createSource(req.ctx, req.body))));

    app.get('/api/sensing/phrases', { schema: { tags, summary: 'Phrases added to the sensing dictionary (administrators)', response: { 200: z.object({ items: z.array(s.phraseSchema) }) } } },
      async (req) => ({ items: (await admin.listPhrases(req.ctx)).map(presentPhrase) }));

    app.post('/api/sensing/phrases', { schema: { tags, summary: 'Add a phrase; new messages are sensed with it at once', body: s.phraseBody, response: { 201: s.phraseSchema } } },
      async (req, reply) => reply.code(201).send(presentPhrase(await admin.addPhrase(req.ctx, req.body))));

    app.delete('/api/sensing/phrases/:id', { schema: { tags, summary: 'Remove a phrase', params: s.idParams, response: { 204: z.null() } } },
      async (req, reply) => {
        await admin.deletePhrase(req.ctx, req.params.id);
        return reply.code(204).send(null);
      });
  };
}

