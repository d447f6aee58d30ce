import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';
import { cancelPending, extendClaim, insertOrReviveJob } from '../jobs/jobs.repository.ts';
import type { Job, JobHandler } from '../jobs/jobs.runner.ts';
import { getActiveTargetOf, getDeliveryToSend, lockDelivery, updateDelivery } from './deliveries.repository.ts';
import { activeGroupsAmong, activeGroupsUnder, getActiveContent, listThemeContent, lockPlan, setPlanNextRun } from './outbound.repository.ts';
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

const nothing: JobHandler = async () => undefined;

/**
 * 'outbound.deliver' sends one attempt of one delivery: claim (the runner) → send outside any transaction → record
 * the attempt, and on failure schedule the next after 1 min, 5 min, 30 min, 2 h, then fail.
 */
export async function deliverOutside(deps: AppDeps, job: Job, now: Date): Promise<JobHandler> {
  const p = deliverPayload.parse(job.payload);
  const d = await getDeliveryToSend(deps.db, p.deliveryId);
  // Sent, failed or already tried by this attempt number: a stale job.
  if (d?.status !== 'pending' || d.attempts + 1 !== p.attempt) return nothing;
  if (!(await renewClaim(deps.db, job, now))) return nothing;
  const target = await getActiveTargetOf(deps.db, d.group_id);
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
function renewClaim(db: Kysely<DB>, job: Job, now: Date): Promise<boolean> {
  return extendClaim(db, job.id, job.locked_by, new Date(Math.max(now.getTime(), Date.now()) + 60_000 + SEND_TIMEOUT_MS));
}

async function recordAttempt(trx: Kysely<DB>, p: z.infer<typeof deliverPayload>, targetId: number | null, result: SendResult, final: boolean, now: Date) {
  const d = await lockDelivery(trx, p.deliveryId);
  if (d?.status !== 'pending' || d.attempts + 1 !== p.attempt) return;
  const log = [...d.attempt_log, { at: now.toISOString(), status: result.status, error: result.error, ms: result.ms }].slice(-LOG_KEEP);
  const common = { attempts: p.attempt, last_status: result.status, last_error: result.error, attempt_log: JSON.stringify(log), target_id: targetId ?? d.target_id };
  if (result.ok) {
    await updateDelivery(trx, d.id, { ...common, status: 'sent', sent_at: now, next_attempt_at: null });
    return;
  }
  const delay = final ? undefined : RETRY_DELAYS_MS[p.series - 1];
  if (delay === undefined) {
    await updateDelivery(trx, d.id, { ...common, status: 'failed', next_attempt_at: null });
    return;
  }
  await updateDelivery(trx, d.id, common);
  await scheduleAttempt(trx, d.id, p.attempt + 1, p.series + 1, new Date(now.getTime() + delay));
}

/** 'broadcast.run' runs a plan's due time once: one delivery per group, then the plan's next run. */
export async function runPlan(trx: Kysely<DB>, job: Job, now: Date): Promise<void> {
  const p = runPayload.parse(job.payload);
  const plan = await lockPlan(trx, p.planId);
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
    return getActiveContent(trx, plan.content_id);
  }
  if (!plan.theme) return undefined;
  const items = await listThemeContent(trx, plan.theme);
  return items.length ? items[rotationIndex(plan.cadence, due, items.length)] : undefined;
}

/** Every active group under the plan's node, or the plan's own active groups. */
export function planGroups(db: Kysely<DB>, plan: { node_id: number | null; group_ids: number[] }): Promise<number[]> {
  return plan.node_id ? activeGroupsUnder(db, plan.node_id) : activeGroupsAmong(db, plan.group_ids);
}

/** Sets the plan's next run and its job; the key carries the due time, so one due time has one job. */
export async function schedulePlanRun(db: Kysely<DB>, planId: number, dueAt: Date | null): Promise<void> {
  await cancelPending(db, 'broadcast.run', `broadcast:${planId}:`);
  await setPlanNextRun(db, planId, dueAt);
  if (!dueAt) return;
  const iso = dueAt.toISOString();
  // A cancelled job of the same due time (a plan paused and resumed) comes back to life.
  await insertOrReviveJob(db, { kind: 'broadcast.run', run_at: dueAt, dedupe_key: `broadcast:${planId}:${iso}`, payload: JSON.stringify({ planId, dueAt: iso }) });
}
