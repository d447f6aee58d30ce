import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { MerchantsService } from './merchants.service.ts';
import { merchantRoutes, type PointsServices, pointsRoutes, schemeRoutes, shopRoutes } from './points.routes.ts';
import { PointsService } from './points.service.ts';
import { RedemptionsService } from './redemptions.service.ts';
import { PointsReportsService } from './reports.service.ts';
import { VolunteerService } from './volunteer.service.ts';

/**
 * Points (德分宝) and the merchant alliance (德商联盟): the ledger, earning rules, the daily check-in, merchants and
 * their counters, redemption codes, volunteer hours, the figures and reports, and the ledger's nightly proof.
 */
export async function pointsModule(app: FastifyInstance, deps: AppDeps) {
  const points = new PointsService(deps);
  const services: PointsServices = {
    points, merchants: new MerchantsService(deps, points), redemptions: new RedemptionsService(deps, points),
    volunteer: new VolunteerService(deps, points), reports: new PointsReportsService(deps, points),
  };
  for (const routes of [pointsRoutes, shopRoutes, merchantRoutes, schemeRoutes]) await app.register(routes(services));
  return services;
}
