import { type Kysely, sql } from 'kysely';
import { systemContext } from '../../core/scope.ts';
import type { AssignmentRow, DB } from '../../db/schema.ts';
import type { Job, JobHandler } from '../jobs/jobs.runner.ts';
import type { DispatchService } from './dispatch.service.ts';
import { currentLead } from './handling.service.ts';
import * as repo from './matters.repository.ts';
import { loadForUpdate, publish } from './matters.step.ts';

const STILL_RUNNING = ['dispatched', 'handling'];

/** The deadline jobs: a reminder to the lead before the due time; at it, the overdue mark and one escalation. */
export function deadlineHandlers(dispatch: DispatchService): Record<string, JobHandler> {
  return {
    'matter.remind': async (trx, job, now) => {
      const loaded = await current(trx, job);
      if (!loaded) return;
      const lead = currentLead(loaded);
      const users = lead ? await usersActingFor(trx, lead) : [];
      const body = `事件 ${loaded.m.code}「${loaded.m.title}」将于 ${beijing(loaded.m.due_at)} 到期，请抓紧办理。`;
      await repo.insertNotices(trx, users.map((u) => ({ user_id: u, resident_id: null, matter_id: loaded.m.id, kind: 'matter.remind', body })));
      await repo.insertEvent(trx, { matter_id: loaded.m.id, at: now, actor_user_id: null, actor_role: 'system', channel: 'system', action: 'remind',
        status_before: loaded.m.status, status_after: loaded.m.status, note: body, details: JSON.stringify({ notified: users.length }) });
    },
    'matter.overdue': async (trx, job, now) => {
      const loaded = await current(trx, job);
      if (!loaded) return;
      // Steps taken by a job happen at the job's time, so replayed history keeps its timeline in order.
      const ctx = { ...systemContext(`job-${job.id}`), at: now };
      await trx.updateTable('matters').set({ overdue: true }).where('id', '=', loaded.m.id).execute();
      loaded.m.overdue = true;
      await repo.insertEvent(trx, { matter_id: loaded.m.id, at: now, actor_user_id: null, actor_role: 'system', channel: 'system', action: 'overdue',
        status_before: loaded.m.status, status_after: loaded.m.status, note: `已超过办理时限 ${beijing(loaded.m.due_at)}`, details: JSON.stringify({ dueAt: loaded.m.due_at?.toISOString() }) });
      await publish(trx, loaded.m, loaded.assignments, 'overdue');
      const owner = await trx.selectFrom('nodes').select('parent_id').where('id', '=', loaded.m.owner_node_id).executeTakeFirst();
      // At the top of the tree there is no level above to escalate to; the overdue mark stands alone.
      if (owner?.parent_id) await dispatch.escalateIn(trx, ctx, loaded, undefined, '超期未办结，自动升级督办', 'system');
    },
  };
}

/** The matter of a deadline job if it still runs against that same deadline; otherwise the job has nothing to do. */
async function current(trx: Kysely<DB>, job: Job) {
  if (!job.matter_id) return null;
  const loaded = await loadForUpdate(trx, systemContext(`job-${job.id}`), job.matter_id);
  const dueAt = typeof job.payload.dueAt === 'string' ? job.payload.dueAt : null;
  if (!STILL_RUNNING.includes(loaded.m.status) || !loaded.m.due_at || loaded.m.due_at.toISOString() !== dueAt) return null;
  return loaded;
}

/** The accounts that act for an assignment: its post's, department's or board's handlers, or the node's staff. */
export async function usersActingFor(db: Kysely<DB>, a: Pick<AssignmentRow, 'target_kind' | 'target_id'>): Promise<number[]> {
  const column = { post: 'post_id', department: 'department_id', board: 'board_id', node: 'node_id' } as const;
  const roles = { post: ['post_handler'], department: ['department_handler'], board: ['board_lead'], node: ['grid_worker', 'grid_chief', 'community_staff', 'centre_operator'] } as const;
  const { rows } = await sql<{ user_id: number }>`select distinct user_id from role_assignments
     where ended_at is null and ${sql.ref(column[a.target_kind])} = ${a.target_id} and role in (${sql.join([...roles[a.target_kind]])})`.execute(db);
  return rows.map((r) => r.user_id);
}

const beijing = (d: Date | null) => (d ? new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ') : '');
