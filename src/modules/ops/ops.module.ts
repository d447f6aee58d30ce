import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors.ts';
import type { AppDeps } from '../../deps.ts';
import { ping } from './ops.repository.ts';

/** What load balancers and tools ask the app, outside the documented API: liveness, readiness and the OpenAPI document. */
export async function opsModule(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async () => {
    try {
      await ping(deps.db);
    } catch {
      throw new AppError('NOT_READY', 'The database is not reachable.');
    }
    return { status: 'ready', engine: deps.engine };
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
