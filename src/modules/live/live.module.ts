import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { type LiveOptions, liveRoutes } from './live.routes.ts';

/** Live updates of matters over server-sent events, fed by the database's NOTIFY (matters.step.ts publish()). */
export async function liveModule(app: FastifyInstance, deps: AppDeps, options: LiveOptions = {}): Promise<void> {
  await app.register(liveRoutes(deps, options));
}
