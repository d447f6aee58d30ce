import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { XLSX_MIME } from '../porting/people.workbook.ts';
import type { MerchantsService } from './merchants.service.ts';
import {
  presentCounter, presentFlag, presentHours, presentItem, presentMerchant, presentMerchantDetail, presentMine, presentReconciliation, presentRedemption, presentRule, presentScheme,
} from './points.presenter.ts';
import * as s from './points.schema.ts';
import type { PointsService } from './points.service.ts';
import type { RedemptionsService } from './redemptions.service.ts';
import type { PointsReportsService } from './reports.service.ts';
import type { VolunteerService } from './volunteer.service.ts';

export interface PointsServices {
  points: PointsService; merchants: MerchantsService; redemptions: RedemptionsService; volunteer: VolunteerService; reports: PointsReportsService;
}

const tags = ['points'];

/** Points (德分宝) over HTTP: my account and statement, the daily check-in, the earning rules. */
export function pointsRoutes({ points }: PointsServices): FastifyPluginAsyncZod {
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
      schema: { tags, summary: 'The earning rules with their points and caps (anyone signed in: how to earn)', response: { 200: s.rulesSchema } },
    }, async (req) => ({ items: (await points.rules(req.ctx)).map(presentRule) }));

    app.put('/api/points/rules/:rule', {
      schema: { tags, summary: 'Set an earning rule\'s points, caps and whether it is on (administrators)', params: s.ruleParams, body: s.ruleBody, response: { 200: s.ruleSchema } },
    }, async (req) => presentRule(await points.setRule(req.ctx, req.params.rule, req.body)));
  };
}

/** The residents' side of the alliance: the shop, my codes, my volunteer hours. */
export function shopRoutes({ merchants, redemptions, volunteer }: PointsServices): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/points/shop', {
      schema: { tags, summary: 'The shop (积分商城): the active merchants of my town, my community\'s first, with their items (a verified resident)', response: { 200: s.shopSchema } },
    }, async (req) => ({ items: (await merchants.shopFor(req.ctx)).map((m) => ({ ...presentMerchant(m), home: m.home })) }));

    app.post('/api/points/redemptions', {
      schema: {
        tags, summary: 'Redeem (兑换): a code that holds the points and the stock for five minutes until the merchant scans it; the same key answers the same code',
        body: s.redeemBody, response: { 200: s.redemptionSchema },
      },
    }, async (req) => presentRedemption(await redemptions.create(req.ctx, req.body)));

    app.get('/api/points/redemptions/mine', {
      schema: { tags, summary: 'My codes, newest first: pending ones with their digits and QR, and what became of the others', response: { 200: s.redemptionsSchema } },
    }, async (req) => ({ items: (await redemptions.mine(req.ctx)).map(presentRedemption) }));

    app.post('/api/points/redemptions/:id/cancel', {
      schema: { tags, summary: 'Take back one of my codes not yet used: the points and the stock are free again', params: s.idOnlyParams, response: { 200: s.redemptionSchema } },
    }, async (req) => presentRedemption(await redemptions.cancel(req.ctx, req.params.id)));

    app.get('/api/points/hours/mine', {
      schema: { tags, summary: 'My volunteer hours and what they earned', response: { 200: s.hoursListSchema } },
    }, async (req) => ({ items: (await volunteer.mine(req.ctx)).map((h) => presentHours(h)) }));
  };
}

