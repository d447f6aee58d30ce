import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { filesRoutes } from './files.routes.ts';
import { FilesService } from './files.service.ts';

/** Photos: uploads stored once per content, read back by the people of what they belong to. */
export async function filesModule(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await app.register(filesRoutes(new FilesService(deps)));
}
