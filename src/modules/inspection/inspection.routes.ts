import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { pageSchema } from '../../core/cursor.ts';
import { presentCheck, presentTask, presentTaskDetail } from './inspection.presenter.ts';
import * as s from './inspection.schema.ts';
import type { InspectionService } from './inspection.service.ts';

const tags = ['inspection'];

/** Inspection tasks (排查任务) pushed to grids: create, follow per grid, check points, close. */
export function inspectionRoutes(service: InspectionService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/api/inspections', {
      schema: { tags, summary: 'Push an inspection task with its points to grids under a node (centre, administrators)', body: s.createBody, response: { 201: s.taskDetailSchema } },
    }, async (req, reply) => reply.code(201).send(presentTaskDetail(await service.create(req.ctx, req.body))));

    app.get('/api/inspections', {
      schema: {
        tags, summary: 'Inspection tasks with points in my scope, newest first, with progress over the points I may see',
        querystring: s.listQuery, response: { 200: pageSchema(s.taskSchema) },
      },
    }, async (req) => {
      const { items, nextCursor } = await service.list(req.ctx, req.query);
      return { items: items.map(presentTask), nextCursor };
    });

    app.get('/api/inspections/mine', {
      schema: { tags, summary: 'Open tasks with points in the grids I work in, with those points, due soonest first', querystring: s.mineQuery, response: { 200: pageSchema(s.taskDetailSchema) } },
    }, async (req) => {
      const { items, nextCursor } = await service.mine(req.ctx, req.query);
      return { items: items.map(presentTaskDetail), nextCursor };
    });

    app.get('/api/inspections/:id', {
      schema: { tags, summary: 'A task with the points I may see and progress per grid', params: s.idParams, response: { 200: s.taskDetailSchema } },
    }, async (req) => presentTaskDetail(await service.detail(req.ctx, req.params.id)));

    app.post('/api/inspections/:id/points/:pointId/check', {
      schema: {
        tags, summary: "Record a point's state (the grid's workers and chief, community staff); abnormal raises a matter",
        params: s.pointParams, body: s.checkBody, response: { 200: s.checkResultSchema },
      },
    }, async (req) => presentCheck(await service.check(req.ctx, req.params.id, req.params.pointId, req.body)));

    app.post('/api/inspections/:id/close', {
      schema: { tags, summary: 'Close a task; pending points stay pending (centre, administrators)', params: s.idParams, response: { 200: s.taskDetailSchema } },
    }, async (req) => presentTaskDetail(await service.close(req.ctx, req.params.id)));
  };
}
