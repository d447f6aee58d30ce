import type { AppDeps } from '../../deps.ts';
import { demoChatterJobs } from '../demo/demo.chatter.ts';
import { deliberationJobs } from '../deliberation/deliberation.jobs.ts';
import { deadlineHandlers } from '../matters/deadline.jobs.ts';
import { DispatchService } from '../matters/dispatch.service.ts';
import { outboundJobs } from '../outbound/outbound.module.ts';
import { ledgerJobs } from '../points/ledger.jobs.ts';
import { sensingJobs } from '../sensing/sensing.jobs.ts';
import { JobRunner, type RunnerOptions } from './jobs.runner.ts';

/** The job runner with every module's handlers; each app copy runs one. */
export function createJobRunner(deps: AppDeps, options: RunnerOptions = {}): JobRunner {
  return new JobRunner(deps.db, { ...deadlineHandlers(new DispatchService(deps)), ...outboundJobs(deps), ...demoChatterJobs(deps), ...sensingJobs(deps), ...deliberationJobs(deps), ...ledgerJobs(deps) }, options);
}
