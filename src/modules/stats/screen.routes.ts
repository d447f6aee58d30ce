import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParam } from '../../core/fields.ts';
import { presentOverview } from './screen.presenter.ts';
import type { ScreenService } from './screen.service.ts';

const rate = z.number().nullable().describe('0..1; null when the denominator is zero');
const matterRef = z.object({
  id: z.number(), code: z.string(), title: z.string(), status: z.string(), urgent: z.boolean(), overdue: z.boolean(),
  dueAt: z.string().nullable(), reportedAt: z.string(), areaName: z.string().nullable(),
});
export const overviewSchema = z.object({
  node: z.object({ id: z.number(), level: z.string(), code: z.string(), name: z.string() }),
  today: z.string().describe('Beijing calendar day'),
  tiles: z.object({
    new: z.number().describe('matters reported today under the node'),
    closed: z.number().describe('closings today (area subject of the node)'),
    open: z.number().describe('open matters now (not closed, merged or rejected) in grids under the node'),
    rateFrom: z.string().describe('first day of the 30-day window of the rates (to today)'),
    onTimeRate: rate.describe('按期结案率 over the window, docs/statistics.md'), due: z.number(),
    satisfactionRate: rate.describe('满意率 over the window'), rated: z.number(),
  }),
  openByGrid: z.array(z.object({ gridId: z.number(), open: z.number(), urgent: z.number(), overdue: z.number() })).describe('grids with open matters; the others have none'),
  trend: z.array(z.object({ from: z.string(), to: z.string(), new: z.number(), closed: z.number() })).describe('8 seven-day windows ending today, oldest first'),
  topCategories: z.array(z.object({ categoryId: z.number(), code: z.string(), name: z.string(), n: z.number() })).describe('reported in the last 30 days, most first, up to 8'),
  inspections: z.array(z.object({ id: z.number(), title: z.string(), dueAt: z.string(), overdue: z.boolean(), total: z.number(), checked: z.number(), abnormal: z.number() })),
  urgent: z.array(matterRef).describe('open urgent or overdue matters, newest first, up to 20'),
  latest: z.array(matterRef).describe('the latest matters reported, newest first, up to 20'),
});

/** The big screen's figures (大屏), for the centre over a node. */
export function screenRoutes(screen: ScreenService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/screen/overview', {
      schema: {
        tags: ['statistics'], summary: 'Big-screen figures of a node: today, open matters per grid, weekly trend, top categories, inspections, urgent and latest matters (centre over the node)',
        querystring: z.object({ nodeId: idParam }), response: { 200: overviewSchema },
      },
    }, async (req) => presentOverview(await screen.overview(req.ctx, req.query.nodeId)));
  };
}
