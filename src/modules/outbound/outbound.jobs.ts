import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';
import type { Job, JobHandler, OutsideJobHandler } from '../jobs/jobs.runner.ts';
import { enqueueDeliveries, NO_TARGET, RETRY_DELAYS_MS, scheduleAttempt } from './outbound.queue.ts';
import { deliveryFacts, render, webhookBody, wecomBody } from './outbound.render.ts';
import { nextRunAt, rotationIndex } from './outbound.schedule.ts';
import { SEND_TIMEOUT_MS, type SendResult, send } from './outbound.send.ts';

/** A broadcast more than this late (the server was down) is skipped rather than sent out of its time. */
export const LATE_LIMIT_MS = 6 * 3_600_000;
/** Attempts kept on a delivery's log. */
const LOG_KEEP = 20;

const deliverPayload = z.object({ deliveryId: z.number().int(), attempt: z.number().int().min(1), series: z.number().int().min(1) });
const runPayload = z.object({ planId: z.number().int(), dueAt: z.string() });

/**
 * The outbound jobs. 'outbound.deliver' sends one attempt of one delivery: claim (the runner) → send outside any
 * transaction → record the attempt, and on failure schedule the next after 1 min, 5 min, 30 min, 2 h, then fail.
 * 'broadcast.run' runs a plan's due time once: one delivery per group, then the plan's next run.
 */
export function outboundHandlers(deps: AppDeps): Record<string, JobHandler | OutsideJobHandler> {
  return {
    'outbound.deliver': { outside: (job, now) => deliverOutside(deps, job, now) },
    'broadcast.run': (trx, job, now) => runPlan(trx, job, now),
  };
}

const nothing: JobHandler = async () => undefined;

async function deliverOutside(deps: AppDeps, job: Job, now: Date): Promise<JobHandler> {
  const p = deliverPayload.parse(job.payload);
  const d = await deps.db.selectFrom('outbound_deliveries as d').innerJoin('online_groups as g', 'g.id', 'd.group_id')
    .select(['d.id', 'd.kind', 'd.status', 'd.attempts', 'd.payload', 'd.group_id', 'g.external_id', 'g.platform']).where('d.id', '=', p.deliveryId).executeTakeFirst();
  // Sent, failed or already tried by this attempt number: a stale job.
  if (d?.status !== 'pending' || d.attempts + 1 !== p.attempt) return nothing;
  if (!(await renewClaim(deps.db, job, now))) return nothing;
  const target = await deps.db.selectFrom('outbound_targets').select(['id', 'kind', 'url', 'secret']).where('group_id', '=', d.group_id)
    .where('status', '=', 'active').executeTakeFirst();
  let result: SendResult;
  let final = false;
  const facts = deliveryFacts.safeParse(d.payload);
  if (!target) {
    result = { ok: false, status: null, error: NO_TARGET, ms: 0 };
    final = true;
  } else if (!facts.success) {
    result = { ok: false, status: null, error: 'BAD_PAYLOAD: the stored message cannot be read', ms: 0 };
    final = true;
  } else {
    const message = render(facts.data, deps.config.publicUrl);
    const body = target.kind === 'wecom_robot' ? wecomBody(message) : webhookBody(d.id, d.kind, { groupId: d.group_id, externalGroupId: d.external_id, platform: d.platform }, message);
    // Signatures carry the wall-clock time: the receiver compares it with its own clock.
    result = await send(target, body, d.id, new Date());
  }
  return (trx, _job, at) => recordAttempt(trx, p, target?.id ?? null, result, final, at);
}

