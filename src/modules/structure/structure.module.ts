import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { GridService } from './grid.service.ts';
import { GridLocatorCache } from './locator.cache.ts';
import { mapRoutes } from './map.routes.ts';
import { MapService } from './map.service.ts';
import { OrganisationService } from './organisation.service.ts';
import { structureRoutes } from './structure.routes.ts';
import { StructureService } from './structure.service.ts';

/** The tree, its grids and the organisation on it; returns the services other areas build on (one locator cache for all). */
export async function structureModule(app: FastifyInstance, deps: AppDeps) {
  const locator = new GridLocatorCache(deps.db);
  const structure = new StructureService(deps, locator);
  const grids = new GridService(deps, structure);
  const organisation = new OrganisationService(deps, structure);
  await app.register(structureRoutes(structure, grids, organisation));
  await app.register(mapRoutes(new MapService(deps, structure)));
  return { structure, grids, organisation, locator };
}
