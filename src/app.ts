import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from './deps.ts';
import { installErrorHandler } from './http/errors.ts';
import { validatorCompiler } from './http/input.ts';
import { installSecurity } from './http/security.ts';
import { RequestLog } from './http/request-log.ts';
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
import { sensingModule } from './modules/sensing/sensing.module.ts';
import { deliberationModule } from './modules/deliberation/deliberation.module.ts';
import { pointsModule } from './modules/points/points.module.ts';

export interface BuildAppOptions {
  /** Off when absent; a level, and a stream for the lines (stdout when absent). */
  logger?: boolean | { level: string; stream?: { write(line: string): void } };
}

/** A hop count (Fastify takes it, its types do not) becomes the function it stands for. */
const trustProxyOption = (value: boolean | number | string) =>
  typeof value === 'number' ? (_address: string, hop: number) => hop < value : value;

/** Swagger UI's own policy (script hashes), with inline styles allowed (it sets them), and framed by no one. */
const docsPolicy = (header: string) =>
  header.replace(/style-src [^;]*;/, "style-src 'self' 'unsafe-inline';").replace("frame-ancestors 'self'", "frame-ancestors 'none'").replace(' upgrade-insecure-requests;', '');

/** Builds the Fastify app from the modules; the caller owns the database and closes it. */
export async function buildApp(deps: AppDeps, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    logController: new RequestLog(deps.config.slowRequestMs),
    bodyLimit: 8 * 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
    trustProxy: trustProxyOption(deps.config.trustProxy),
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
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, transformStaticCSP: docsPolicy });
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: 10 * 1024 * 1024, files: 1 } });

  await installSecurity(app, deps.config);
  installMetrics(app, { token: deps.config.metricsToken, allow: deps.config.metricsAllow });
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
  const { sensors } = await sensingModule(app, deps);
  await onlineModule(app, deps, matters.matters, sensors);
  await deliberationModule(app, deps, structure, matters.matters);
  await pointsModule(app, deps);
  await pagesModule(app);
  return app;
}
