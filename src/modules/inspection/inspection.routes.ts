import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../deps.ts';
import type { MattersService } from '../matters/matters.service.ts';
import { GridLocatorCache } from '../structure/locator.cache.ts';
import * as s from './inspection.schema.ts';
import { InspectionService } from './inspection.service.ts';

const tags = ['inspection'];

/** Inspection tasks (排查任务) pushed to grids: create, follow per grid, check points, close. */
export function inspectionRoutes(deps: AppDeps, matters: MattersService): FastifyPluginAsyncZod {
  // Its own locator cache: it rebuilds from the same boundary version, so it agrees with the structure module's.
  const service = new InspectionService(deps, matters, new GridLocatorCache(deps.db));
  return async (app) => {
    app.post('/api/inspections', {
      schema: { tags, summary: 'Push an inspection task with its points to grids under a node (centre, administrators)', body: s.createBody, response: { 201: s.taskDetailSchema } },
    }, async (req, reply) => reply.code(201).send(await service.create(req.ctx, req.body)));

    app.get('/api/inspections', {
      schema: {
        tags, summary: 'Inspection tasks with points in my scope, newest first, with progress over the points I may see',
        querystring: s.listQuery, response: { 200: z.object({ items: z.array(s.taskSchema), nextCursor: z.string().nullable() }) },
      },
    }, async (req) => service.list(req.ctx, req.query));

    app.get('/api/inspections/mine', {
      schema: { tags, summary: 'Open tasks with points in the grids I work in, with those points, due soonest first', response: { 200: z.object({ items: z.array(s.taskDetailSchema) }) } },
    }, async (req) => service.mine(req.ctx));

    app.get('/api/inspections/:id', {
      schema: { tags, summary: 'A task with the points I may see and progress per grid', params: s.idParams, response: { 200: s.taskDetailSchema } },
    }, async (req) => service.detail(req.ctx, req.params.id));

    app.post('/api/inspections/:id/points/:pointId/check', {
      schema: {
        tags, summary: "Record a point's state (the grid's workers and chief, community staff); abnormal raises a matter",
        params: s.pointParams, body: s.checkBody, response: { 200: s.checkResultSchema },
      },
    }, async (req) => service.check(req.ctx, req.params.id, req.params.pointId, req.body));

    app.post('/api/inspections/:id/close', {
      schema: { tags, summary: 'Close a task; pending points stay pending (centre, administrators)', params: s.idParams, response: { 200: s.taskDetailSchema } },
    }, async (req) => service.close(req.ctx, req.params.id));
  };
}
