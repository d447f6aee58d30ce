import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import type { PeopleService } from '../people/people.service.ts';
import type { UsersService } from '../people/users.service.ts';
import type { StructureService } from '../structure/structure.service.ts';
import { portingRoutes } from './porting.routes.ts';
import { PortingService } from './porting.service.ts';

/** Imports and exports of the tree and the people, built on the app's own services so they share the locator cache and checks. */
export async function portingModule(app: FastifyInstance, deps: AppDeps, services: { structure: StructureService; people: PeopleService; users: UsersService }): Promise<void> {
  await app.register(portingRoutes(new PortingService(deps, services.structure, services.people, services.users)));
}
