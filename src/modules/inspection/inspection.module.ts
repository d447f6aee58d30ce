import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import type { MattersService } from '../matters/matters.service.ts';
import { GridLocatorCache } from '../structure/locator.cache.ts';
import { inspectionRoutes } from './inspection.routes.ts';
import { InspectionService } from './inspection.service.ts';

/** Inspection tasks (排查任务): abnormal points are reported as matters through the matters service. */
export async function inspectionModule(app: FastifyInstance, deps: AppDeps, matters: MattersService): Promise<InspectionService> {
  // Its own locator cache: it rebuilds from the same boundary version, so it agrees with the structure module's.
  const inspection = new InspectionService(deps, matters, new GridLocatorCache(deps.db));
  await app.register(inspectionRoutes(inspection));
  return inspection;
}