/** The merchant alliance (德商联盟): onboarding and suspension by the community, the counter of a merchant's keepers. */
export function merchantRoutes({ merchants, redemptions, reports }: PointsServices): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/merchants', {
      schema: { tags, summary: 'The merchants of my part of the tree (community staff, the centre, administrators)', response: { 200: s.merchantsSchema } },
    }, async (req) => ({ items: (await merchants.list(req.ctx)).map((m) => ({ ...presentMerchant(m), itemCount: m.items ?? 0 })) }));

    app.post('/api/merchants', {
      schema: { tags, summary: 'Onboard a merchant (入驻) in a community, with its keeper found or opened by phone', body: s.onboardBody, response: { 200: s.merchantDetailSchema } },
    }, async (req) => presentMerchantDetail(await merchants.onboard(req.ctx, req.body)));

    app.get('/api/merchants/mine', {
      schema: { tags, summary: 'The merchants I keep (店主), with their items', response: { 200: s.keptSchema } },
    }, async (req) => ({ items: (await merchants.kept(req.ctx)).map((m) => presentMerchant(m)) }));

    app.get('/api/merchants/:id', {
      schema: { tags, summary: 'A merchant with its keepers (phones masked) and all its items', params: s.merchantParams, response: { 200: s.merchantDetailSchema } },
    }, async (req) => presentMerchantDetail(await merchants.get(req.ctx, req.params.id)));

    app.patch('/api/merchants/:id', {
      schema: { tags, summary: 'Change a merchant\'s name, address, hours (keepers or staff) or daily cap (staff)', params: s.merchantParams, body: s.merchantPatch, response: { 200: s.merchantDetailSchema } },
    }, async (req) => presentMerchantDetail(await merchants.update(req.ctx, req.params.id, req.body)));

    app.post('/api/merchants/:id/suspend', {
      schema: { tags, summary: 'Suspend a merchant (暂停): it takes no new codes', params: s.merchantParams, body: s.stateBody, response: { 200: s.merchantDetailSchema } },
    }, async (req) => presentMerchantDetail(await merchants.setState(req.ctx, req.params.id, 'suspended', req.body.reason)));

    app.post('/api/merchants/:id/reinstate', {
      schema: { tags, summary: 'Reinstate a suspended merchant (恢复)', params: s.merchantParams, body: s.stateBody, response: { 200: s.merchantDetailSchema } },
    }, async (req) => presentMerchantDetail(await merchants.setState(req.ctx, req.params.id, 'active', req.body.reason)));

    app.post('/api/merchants/:id/items', {
      schema: { tags, summary: 'Add an item or service at a point price, with its stock', params: s.merchantParams, body: s.itemBody, response: { 200: s.itemSchema } },
    }, async (req) => presentItem(await merchants.addItem(req.ctx, req.params.id, req.body)));

    app.patch('/api/merchants/:id/items/:itemId', {
      schema: { tags, summary: 'Change an item: price, stock, or take it off the shelf', params: s.itemParams, body: s.itemPatch, response: { 200: s.itemSchema } },
    }, async (req) => presentItem(await merchants.updateItem(req.ctx, req.params.id, req.params.itemId, req.body)));

    app.post('/api/merchants/:id/confirm', {
      schema: {
        tags, summary: 'Confirm a code at the counter (核销): the held points go to the merchant; a code works once', params: s.merchantParams, body: s.codeBody,
        response: { 200: s.counterSchema },
      },
    }, async (req) => presentCounter(await redemptions.confirm(req.ctx, req.params.id, req.body.code)));

    app.post('/api/merchants/:id/decline', {
      schema: { tags, summary: 'Decline a code at the counter: the points and the stock are free again', params: s.merchantParams, body: s.declineBody, response: { 200: s.counterSchema } },
    }, async (req) => presentCounter(await redemptions.decline(req.ctx, req.params.id, req.body.code, req.body.reason)));

    app.get('/api/merchants/:id/today', {
      schema: { tags, summary: 'Today\'s codes at the counter (今日核销), names masked', params: s.merchantParams, response: { 200: s.counterListSchema } },
    }, async (req) => {
      const rows = await redemptions.today(req.ctx, req.params.id);
      const confirmed = rows.filter((r) => r.state === 'confirmed');
      return { items: rows.map(presentCounter), confirmed: confirmed.length, confirmedPoints: confirmed.reduce((n, r) => n + r.points, 0) };
    });

    app.get('/api/merchants/:id/report.xlsx', {
      schema: { tags, summary: 'The merchant\'s redemption report over a range of days (keepers or staff)', params: s.merchantParams, querystring: s.merchantRangeQuery, produces: [XLSX_MIME] },
    }, async (req, reply) => {
      const { data, filename } = await reports.merchantReport(req.ctx, req.params.id, req.query);
      return reply.header('content-type', XLSX_MIME).header('content-disposition', `attachment; filename="${filename}"`).send(data);
    });

    app.post('/api/merchants/:id/settle', {
      schema: { tags, summary: 'Settle (结算): the merchant\'s points so far go to the settlement account; the same key settles once', params: s.merchantParams, body: s.settleBody, response: { 200: s.settleSchema } },
    }, async (req) => {
      const r = await reports.settle(req.ctx, req.params.id, req.body.key);
      return { transferId: r.transfer.id, points: r.transfer.amount, created: r.created };
    });
  };

}

