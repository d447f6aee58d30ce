import type { Insertable, Kysely } from 'kysely';
import type { DB, OutboundDeliveriesTable } from '../../db/schema.ts';
import { insertJobOnce } from '../jobs/jobs.repository.ts';
import { insertDeliveryOnce, listActiveTargetsOf, updateDelivery } from './deliveries.repository.ts';
import type { DeliveryFacts } from './outbound.render.ts';

/** Waits before the 2nd, 3rd, 4th and 5th attempt; after the 5th fails, the delivery is failed. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000] as const;

export const NO_TARGET = 'NO_TARGET: this group has no active outbound target; add one, then retry';

export interface NewDelivery {
  groupId: number;
  kind: OutboundDeliveriesTable['kind'];
  matterId?: number | null;
  planId?: number | null;
  facts: DeliveryFacts;
  dedupeKey: string;
}

/** Schedules attempt number `attempt` (counted over the delivery's life) of a delivery; one job per attempt. */
export async function scheduleAttempt(db: Kysely<DB>, deliveryId: number, attempt: number, series: number, runAt: Date): Promise<void> {
  await insertJobOnce(db, {
    // matter_id stays null: a matter's step cancels that matter's pending jobs, and a delivery must survive it.
    kind: 'outbound.deliver', matter_id: null, run_at: runAt, dedupe_key: `deliver:${deliveryId}:${attempt}`,
    payload: JSON.stringify({ deliveryId, attempt, series }),
  });
  await updateDelivery(db, deliveryId, { next_attempt_at: runAt });
}

/**
 * Creates deliveries inside the caller's transaction, each once per dedupe key: a group with an active target
 * gets a pending delivery and its first attempt at `at`; a group without one is logged failed with NO_TARGET.
 * Returns the ids of the deliveries created now (none for keys seen before).
 */
export async function enqueueDeliveries(trx: Kysely<DB>, rows: NewDelivery[], at: Date): Promise<number[]> {
  if (rows.length === 0) return [];
  const targets = await listActiveTargetsOf(trx, rows.map((r) => r.groupId));
  const targetOf = new Map(targets.map((t) => [t.group_id, t.id]));
  const created: number[] = [];
  for (const r of rows) {
    const targetId = targetOf.get(r.groupId) ?? null;
    const values: Insertable<OutboundDeliveriesTable> = {
      target_id: targetId, group_id: r.groupId, kind: r.kind, matter_id: r.matterId ?? null, plan_id: r.planId ?? null,
      payload: JSON.stringify(r.facts), dedupe_key: r.dedupeKey, created_at: at,
      ...(targetId ? {} : { status: 'failed' as const, last_error: NO_TARGET }),
    };
    const row = await insertDeliveryOnce(trx, values);
    if (!row) continue;
    created.push(row.id);
    if (targetId) await scheduleAttempt(trx, row.id, 1, 1, at);
  }
  return created;
}
