import type { Kysely } from 'kysely';
import { z } from 'zod';
import { beijingDay, HOUR_MS, MINUTE_MS, startOfBeijingDay } from '../../core/beijing.ts';
import { idField } from '../../core/fields.ts';
import { expiringAt } from '../../core/points/ledger.ts';
import { type RequestContext, systemContext } from '../../core/scope.ts';
import type { DB } from '../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';
import { insertJobOnce } from '../jobs/jobs.repository.ts';
import type { JobHandler, OutsideJobHandler } from '../jobs/jobs.runner.ts';
import { insertNotices } from '../notices/notices.repository.ts';
import * as repo from './points.repository.ts';
import { PointsService } from './points.service.ts';
import { insertFlag } from './redemptions.repository.ts';
import { EXPIRE_CODE_JOB, RedemptionsService } from './redemptions.service.ts';

export const RECONCILE_JOB = 'points.reconcile';
export const EXPIRE_LOTS_JOB = 'points.lots.expire';

/** The next 02:30 Beijing time after `at`: the nightly reconciliation, when the town sleeps. */
export const nextReconcileAt = (at: Date): Date => {
  const today = startOfBeijingDay(beijingDay(at)).getTime() + 2 * HOUR_MS + 30 * MINUTE_MS;
  return new Date(today > at.getTime() ? today : today + 24 * HOUR_MS);
};

/** 01:00 Beijing time on the first of the month after `at`: the end of a period, when old lots expire. */
export const nextMonthStart = (at: Date): Date => {
  const day = beijingDay(at);
  const [y, m] = [Number(day.slice(0, 4)), Number(day.slice(5, 7))];
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return new Date(startOfBeijingDay(next).getTime() + HOUR_MS);
};

/** The Beijing day `months` months before the first of `at`'s month: lots earned before it expire. */
export const lotCutoff = (at: Date, months: number): string => {
  const day = beijingDay(at);
  const index = Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1 - months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
};

/** Puts the next runs of the ledger's recurring jobs in place (once each: the dedupe key is the run's time). */
export async function scheduleLedgerJobs(db: Kysely<DB>, now: Date): Promise<void> {
  const reconcileAt = nextReconcileAt(now);
  await insertJobOnce(db, { kind: RECONCILE_JOB, run_at: reconcileAt, dedupe_key: `${RECONCILE_JOB}:${beijingDay(reconcileAt)}`, payload: '{}' });
  const lotsAt = nextMonthStart(now);
  await insertJobOnce(db, { kind: EXPIRE_LOTS_JOB, run_at: lotsAt, dedupe_key: `${EXPIRE_LOTS_JOB}:${beijingDay(lotsAt)}`, payload: '{}' });
}

/**
 * 对账: proves every balance equals the sum of its entries and all balances sum to zero, records the proof, and when it
 * fails raises the alarm — a flag for review and a notice to every administrator — rather than mending anything.
 */
export async function reconcileIn(trx: Kysely<DB>, ctx: RequestContext) {
  const at = ctx.at ?? new Date();
  const proof = await repo.reconcile(trx);
  const ok = proof.mismatched.length === 0 && proof.total === 0 && proof.entriesTotal === 0;
  const row = await repo.insertReconciliation(trx, { at, ok, accounts: await repo.accountCount(trx), total: proof.total, entriesTotal: proof.entriesTotal, mismatched: proof.mismatched });
  if (!ok) {
    await insertFlag(trx, { kind: 'reconciliation', dedupeKey: `reconciliation:${row.id}`, details: { reconciliationId: row.id, total: proof.total, mismatched: proof.mismatched.slice(0, 50) }, at });
    const body = `积分对账未通过：${proof.mismatched.length} 个账户余额与流水不符，总额 ${proof.total}。请立即核查。`;
    await insertNotices(trx, (await repo.adminUserIds(trx)).map((userId) => ({ user_id: userId, resident_id: null, matter_id: null, kind: 'points_reconciliation', body, created_at: at })));
  }
  return row;
}

/**
 * Lots expire oldest-first (积分过期): with the scheme's lot lifetime set, what is left of the lots earned before the
 * cutoff goes to the expiry account, account by account under its lock, never more than is free of holds; the key is
 * the account and the month, so a job run twice expires once.
 */
export async function expireLots(deps: AppDeps, points: PointsService, ctx: RequestContext) {
  const at = ctx.at ?? new Date();
  const scheme = await repo.scheme(deps.db);
  if (!scheme.lot_months) return { accounts: 0, points: 0 };
  const cutoffDay = lotCutoff(at, scheme.lot_months);
  const cutoff = startOfBeijingDay(cutoffDay);
  const expiry = await repo.systemAccount(deps.db, 'expiry');
  let accounts = 0;
  let total = 0;
  for (const { id } of await repo.expiryCandidates(deps.db, cutoff)) {
    const moved = await deps.db.transaction().execute(async (trx) => {
      const account = await repo.lockAccount(trx, id);
      const due = Math.min(expiringAt(await repo.movements(trx, id), cutoff), account.balance - account.held);
      if (due <= 0) return 0;
      const r = await points.transferIn(trx, ctx, { key: `expire:${id}:${cutoffDay}`, kind: 'expire', debitId: id, creditId: expiry.id, amount: due, note: `${cutoffDay} 之前获得的积分到期` });
      return r.created ? due : 0;
    });
    if (moved > 0) {
      accounts++;
      total += moved;
    }
  }
  return { accounts, points: total };
}

const codePayload = z.object({ redemptionId: idField });

/** The ledger's durable jobs: a code's expiry at its five minutes, the nightly reconciliation, the monthly lot expiry. */
export function ledgerJobs(deps: AppDeps): Record<string, JobHandler | OutsideJobHandler> {
  const points = new PointsService(deps);
  const redemptions = new RedemptionsService(deps, points);
  return {
    [EXPIRE_CODE_JOB]: (trx, job, now) => redemptions.expireIn(trx, systemContext(`job:${job.id}`, now), codePayload.parse(job.payload).redemptionId),
    [RECONCILE_JOB]: async (trx, job, now) => {
      await reconcileIn(trx, systemContext(`job:${job.id}`, now));
      const next = nextReconcileAt(new Date(now.getTime() + MINUTE_MS));
      await insertJobOnce(trx, { kind: RECONCILE_JOB, run_at: next, dedupe_key: `${RECONCILE_JOB}:${beijingDay(next)}`, payload: '{}' });
    },
    [EXPIRE_LOTS_JOB]: {
      // The accounts expire each in their own transaction, outside the job's, so one busy account holds up no other;
      // the keys make a rerun after a crash expire nothing twice. The next month's run is queued in the job's.
      outside: async (job, now) => {
        await expireLots(deps, points, systemContext(`job:${job.id}`, now));
        return async (trx) => {
          const next = nextMonthStart(new Date(now.getTime() + HOUR_MS));
          await insertJobOnce(trx, { kind: EXPIRE_LOTS_JOB, run_at: next, dedupe_key: `${EXPIRE_LOTS_JOB}:${beijingDay(next)}`, payload: '{}' });
        };
      },
    },
  };
}

