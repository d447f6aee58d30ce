import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from './deps.ts';
import { installErrorHandler } from './http/errors.ts';
import { installMetrics } from './http/metrics.ts';
import { accessModule } from './modules/access/access.module.ts';
import { auditModule } from './modules/audit/audit.module.ts';
import { filesModule } from './modules/files/files.module.ts';
import { opsModule } from './modules/ops/ops.module.ts';
import { pagesModule } from './modules/pages/pages.module.ts';
import { peopleModule } from './modules/people/people.module.ts';
import { portingModule } from './modules/porting/porting.module.ts';
import { statsModule } from './modules/stats/stats.module.ts';
import { dictionaryModule } from './modules/dictionary/dictionary.module.ts';
import { mattersModule } from './modules/matters/matters.module.ts';
import { inspectionModule } from './modules/inspection/inspection.module.ts';
import { liveModule } from './modules/live/live.module.ts';
import { noticesModule } from './modules/notices/notices.module.ts';
import { outboundModule } from './modules/outbound/outbound.module.ts';
import { structureModule } from './modules/structure/structure.module.ts';
import { visitsModule } from './modules/visits/visits.module.ts';
import { onlineModule } from './modules/online/online.module.ts';

export interface BuildAppOptions {
  logger?: boolean | { level: string };
}

/** Builds the Fastify app from the modules; the caller owns the database and closes it. */
export async function buildApp(deps: AppDeps, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 8 * 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { coerceTypes: false } },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);

  await app.register(swagger, {
    openapi: {
      info: { title: 'dualgrid API', version: '0.1.0', description: 'Dual-grid grassroots governance (双网格基层治理). Errors: { error: { code, message, details } }.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'dg_session' }, bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: 10 * 1024 * 1024, files: 1 } });

  installMetrics(app);
  // First: the access module installs the hook that resolves every request's actor.
  await accessModule(app, deps);
  await opsModule(app, deps);
  await auditModule(app, deps);
  const { structure } = await structureModule(app, deps);
  const { people, users } = await peopleModule(app, deps);
  await portingModule(app, deps, { structure, people, users });
  await filesModule(app, deps);
  await statsModule(app, deps);
  await dictionaryModule(app, deps);
  const matters = await mattersModule(app, deps, structure);
  await inspectionModule(app, deps, matters.matters);
  await liveModule(app, deps);
  await visitsModule(app, deps, structure);
  await noticesModule(app, deps);
  await outboundModule(app, deps);
  await onlineModule(app, deps, matters.matters);
  await pagesModule(app);
  return app;
}
