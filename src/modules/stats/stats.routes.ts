import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { statsExportRoute } from './stats.export.ts';
import * as s from './stats.schema.ts';
import type { StatsService } from './stats.service.ts';

/** Statistics of the closed loop; formulas in docs/statistics.md. Days are calendar days in Beijing time. */
export function statsRoutes(stats: StatsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/stats/summary', {
      schema: { tags: ['statistics'], summary: 'Figures of a node over a date range: reported by source/category/level/status, rates, overdue now (staff over the node)', querystring: s.rangeQuery, response: { 200: s.summarySchema } },
    }, async (req) => stats.summary(req.ctx, req.query));

    app.get('/api/stats/breakdown', {
      schema: { tags: ['statistics'], summary: 'The same figures for each child of a node, by code (staff over the node)', querystring: s.rangeQuery, response: { 200: s.breakdownSchema } },
    }, async (req) => stats.breakdown(req.ctx, req.query));

    app.get('/api/stats/handlers', {
      schema: { tags: ['statistics'], summary: 'The same figures per department, post or board serving a node (staff over it; a handler sees its own)', querystring: s.handlersQuery, response: { 200: s.handlersSchema } },
    }, async (req) => stats.handlers(req.ctx, req.query));

    statsExportRoute(app, stats);
  };
}
