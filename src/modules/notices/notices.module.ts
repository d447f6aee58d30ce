import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { noticesRoutes } from './notices.routes.ts';
import { NoticesService } from './notices.service.ts';

/** In-app notices (站内消息): written by the matters steps and deadline jobs, read here by their owners. */
export async function noticesModule(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await app.register(noticesRoutes(new NoticesService(deps)));
}
