import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParam } from '../../core/fields.ts';
import { presentMessages, presentOverview } from './screen.presenter.ts';
import type { ScreenService } from './screen.service.ts';

const rate = z.number().nullable().describe('0..1; null when the denominator is zero');
const matterRef = z.object({
  id: z.number(), code: z.string(), title: z.string(), status: z.string(), urgent: z.boolean(), overdue: z.boolean(),
  dueAt: z.string().nullable(), reportedAt: z.string(), areaName: z.string().nullable(),
});
export const screenMessagesSchema = z.object({
  today: z.string().describe('Beijing calendar day of the figures'),
  figures: z.object({
    messages: z.number().describe('group messages taken in today in grids under the node'),
    actionable: z.number().describe('of them sensed actionable'), urgent: z.number().describe('of them sensed urgent'),
    handledInGroup: z.number().describe('of them now handled in the group'), toMatter: z.number().describe('of them now turned into matters'),
  }),
  latest: z.array(z.object({
    id: z.number(), at: z.string().describe('received'), gridName: z.string(), urgent: z.boolean(), urgentKind: z.string().nullable(),
    categoryCode: z.string().nullable(), categoryName: z.string().nullable(), state: z.string(),
    excerpt: z.string().describe('the start of the text with phone and ID numbers and self-given names masked; never the full text or the sender'),
  })).describe('the latest actionable or urgent group messages, newest first, up to 12'),
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
  online: screenMessagesSchema.describe('the online grid at work today (as GET /api/screen/messages)'),
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

    app.get('/api/screen/messages', {
      schema: {
        tags: ['statistics'], summary: 'The online grid on the big screen: today\'s group-message figures and the latest actionable or urgent messages, redacted (centre over the node)',
        description: 'The online part of GET /api/screen/overview alone, for refetching on events of GET /api/live/messages.',
        querystring: z.object({ nodeId: idParam }), response: { 200: screenMessagesSchema },
      },
    }, async (req) => presentMessages(await screen.messages(req.ctx, req.query.nodeId)));
  };
}
