import type { Kysely } from 'kysely';
import { systemContext } from '../../core/scope.ts';
import { WORKING_STATUSES } from '../../core/vocabulary.ts';
import type { AssignmentRow, DB } from '../../db/schema.ts';
import type { Job, JobHandler } from '../jobs/jobs.runner.ts';
import type { DispatchService } from './dispatch.service.ts';
import { currentLead } from './handling.service.ts';
import * as repo from './matters.repository.ts';
import { loadForUpdate, publish, recordEvent } from './matters.step.ts';
import { beijingMinute } from '../../core/beijing.ts';
import { insertNotices } from '../notices/notices.repository.ts';
import { getNode } from '../structure/structure.repository.ts';

/** The deadline jobs: a reminder to the lead before the due time; at it, the overdue mark and one escalation. */
export function deadlineHandlers(dispatch: DispatchService): Record<string, JobHandler> {
  return {
    'matter.remind': async (trx, job, now) => {
      const loaded = await current(trx, job);
      if (!loaded) return;
      const lead = currentLead(loaded);
      const users = lead ? await usersActingFor(trx, lead) : [];
      const body = `事件 ${loaded.m.code}「${loaded.m.title}」将于 ${beijingMinute(loaded.m.due_at)} 到期，请抓紧办理。`;
      await insertNotices(trx, users.map((u) => ({ user_id: u, resident_id: null, matter_id: loaded.m.id, kind: 'matter.remind', body })));
      await recordEvent(trx, jobContext(job, now), loaded.m, { action: 'remind', role: 'system', channel: 'system', note: body, details: { notified: users.length } });
    },
    'matter.overdue': async (trx, job, now) => {
      const loaded = await current(trx, job);
      if (!loaded) return;
      const ctx = jobContext(job, now);
      await repo.markOverdue(trx, loaded.m.id);
      loaded.m.overdue = true;
      await recordEvent(trx, ctx, loaded.m, { action: 'overdue', role: 'system', channel: 'system', note: `已超过办理时限 ${beijingMinute(loaded.m.due_at)}`, details: { dueAt: loaded.m.due_at?.toISOString() } });
      await publish(trx, loaded.m, loaded.assignments, 'overdue');
      const owner = await getNode(trx, loaded.m.owner_node_id);
      // At the top of the tree there is no level above to escalate to; the overdue mark stands alone.
      if (owner?.parent_id) await dispatch.escalateIn(trx, ctx, loaded, undefined, '超期未办结，自动升级督办', 'system');
    },
  };
}

/** Steps taken by a job happen at the job's time, so replayed history keeps its timeline in order. */
const jobContext = (job: Job, now: Date) => systemContext(`job-${job.id}`, now);

/** The matter of a deadline job if it still runs against that same deadline; otherwise the job has nothing to do. */
async function current(trx: Kysely<DB>, job: Job) {
  if (!job.matter_id) return null;
  const loaded = await loadForUpdate(trx, systemContext(`job-${job.id}`), job.matter_id);
  const dueAt = typeof job.payload.dueAt === 'string' ? job.payload.dueAt : null;
  if (!WORKING_STATUSES.some((s) => s === loaded.m.status) || !loaded.m.due_at || loaded.m.due_at.toISOString() !== dueAt) return null;
  return loaded;
}

/** The accounts that act for an assignment: its post's, department's or board's handlers, or the node's staff. */
export async function usersActingFor(db: Kysely<DB>, a: Pick<AssignmentRow, 'target_kind' | 'target_id'>): Promise<number[]> {
  const column = { post: 'post_id', department: 'department_id', board: 'board_id', node: 'node_id' } as const;
  const roles = { post: ['post_handler'], department: ['department_handler'], board: ['board_lead'], node: ['grid_worker', 'grid_chief', 'community_staff', 'centre_operator'] } as const;
  return repo.usersWith(db, column[a.target_kind], a.target_id, roles[a.target_kind]);
}

