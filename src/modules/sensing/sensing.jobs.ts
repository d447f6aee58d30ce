import { systemContext } from '../../core/scope.ts';
import type { AppDeps } from '../../deps.ts';
import type { OutsideJobHandler } from '../jobs/jobs.runner.ts';
import { RETRAIN_JOB } from './labels.repository.ts';
import { recordCandidate, trainCandidate } from './models.service.ts';
import { invalidateSensors } from './sensor.cache.ts';

/**
 * The retrain job (nightly at 03:00 Beijing time after a new label, or queued by an administrator): training and
 * measuring run outside any transaction; the job's transaction records the candidate, promoted or rejected.
 */
export function sensingJobs(deps: AppDeps): Record<string, OutsideJobHandler> {
  return {
    [RETRAIN_JOB]: {
      async outside(job, now) {
        const candidate = await trainCandidate(deps.db);
        return async (trx) => {
          const row = await recordCandidate(trx, systemContext(`job:${job.id}`, now), candidate);
          // Before the commit: a sensor rebuilt in the moment until it lands keeps the old model until MAX_AGE_MS.
          if (row.status === 'current') invalidateSensors(deps.db);
        };
      },
    },
  };
}
