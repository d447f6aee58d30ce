import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { presentMine, presentRule } from './points.presenter.ts';
import * as s from './points.schema.ts';
import type { PointsService } from './points.service.ts';

const tags = ['points'];

/** Points (德分宝) over HTTP: my account and statement, the daily check-in, the earning rules. */
export function pointsRoutes(points: PointsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/points/me', {
      schema: { tags, summary: 'My points: balance, held, available and the statement, newest first (a verified resident)', querystring: s.mineQuery, response: { 200: s.mineSchema } },
    }, async (req) => presentMine(await points.mine(req.ctx, req.query)));

    app.post('/api/points/checkin', {
      schema: { tags, summary: 'Check in for today (每日签到): the rule\'s points once a day, within its caps; again the same day answers what it gave', response: { 200: s.checkinSchema } },
    }, async (req) => {
      const { day, granted, already, ...mine } = await points.checkin(req.ctx);
      return { day, granted, already, ...presentMine(mine) };
    });

    app.get('/api/points/rules', {
      schema: { tags, summary: 'The earning rules with their points and caps (centre and community staff)', response: { 200: s.rulesSchema } },
    }, async (req) => ({ items: (await points.rules(req.ctx)).map(presentRule) }));

    app.put('/api/points/rules/:rule', {
      schema: { tags, summary: 'Set an earning rule\'s points, caps and whether it is on (administrators)', params: s.ruleParams, body: s.ruleBody, response: { 200: s.ruleSchema } },
    }, async (req) => presentRule(await points.setRule(req.ctx, req.params.rule, req.body)));
  };
}
