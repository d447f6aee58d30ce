import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import type { StructureService } from '../structure/structure.service.ts';
import { visitsRoutes } from './visits.routes.ts';
import { VisitsService } from './visits.service.ts';

/** Household visits (走访) by a grid's staff. */
export async function visitsModule(app: FastifyInstance, deps: AppDeps, structure: StructureService): Promise<void> {
  await app.register(visitsRoutes(new VisitsService(deps, structure)));
}