/** The community's side: volunteer hours to sign off, the figures and the settlement report, flags, the scheme. */
export function schemeRoutes({ volunteer, reports }: PointsServices): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/api/points/hours', {
      schema: { tags, summary: 'Record a resident\'s volunteer hours (登记志愿时长) for someone else to sign off', body: s.hoursBody, response: { 200: s.hoursSchema } },
    }, async (req) => presentHours(await volunteer.record(req.ctx, req.body)));

    app.get('/api/points/hours', {
      schema: { tags, summary: 'Volunteer hours of my part of the tree, newest first, with the residents\' names for those who sign them off (grid and community staff)', querystring: s.hoursQuery, response: { 200: s.hoursListSchema } },
    }, async (req) => ({ items: (await volunteer.list(req.ctx, req.query)).map((h) => presentHours(h)) }));

    app.post('/api/points/hours/:id/approve', {
      schema: { tags, summary: 'Sign off volunteer hours (审核通过): the rule\'s points per hour, once, within its caps; not by who recorded them', params: s.idOnlyParams, body: s.decideBody, response: { 200: s.hoursSchema } },
    }, async (req) => presentHours(await volunteer.decide(req.ctx, req.params.id, 'approved', req.body.reason)));

    app.post('/api/points/hours/:id/reject', {
      schema: { tags, summary: 'Turn down volunteer hours, with the reason', params: s.idOnlyParams, body: s.decideBody, response: { 200: s.hoursSchema } },
    }, async (req) => presentHours(await volunteer.decide(req.ctx, req.params.id, 'rejected', req.body.reason)));

    app.get('/api/points/figures', {
      schema: { tags, summary: 'The scheme\'s figures of a node over a range (registered, active, earned, redeemed, volunteer hours), per child', querystring: s.rangeQuery, response: { 200: s.figuresSchema } },
    }, async (req) => reports.figures(req.ctx, req.query.nodeId, req.query));

    app.get('/api/points/settlement.xlsx', {
      schema: { tags, summary: 'The settlement report (结算表) of the merchants under a node over a range', querystring: s.rangeQuery, produces: [XLSX_MIME] },
    }, async (req, reply) => {
      const { data, filename } = await reports.settlementReport(req.ctx, req.query.nodeId, req.query);
      return reply.header('content-type', XLSX_MIME).header('content-disposition', `attachment; filename="${filename}"`).send(data);
    });

    app.get('/api/points/flags', {
      schema: { tags, summary: 'What the scheme flagged for review (异常): open first', querystring: s.flagsQuery, response: { 200: s.flagsSchema } },
    }, async (req) => ({ items: (await reports.flags(req.ctx, req.query)).map(presentFlag) }));

    app.post('/api/points/flags/:id/review', {
      schema: { tags, summary: 'Review a flag: cleared (no problem) or upheld, with a note', params: s.idOnlyParams, body: s.reviewBody, response: { 204: z.null() } },
    }, async (req, reply) => {
      await reports.reviewFlag(req.ctx, req.params.id, req.body.state, req.body.note);
      return reply.code(204).send(null);
    });

    app.get('/api/points/scheme', {
      schema: { tags, summary: 'The scheme\'s limits and expiry (积分方案)', response: { 200: s.schemeSchema } },
    }, async (req) => presentScheme(await reports.scheme(req.ctx)));

    app.put('/api/points/scheme', {
      schema: { tags, summary: 'Set the scheme\'s limits and expiry (administrators)', body: s.schemeBody, response: { 200: s.schemeSchema } },
    }, async (req) => presentScheme(await reports.setScheme(req.ctx, req.body)));

    app.get('/api/points/reconciliations', {
      schema: { tags, summary: 'The last nightly reconciliations (对账): every balance against its entries, the total against zero', response: { 200: s.reconciliationsSchema } },
    }, async (req) => ({ items: (await reports.reconciliations(req.ctx)).map(presentReconciliation) }));

    app.post('/api/points/reconcile', {
      schema: { tags, summary: 'Run the reconciliation now (administrators); a failure raises a flag and notices', response: { 200: s.reconciliationSchema } },
    }, async (req) => presentReconciliation(await reports.reconcileNow(req.ctx)));
  };
}
