import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { screenRoutes } from './screen.routes.ts';
import { ScreenService } from './screen.service.ts';
import { statsRoutes } from './stats.routes.ts';
import { StatsService } from './stats.service.ts';

/** Statistics (统计) and the big screen (大屏), both read from the rollups that every matter step keeps. */
export async function statsModule(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await app.register(statsRoutes(new StatsService(deps)));
  await app.register(screenRoutes(new ScreenService(deps)));
}
