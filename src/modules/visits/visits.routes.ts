import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { pageSchema } from '../../core/cursor.ts';
import { presentVisit, presentVisits } from './visits.presenter.ts';
import * as s from './visits.schema.ts';
import type { VisitsService } from './visits.service.ts';

const tags = ['visits'];

/** Household visits (走访) by grid staff, with the households called on and photos; drafts re-send safely by clientId. */
export function visitsRoutes(visits: VisitsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/api/visits', {
      schema: { tags, summary: "Log a visit to households of my grid (the grid's staff); a repeated clientId answers 200 with the first visit", body: s.createBody, response: { 200: s.visitSchema, 201: s.visitSchema } },
    }, async (req, reply) => {
      const { created, row, details } = await visits.create(req.ctx, req.body);
      return reply.code(created ? 201 : 200).send(presentVisit(row, details));
    });

    app.get('/api/visits', {
      schema: { tags, summary: "A grid's visits, newest first (the grid's staff and the centre)", querystring: s.listQuery, response: { 200: pageSchema(s.visitSchema) } },
    }, async (req) => {
      const { rows, nextCursor, details } = await visits.list(req.ctx, req.query);
      return { items: presentVisits(rows, details), nextCursor };
    });
  };
}
