import type { FastifyInstance } from 'fastify';
import { pagesRoutes } from './pages.routes.ts';

/** The pages people open in a browser: the overview at / and the built Vue app under its areas' paths. Registered last. */
export async function pagesModule(app: FastifyInstance): Promise<void> {
  await app.register(pagesRoutes());
}