/** Confirms the job is still ours and stretches the claim over the send, so no other copy takes it meanwhile. */
async function renewClaim(db: Kysely<DB>, job: Job, now: Date): Promise<boolean> {
  const until = new Date(Math.max(now.getTime(), Date.now()) + 60_000 + SEND_TIMEOUT_MS);
  const res = await db.updateTable('jobs').set({ locked_until: until }).where('id', '=', job.id).where('locked_by', '=', job.locked_by)
    .where('status', '=', 'running').executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

async function recordAttempt(trx: Kysely<DB>, p: z.infer<typeof deliverPayload>, targetId: number | null, result: SendResult, final: boolean, now: Date) {
  const d = await trx.selectFrom('outbound_deliveries').select(['id', 'status', 'attempts', 'attempt_log', 'target_id']).where('id', '=', p.deliveryId)
    .forUpdate().executeTakeFirst();
  if (d?.status !== 'pending' || d.attempts + 1 !== p.attempt) return;
  const log = [...d.attempt_log, { at: now.toISOString(), status: result.status, error: result.error, ms: result.ms }].slice(-LOG_KEEP);
  const common = { attempts: p.attempt, last_status: result.status, last_error: result.error, attempt_log: JSON.stringify(log), target_id: targetId ?? d.target_id };
  if (result.ok) {
    await trx.updateTable('outbound_deliveries').set({ ...common, status: 'sent', sent_at: now, next_attempt_at: null }).where('id', '=', d.id).execute();
    return;
  }
  const delay = final ? undefined : RETRY_DELAYS_MS[p.series - 1];
  if (delay === undefined) {
    await trx.updateTable('outbound_deliveries').set({ ...common, status: 'failed', next_attempt_at: null }).where('id', '=', d.id).execute();
    return;
  }
  await trx.updateTable('outbound_deliveries').set(common).where('id', '=', d.id).execute();
  await scheduleAttempt(trx, d.id, p.attempt + 1, p.series + 1, new Date(now.getTime() + delay));
}

async function runPlan(trx: Kysely<DB>, job: Job, now: Date): Promise<void> {
  const p = runPayload.parse(job.payload);
  const plan = await trx.selectFrom('broadcast_plans').selectAll().where('id', '=', p.planId).forUpdate().executeTakeFirst();
  // A plan paused, changed or already past this due time: the job is stale.
  if (plan?.status !== 'active' || plan.next_run_at?.toISOString() !== p.dueAt) return;
  const due = new Date(p.dueAt);
  if (now.getTime() - due.getTime() <= LATE_LIMIT_MS) {
    const content = await contentFor(trx, plan, due);
    if (content) {
      const groups = await planGroups(trx, plan);
      await enqueueDeliveries(trx, groups.map((groupId) => ({
        groupId, kind: 'broadcast', planId: plan.id, dedupeKey: `broadcast:${plan.id}:${p.dueAt}:${groupId}`,
        facts: { type: 'broadcast', planId: plan.id, planName: plan.name, contentId: content.id, title: content.title, body: content.body, theme: content.theme },
      })), now);
    }
  }
  const time = { cadence: plan.cadence, timeOfDay: plan.time_of_day, weekday: plan.weekday };
  await schedulePlanRun(trx, plan.id, nextRunAt(time, new Date(Math.max(now.getTime(), due.getTime()))));
}

/** The plan's fixed content, or this period's item of its theme (rotating through the theme's active items by id). */
async function contentFor(trx: Kysely<DB>, plan: { content_id: number | null; theme: string | null; cadence: 'daily' | 'weekly' }, due: Date) {
  if (plan.content_id) {
    return trx.selectFrom('broadcast_content').selectAll().where('id', '=', plan.content_id).where('status', '=', 'active').executeTakeFirst();
  }
  if (!plan.theme) return undefined;
  const items = await trx.selectFrom('broadcast_content').selectAll().where('theme', '=', plan.theme).where('status', '=', 'active').orderBy('id').execute();
  return items.length ? items[rotationIndex(plan.cadence, due, items.length)] : undefined;
}

/** Every active group under the plan's node, or the plan's own active groups. */
export async function planGroups(db: Kysely<DB>, plan: { node_id: number | null; group_ids: number[] }): Promise<number[]> {
  if (plan.node_id) {
    const { rows } = await sql<{ id: number }>`select g.id from online_groups g join nodes n on n.id = g.grid_id
       where g.status = 'active' and n.path like (select path from nodes where id = ${plan.node_id}) || '%' order by g.id`.execute(db);
    return rows.map((r) => r.id);
  }
  if (plan.group_ids.length === 0) return [];
  const rows = await db.selectFrom('online_groups').select('id').where('id', 'in', plan.group_ids).where('status', '=', 'active').orderBy('id').execute();
  return rows.map((r) => r.id);
}

/** Sets the plan's next run and its job; the key carries the due time, so one due time has one job. */
export async function schedulePlanRun(db: Kysely<DB>, planId: number, dueAt: Date | null): Promise<void> {
  await db.updateTable('jobs').set({ status: 'cancelled' }).where('kind', '=', 'broadcast.run').where('status', '=', 'pending')
    .where('dedupe_key', 'like', `broadcast:${planId}:%`).execute();
  await db.updateTable('broadcast_plans').set({ next_run_at: dueAt }).where('id', '=', planId).execute();
  if (!dueAt) return;
  const iso = dueAt.toISOString();
  // A cancelled job of the same due time (a plan paused and resumed) comes back to life.
  await db.insertInto('jobs').values({ kind: 'broadcast.run', matter_id: null, run_at: dueAt, dedupe_key: `broadcast:${planId}:${iso}`, payload: JSON.stringify({ planId, dueAt: iso }) })
    .onConflict((oc) => oc.column('dedupe_key').doUpdateSet({ status: 'pending', run_at: dueAt }).where('jobs.status', '=', 'cancelled')).execute();
}
