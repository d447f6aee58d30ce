import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import type { AppDeps } from './deps.ts';
import { installContext } from './http/context.ts';
import { installErrorHandler } from './http/errors.ts';
import { installMetrics } from './http/metrics.ts';
import { accessRoutes } from './modules/access/access.routes.ts';
import { AccessService } from './modules/access/access.service.ts';
import { phoneLoginRoutes } from './modules/access/phone-login.routes.ts';
import { PhoneLoginService } from './modules/access/phone-login.service.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { filesRoutes } from './modules/files/files.routes.ts';
import { peopleRoutes } from './modules/people/people.routes.ts';
import { portingRoutes } from './modules/porting/porting.routes.ts';
import { screenRoutes } from './modules/stats/screen.routes.ts';
import { statsRoutes } from './modules/stats/stats.routes.ts';
import { StatsService } from './modules/stats/stats.service.ts';
import { PeopleService } from './modules/people/people.service.ts';
import { UsersService } from './modules/people/users.service.ts';
import { GridService } from './modules/structure/grid.service.ts';
import { OrganisationService } from './modules/structure/organisation.service.ts';
import { homePage } from './modules/home/home.routes.ts';
import { webRoutes } from './modules/web/web.routes.ts';
import { dictionaryRoutes } from './modules/dictionary/dictionary.routes.ts';
import { DispatchService } from './modules/matters/dispatch.service.ts';
import { EvaluationService } from './modules/matters/evaluation.service.ts';
import { HandlingService } from './modules/matters/handling.service.ts';
import { mattersRoutes } from './modules/matters/matters.routes.ts';
import { duePreviewRoutes } from './modules/matters/due.preview.routes.ts';
import { inspectionRoutes } from './modules/inspection/inspection.routes.ts';
import { liveRoutes } from './modules/live/live.routes.ts';
import { noticesRoutes } from './modules/notices/notices.routes.ts';
import { outboundRoutes } from './modules/outbound/outbound.routes.ts';
import { MattersService } from './modules/matters/matters.service.ts';
import { structureRoutes } from './modules/structure/structure.routes.ts';
import { visitsRoutes } from './modules/visits/visits.routes.ts';
import { StructureService } from './modules/structure/structure.service.ts';
import { GridLocatorCache } from './modules/structure/locator.cache.ts';
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

  const access = new AccessService(deps);
  const locator = new GridLocatorCache(deps.db);
  const structure = new StructureService(deps, locator);
  const grids = new GridService(deps, structure);
  const organisation = new OrganisationService(deps, structure);
  const people = new PeopleService(deps);
  const users = new UsersService(deps);
  installContext(app, access);
  installMetrics(app);

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await sql`select 1`.execute(deps.db);
      return { status: 'ready', engine: deps.engine };
    } catch {
      return reply.code(503).send({ error: { code: 'NOT_READY', message: 'The database is not reachable.', details: null } });
    }
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(accessRoutes(access, deps.config.secureCookies));
  await app.register(phoneLoginRoutes(new PhoneLoginService(deps, access), deps.config.secureCookies));
  await app.register(auditRoutes(deps));
  await app.register(structureRoutes(structure, grids, organisation));
  await app.register(peopleRoutes(people, users));
  await app.register(portingRoutes(deps, { structure, people, users }));
  await app.register(filesRoutes(deps));
  await app.register(statsRoutes(new StatsService(deps)));
  await app.register(screenRoutes(deps));
  const matters = { matters: new MattersService(deps, structure), dispatch: new DispatchService(deps), handling: new HandlingService(deps), evaluation: new EvaluationService(deps) };
  await app.register(dictionaryRoutes(deps));
  await app.register(mattersRoutes(matters));
  await app.register(duePreviewRoutes(deps, matters.matters));
  await app.register(inspectionRoutes(deps, matters.matters));
  await app.register(liveRoutes(deps));
  await app.register(visitsRoutes(deps, structure));
  await app.register(noticesRoutes(deps));
  await app.register(outboundRoutes(deps));
  await onlineModule(app, deps, matters.matters);
  await app.register(homePage());
  await app.register(webRoutes());
  return app;
}
