import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageSchema } from '../../core/cursor.ts';
import type { DecisionsService } from './decisions.service.ts';
import { presentComment, presentEvent, presentPlans, presentPledge, presentTopic, presentTopicItem } from './deliberation.presenter.ts';
import * as s from './deliberation.schema.ts';
import type { DiscussionService } from './discussion.service.ts';
import { figuresQuery, figuresSchema, screenQuery, screenSchema } from './figures.schema.ts';
import type { FiguresService } from './figures.service.ts';
import type { PlansService } from './plans.service.ts';
import type { TopicsService } from './topics.service.ts';

const tags = ['deliberation'];

/** The one plan a step answers with (the service loads exactly it). */
function onePlan(...args: Parameters<typeof presentPlans>) {
  const [plan] = presentPlans(...args);
  if (!plan) throw new Error('The plan of the step did not load.');
  return plan;
}

export interface DeliberationServices { topics: TopicsService; discussion: DiscussionService; plans: PlansService; decisions: DecisionsService; figures: FiguresService }

/**
 * Deliberation (议事协商) over HTTP: topics and their support, moderation and merging; discussion; plans and
 * amendments; the vote; pledges. Residents take part in the topics of where they live; the staff of the part of
 * the tree organise.
 */
export function deliberationRoutes({ topics, discussion, plans, decisions, figures }: DeliberationServices): FastifyPluginAsyncZod {
  return async (app) => {
    const viewed = async (ctx: Parameters<TopicsService['view']>[0], id: number) => {
      const { topic, view } = await topics.view(ctx, id);
      return presentTopic(topic, view);
    };

    app.post('/api/topics', {
      schema: { tags, summary: 'Raise a topic (议题): a resident for where they live, staff for a grid, estate or community; a repeated clientId answers 200', body: s.raiseBody, response: { 200: s.topicSchema, 201: s.topicSchema } },
    }, async (req, reply) => {
      const { created, id } = await topics.raise(req.ctx, req.body);
      return reply.code(created ? 201 : 200).send(await viewed(req.ctx, id));
    });

    app.get('/api/topics', {
      schema: { tags, summary: 'Topics I may see, newest first: staff those of their part of the tree, residents those of where they live', querystring: s.listQuery, response: { 200: pageSchema(s.topicListItem) } },
    }, async (req) => {
      const { items, nextCursor } = await topics.list(req.ctx, req.query);
      return { items: items.map(presentTopicItem), nextCursor };
    });

    app.get('/api/topics/:id', { schema: { tags, summary: 'One topic as I see it (support, my vote, the count where shown)', params: s.idParams, response: { 200: s.topicSchema } } },
      async (req) => viewed(req.ctx, req.params.id));

    app.get('/api/topics/:id/trail', { schema: { tags, summary: "The topic's trail: every change, by whom and why", params: s.idParams, response: { 200: z.object({ items: z.array(s.eventSchema) }) } } },
      async (req) => ({ items: (await topics.trail(req.ctx, req.params.id)).map(presentEvent) }));

    app.post('/api/matters/:id/topic', {
      schema: { tags, summary: 'A matter that needs the residents\' agreement becomes a topic, linked both ways', params: s.idParams, body: s.raiseBody, response: { 201: s.topicSchema } },
    }, async (req, reply) => reply.code(201).send(await viewed(req.ctx, await topics.fromMatter(req.ctx, req.params.id, req.body))));

    app.get('/api/matters/:id/topics', {
      schema: { tags, summary: 'The topics a matter became, or whose implementation sent it', params: s.idParams, response: { 200: z.object({ items: z.array(z.object({ id: z.number(), title: z.string(), stage: z.string() })) }) } },
    }, async (req) => ({ items: await topics.ofMatter(req.ctx, req.params.id) }));

    app.post('/api/group-messages/:id/topic', {
      schema: { tags, summary: 'A group message becomes a topic of its grid; the message opens the discussion', params: s.idParams, body: s.raiseBody, response: { 201: s.topicSchema } },
    }, async (req, reply) => reply.code(201).send(await viewed(req.ctx, await topics.fromMessage(req.ctx, req.params.id, req.body))));

    app.post('/api/topics/:id/support', {
      schema: { tags, summary: 'Support the topic (附议), once per resident; reaching the threshold starts deliberation', params: s.idParams, response: { 200: s.supportResult } },
    }, async (req) => {
      const { added } = await topics.support(req.ctx, req.params.id);
      return { added, topic: await viewed(req.ctx, req.params.id) };
    });

    const staffStep = (path: string, summary: string, body: z.ZodType<{ note?: string; reason?: string; into?: number }>, run: (ctx: Parameters<TopicsService['view']>[0], id: number, b: { note?: string; reason?: string; into?: number }) => Promise<unknown>) =>
      app.post(path, { schema: { tags, summary, params: s.idParams, body, response: { 200: s.topicSchema } } }, async (req) => {
        await run(req.ctx, req.params.id, req.body);
        return viewed(req.ctx, req.params.id);
      });
    staffStep('/api/topics/:id/advance', 'Staff move a collecting topic on to deliberation', s.noteBody, (ctx, id, b) => topics.advance(ctx, id, b.note ?? ''));
    staffStep('/api/topics/:id/hide', 'Hide the topic with a reason (moderation); the reason stays in the trail', s.reasonBody, (ctx, id, b) => topics.hide(ctx, id, b.reason ?? ''));
    staffStep('/api/topics/:id/unhide', 'Show a hidden topic again', s.noteBody, (ctx, id, b) => topics.unhide(ctx, id, b.note ?? ''));
    staffStep('/api/topics/:id/merge', 'Merge a duplicate into another topic; supports join once each', s.mergeBody, (ctx, id, b) => topics.merge(ctx, id, b.into ?? 0, b.note ?? ''));
    app.post('/api/topics/:id/vote/open', {
      schema: { tags, summary: 'Open the vote: the rules, the closing time, the eligible count fixed now', params: s.idParams, body: s.openVoteBody, response: { 200: s.topicSchema } },
    }, async (req) => {
      await decisions.open(req.ctx, req.params.id, req.body);
      return viewed(req.ctx, req.params.id);
    });
    app.post('/api/topics/:id/vote/close', {
      schema: { tags, summary: 'Close the vote: count, store the tally, decide', params: s.idParams, body: s.closeVoteBody, response: { 200: s.topicSchema } },
    }, async (req) => {
      await decisions.close(req.ctx, req.params.id, req.body);
      return viewed(req.ctx, req.params.id);
    });

    app.post('/api/topics/:id/votes', {
      schema: { tags, summary: 'Vote on my phone, once; a second vote by any channel is refused with ALREADY_VOTED', params: s.idParams, body: s.voteBody, response: { 201: s.voteResult } },
    }, async (req, reply) => {
      const r = await decisions.vote(req.ctx, req.params.id, req.body);
      return reply.code(201).send({ channel: r.channel, at: r.at.toISOString(), topic: presentTopic(r.topic, r.view) });
    });

    app.post('/api/topics/:id/votes/record', {
      schema: { tags, summary: "Staff record a resident's vote from the meeting or a paper ballot; one person, one vote", params: s.idParams, body: s.recordVoteBody, response: { 201: s.voteResult } },
    }, async (req, reply) => {
      const r = await decisions.record(req.ctx, req.params.id, req.body);
      return reply.code(201).send({ channel: r.channel, at: r.at.toISOString(), topic: presentTopic(r.topic, r.view) });
    });

    app.get('/api/deliberation/figures', {
      schema: { tags: ['deliberation', 'statistics'], summary: "Deliberation's figures of a node and each child: raised, decided, implemented, participation, satisfaction (staff over the node)", querystring: figuresQuery, response: { 200: figuresSchema } },
    }, async (req) => figures.figures(req.ctx, req.query));

    app.get('/api/screen/deliberation', {
      schema: { tags: ['deliberation', 'screen'], summary: "The big screen's deliberation panel: this year's figures and the latest topics (staff over the node)", querystring: screenQuery, response: { 200: screenSchema } },
    }, async (req) => figures.screen(req.ctx, req.query.nodeId));

    // ---- discussion ----
    app.get('/api/topics/:id/comments', {
      schema: { tags, summary: 'The discussion, oldest first (a plan\'s with planId)', params: s.idParams, querystring: s.commentsQuery, response: { 200: pageSchema(s.commentSchema) } },
    }, async (req) => {
      const { items, nextCursor } = await discussion.list(req.ctx, req.params.id, req.query);
      return { items: items.map(presentComment), nextCursor };
    });
    app.post('/api/topics/:id/comments', {
      schema: { tags, summary: 'Comment on the topic or one of its plans, or reply to a comment', params: s.idParams, body: s.commentBody, response: { 201: s.commentSchema } },
    }, async (req, reply) => reply.code(201).send(presentComment(await discussion.add(req.ctx, req.params.id, req.body))));
    app.post('/api/topics/:id/comments/import', {
      schema: { tags, summary: "Import messages of the topic's online groups as comments, once each", params: s.idParams, body: s.importBody, response: { 200: s.importResult } },
    }, async (req) => discussion.importMessages(req.ctx, req.params.id, req.body));
    app.post('/api/topics/:id/comments/:commentId/hide', {
      schema: { tags, summary: 'Hide a comment with a reason; it keeps its place in the thread', params: s.commentParams, body: s.reasonBody, response: { 200: s.commentSchema } },
    }, async (req) => presentComment(await discussion.hide(req.ctx, req.params.id, req.params.commentId, req.body.reason)));

    // ---- plans ----
    app.get('/api/topics/:id/plans', { schema: { tags, summary: 'The plans of a topic with their goals and totals', params: s.idParams, response: { 200: s.plansSchema } } },
      async (req) => {
        const { rows, details } = await plans.list(req.ctx, req.params.id);
        return { items: presentPlans(rows, details) };
      });
    app.post('/api/topics/:id/plans', {
      schema: { tags, summary: 'Put a plan (方案) to the topic, with co-authors, cost, photos, departments and crowdfunding goals', params: s.idParams, body: s.planBody, response: { 201: s.planSchema } },
    }, async (req, reply) => {
      const { rows, details } = await plans.create(req.ctx, req.params.id, req.body);
      return reply.code(201).send(onePlan(rows, details));
    });
    app.post('/api/topics/:id/plans/:planId/amendments', {
      schema: { tags, summary: 'Propose an amendment to a plan', params: s.planParams, body: s.amendmentBody, response: { 201: s.planSchema } },
    }, async (req, reply) => {
      const { rows, details } = await plans.amend(req.ctx, req.params.id, req.params.planId, req.body);
      return reply.code(201).send(onePlan(rows, details));
    });
    app.post('/api/topics/:id/plans/:planId/amendments/:amendmentId/decide', {
      schema: { tags, summary: "The plan's authors or the organisers accept or reject an amendment", params: s.amendmentParams, body: s.amendmentDecisionBody, response: { 200: s.planSchema } },
    }, async (req) => {
      const { rows, details } = await plans.decideAmendment(req.ctx, req.params.id, req.params.planId, req.params.amendmentId, req.body);
      return onePlan(rows, details);
    });

    // ---- pledges ----
    app.get('/api/topics/:id/pledges', { schema: { tags, summary: 'Pledges toward the plans, newest first, pledgers masked', params: s.idParams, response: { 200: s.pledgesSchema } } },
      async (req) => {
        const { rows, viewer } = await plans.pledges(req.ctx, req.params.id);
        return { items: rows.map((p) => presentPledge(p, viewer)) };
      });
    app.post('/api/topics/:id/pledges', {
      schema: { tags, summary: 'Pledge money, labour or materials toward a goal (a resident; staff for a resident or an organisation); a repeated clientId answers 200', params: s.idParams, body: s.pledgeBody, response: { 200: s.pledgeSchema, 201: s.pledgeSchema } },
    }, async (req, reply) => {
      const { created, id } = await plans.pledge(req.ctx, req.params.id, req.body);
      return reply.code(created ? 201 : 200).send(presentPledge(await plans.pledgeRow(req.params.id, id), await plans.pledgeViewer(req.ctx, req.params.id)));
    });
    app.post('/api/topics/:id/pledges/:pledgeId/deliver', {
      schema: { tags, summary: 'Staff confirm a pledge delivered (兑现)', params: s.pledgeParams, body: s.noteBody, response: { 200: s.pledgeSchema } },
    }, async (req) => presentPledge(await plans.settle(req.ctx, req.params.id, req.params.pledgeId, 'delivered', req.body.note), { residentId: null, organiser: true }));
    app.post('/api/topics/:id/pledges/:pledgeId/cancel', {
      schema: { tags, summary: 'Staff cancel a pledge that will not be delivered', params: s.pledgeParams, body: s.noteBody, response: { 200: s.pledgeSchema } },
    }, async (req) => presentPledge(await plans.settle(req.ctx, req.params.id, req.params.pledgeId, 'cancelled', req.body.note), { residentId: null, organiser: true }));
  };
}
