import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import type { MattersService } from '../matters/matters.service.ts';
import type { SensorCache } from '../sensing/sensor.cache.ts';
import { OnlineAdminService } from './admin.service.ts';
import { CoverageService } from './coverage.service.ts';
import { intakeRoutes } from './intake.routes.ts';
import { IntakeService } from './intake.service.ts';
import { messagesLiveRoutes } from './messages.live.ts';
import { MessagesService } from './messages.service.ts';
import { onlineRoutes } from './online.routes.ts';
import { SourceCache } from './source.cache.ts';
import { OnlineStatsService } from './stats.service.ts';

/** The online grid (线上网格): intake from outside, staff routes and live events, wired from one place for app.ts. */
export async function onlineModule(app: FastifyInstance, deps: AppDeps, matters: MattersService, sensors: SensorCache): Promise<void> {
  const sources = new SourceCache(deps.db);
  const intake = new IntakeService(deps, sensors, sources);
  const admin = new OnlineAdminService(deps, sensors, sources);
  app.addHook('onClose', async () => intake.drain());
  await app.register(intakeRoutes(intake));
  await app.register(onlineRoutes({ messages: new MessagesService(deps, intake, matters), coverage: new CoverageService(deps), admin, stats: new OnlineStatsService(deps) }));
  await app.register(messagesLiveRoutes(deps));
}
