import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import type { StructureService } from '../structure/structure.service.ts';
import { DispatchService } from './dispatch.service.ts';
import { duePreviewRoutes } from './due.preview.routes.ts';
import { EvaluationService } from './evaluation.service.ts';
import { HandlingService } from './handling.service.ts';
import { type MatterServices, mattersRoutes } from './matters.routes.ts';
import { MattersService } from './matters.service.ts';
import { reporterRoutes } from './reporter.routes.ts';
import { ReporterService } from './reporter.service.ts';

/**
 * The closed loop of matters (事件闭环): intake and triage, dispatch, handling, evaluation, and the due-time
 * preview. Its deadline jobs (deadline.jobs.ts) are registered with the job runner in jobs.setup.ts.
 */
export async function mattersModule(app: FastifyInstance, deps: AppDeps, structure: StructureService): Promise<MatterServices> {
  const services: MatterServices = { matters: new MattersService(deps, structure), dispatch: new DispatchService(deps), handling: new HandlingService(deps), evaluation: new EvaluationService(deps) };
  await app.register(mattersRoutes(services));
  await app.register(duePreviewRoutes(services.dispatch));
  await app.register(reporterRoutes(new ReporterService(deps)));
  return services;
}
