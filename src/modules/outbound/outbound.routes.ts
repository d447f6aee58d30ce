import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageSchema as page } from '../../core/cursor.ts';
import { presentContent, presentDelivery, presentPlan, presentTarget } from './outbound.presenter.ts';
import * as s from './outbound.schema.ts';
import type { OutboundService } from './outbound.service.ts';

const tags = ['outbound'];

/**
 * Outbound to the online groups: where each group's messages go, broadcasts (宣传), the delivery log, public result
 * photos. `publicUrl` is where links in a delivery's text point.
 */
export function outboundRoutes(service: OutboundService, publicUrl: string): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/online-groups/:id/targets', {
      schema: { tags, summary: "A group's outbound targets, secrets masked (administrators, the group's community staff)", params: s.idParams, response: { 200: z.object({ items: z.array(s.targetSchema) }) } },
    }, async (req) => ({ items: (await service.listTargets(req.ctx, req.params.id)).map(presentTarget) }));

    app.post('/api/online-groups/:id/targets', {
      schema: { tags, summary: 'Set where a group\'s messages go: a WeCom group robot URL or a signed webhook; one active target per group', params: s.idParams, body: s.createTargetBody, response: { 201: s.targetSchema } },
    }, async (req, reply) => reply.code(201).send(presentTarget(await service.createTarget(req.ctx, req.params.id, req.body))));

    app.patch('/api/online-groups/:id/targets/:targetId', {
      schema: { tags, summary: 'Change, disable or re-enable a target', params: s.targetParams, body: s.updateTargetBody, response: { 200: s.targetSchema } },
    }, async (req) => presentTarget(await service.updateTarget(req.ctx, req.params.id, req.params.targetId, req.body)));

    app.get('/api/broadcasts/content', {
      schema: { tags, summary: 'The broadcast content library, newest first (administrators, centre operators, community staff)', querystring: s.contentQuery, response: { 200: page(s.contentSchema) } },
    }, async (req) => {
      const { items, nextCursor } = await service.listContent(req.ctx, req.query);
      return { items: items.map(presentContent), nextCursor };
    });

    app.post('/api/broadcasts/content', {
      schema: { tags, summary: 'Add content to the library, optionally under a theme', body: s.createContentBody, response: { 201: s.contentSchema } },
    }, async (req, reply) => reply.code(201).send(presentContent(await service.createContent(req.ctx, req.body))));

    app.patch('/api/broadcasts/content/:id', {
      schema: { tags, summary: 'Edit or retire content (administrators, or its author)', params: s.idParams, body: s.updateContentBody, response: { 200: s.contentSchema } },
    }, async (req) => presentContent(await service.updateContent(req.ctx, req.params.id, req.body)));

    app.get('/api/broadcasts/plans', {
      schema: { tags, summary: 'Broadcast plans whose groups all lie in my scope', response: { 200: z.object({ items: z.array(s.planSchema) }) } },
    }, async (req) => ({ items: (await service.listPlans(req.ctx)).map(presentPlan) }));

    app.get('/api/broadcasts/plans/:id', {
      schema: { tags, summary: 'One broadcast plan with its next run', params: s.idParams, response: { 200: s.planSchema } },
    }, async (req) => presentPlan(await service.getPlan(req.ctx, req.params.id)));

    app.post('/api/broadcasts/plans', {
      schema: {
        tags, summary: 'Plan a daily reminder or a weekly theme, at HH:MM Beijing time, to groups or to every group under a node',
        body: s.createPlanBody, response: { 201: s.planSchema },
      },
    }, async (req, reply) => reply.code(201).send(presentPlan(await service.createPlan(req.ctx, req.body))));

    app.patch('/api/broadcasts/plans/:id', {
      schema: { tags, summary: 'Change, pause or resume a plan; its next run is computed again', params: s.idParams, body: s.updatePlanBody, response: { 200: s.planSchema } },
    }, async (req) => presentPlan(await service.updatePlan(req.ctx, req.params.id, req.body)));

    app.get('/api/outbound/deliveries', {
      schema: { tags, summary: 'The delivery log to groups in my scope, newest first, with every attempt', querystring: s.deliveryQuery, response: { 200: page(s.deliverySchema) } },
    }, async (req) => {
      const { items, nextCursor } = await service.listDeliveries(req.ctx, req.query);
      return { items: items.map((d) => presentDelivery(d, publicUrl)), nextCursor };
    });

    app.post('/api/outbound/deliveries/:id/retry', {
      schema: { tags, summary: 'Send a failed delivery again now (administrators)', params: s.idParams, response: { 200: s.deliverySchema } },
    }, async (req) => presentDelivery(await service.retry(req.ctx, req.params.id), publicUrl));

    app.get('/api/public/files/:hash', {
      schema: {
        tags, summary: 'A result photo of a matter whose outcome is public (feedback or closed); no sign-in, for links posted to groups',
        params: s.hashParams, produces: ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif'],
      },
    }, async (req, reply) => {
      const file = await service.publicPhoto(req.ctx, req.params.hash);
      return reply.header('content-type', file.mime).header('content-length', file.size).header('cache-control', 'public, max-age=86400')
        .header('x-content-type-options', 'nosniff').send(file.stream);
    });
  };
}
