import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { peopleRoutes } from './people.routes.ts';
import { PeopleService } from './people.service.ts';
import { UsersService } from './users.service.ts';

/** Residents and staff accounts with their roles; returns both services for the imports. */
export async function peopleModule(app: FastifyInstance, deps: AppDeps): Promise<{ people: PeopleService; users: UsersService }> {
  const people = new PeopleService(deps);
  const users = new UsersService(deps);
  await app.register(peopleRoutes(people, users));
  return { people, users };
}
