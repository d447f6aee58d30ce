import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { dictionaryRoutes } from './dictionary.routes.ts';
import { DictionaryService } from './dictionary.service.ts';

/** The category dictionary and the holiday calendar (whose deadline arithmetic lives in calendar.service.ts). */
export async function dictionaryModule(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await app.register(dictionaryRoutes(new DictionaryService(deps)));
}
