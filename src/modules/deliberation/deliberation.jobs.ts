import { z } from 'zod';
import { idField } from '../../core/fields.ts';
import { systemContext } from '../../core/scope.ts';
import type { AppDeps } from '../../deps.ts';
import type { JobHandler } from '../jobs/jobs.runner.ts';
import { StructureService } from '../structure/structure.service.ts';
import { GridLocatorCache } from '../structure/locator.cache.ts';
import { DecisionsService } from './decisions.service.ts';
import { EXPIRE_JOB, TopicsService } from './topics.service.ts';
import { CLOSE_VOTE_JOB } from './votes.repository.ts';

const payloadSchema = z.object({ topicId: idField });

/** A topic's durable deadlines: support expiring at its expiry, a vote closing at its closing time. */
export function deliberationJobs(deps: AppDeps): Record<string, JobHandler> {
  const topics = new TopicsService(deps, new StructureService(deps, new GridLocatorCache(deps.db)));
  const decisions = new DecisionsService(deps, topics);
  const topicOf = (payload: unknown) => payloadSchema.parse(payload).topicId;
  return {
    [EXPIRE_JOB]: (trx, job, now) => topics.expire(trx, systemContext(`job:${job.id}`, now), topicOf(job.payload)),
    [CLOSE_VOTE_JOB]: (trx, job, now) => decisions.closeByJob(trx, systemContext(`job:${job.id}`, now), topicOf(job.payload)),
  };
}
