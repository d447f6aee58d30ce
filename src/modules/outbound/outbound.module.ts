import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import type { JobHandler, OutsideJobHandler } from '../jobs/jobs.runner.ts';
import { FilesService } from '../files/files.service.ts';
import { deliverOutside, runPlan } from './outbound.jobs.ts';
import { outboundRoutes } from './outbound.routes.ts';
import { OutboundService } from './outbound.service.ts';

/** Outbound to the online groups (targets, broadcasts, the delivery log, public result photos), wired for app.ts. */
export async function outboundModule(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const service = new OutboundService(deps, new FilesService(deps));
  await app.register(outboundRoutes(service, deps.config.publicUrl));
}

/**
 * The outbound jobs, for the job runner every app copy starts: 'outbound.deliver' sends one attempt of a delivery
 * outside any transaction, 'broadcast.run' runs a plan's due time once.
 */
export function outboundJobs(deps: AppDeps): Record<string, JobHandler | OutsideJobHandler> {
  return {
    'outbound.deliver': { outside: (job, now) => deliverOutside(deps, job, now) },
    'broadcast.run': runPlan,
  };
}
