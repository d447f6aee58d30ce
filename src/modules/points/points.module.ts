import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { pointsRoutes } from './points.routes.ts';
import { PointsService } from './points.service.ts';

/** Points (德分宝): the ledger, earning rules and the daily check-in; redemption at the merchant alliance builds on it. */
export async function pointsModule(app: FastifyInstance, deps: AppDeps) {
  const points = new PointsService(deps);
  await app.register(pointsRoutes(points));
  return { points };
}
