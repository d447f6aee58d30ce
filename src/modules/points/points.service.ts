import type { Kysely } from 'kysely';
import { beijingDay, startOfBeijingDay } from '../../core/beijing.ts';
import { cursorId, page } from '../../core/cursor.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { bodyHash, grantable } from '../../core/points/ledger.ts';
import { nowOf, type RequestContext, recordedUserId } from '../../core/scope.ts';
import type { EarnRule, TransferKind } from '../../core/vocabulary.ts';
import { isCheckViolation } from '../../db/errors.ts';
import type { DB } from '../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { assertMayReadRules, assertMaySetRules } from './points.policy.ts';
import * as repo from './points.repository.ts';

/** What one transfer moves; `pendingUntil` makes it a hold (冻结) that is posted, voided or expires by then. */
export interface TransferInput {
  key: string; kind: TransferKind; debitId: number; creditId: number; amount: number; rule?: EarnRule | null; note?: string;
  pendingUntil?: Date | null; reversesId?: number | null;
}

const insufficient = () => new AppError('INSUFFICIENT_POINTS', { en: 'Not enough points for this.', zh: '积分不够。' });

/**
 * The points ledger (德分宝), TigerBeetle's way: every transfer is immutable and double-entry (its two entries sum to
 * zero, so all balances sum to zero with issuance below zero); each carries a key, and the same key with the same
 * body answers the first result while another body is IDEMPOTENCY_CONFLICT; a hold reserves the points at once under
 * the accounts' constraints and is later posted, voided or expired; a reversal is a new transfer linking the one it
 * reverses, once, and never of a reversal. Everything runs inside the caller's transaction, so points granted for an
 * event commit with the event or not at all.
 */
export class PointsService {
  constructor(private readonly deps: AppDeps) {}

  /** One transfer in `trx`; `created` is false when the key was used before with the same body. */
  async transferIn(trx: Kysely<DB>, ctx: RequestContext, input: TransferInput, fingerprint: unknown = input) {
    if (!Number.isInteger(input.amount) || input.amount <= 0) {
      throw new AppError('VALIDATION_FAILED', { en: 'Points are whole numbers above zero.', zh: '积分必须是大于零的整数。' }, { amount: input.amount });
    }
    const at = nowOf(ctx);
    const hash = bodyHash(fingerprint);
    const pending = !!input.pendingUntil;
    const t = await repo.insertTransfer(trx, {
      key: input.key, bodyHash: hash, kind: input.kind, state: pending ? 'pending' : 'posted', debitId: input.debitId, creditId: input.creditId,
      amount: input.amount, rule: input.rule ?? null, reversesId: input.reversesId ?? null, expiresAt: input.pendingUntil ?? null, note: input.note ?? '',
      createdBy: recordedUserId(ctx.actor), at,
    });
    if (!t) {
      const first = await repo.transferByKey(trx, input.key);
      if (!first) throw new Error(`transfer key ${input.key} conflicted but is not there`);
      if (first.body_hash !== hash) throw new AppError('IDEMPOTENCY_CONFLICT', { en: 'This request key was already used with a different request.', zh: '这个请求编号已经用在另一笔不同的操作上了。' }, { key: input.key });
      return { transfer: first, created: false };
    }
    await this.guard(async () => {
      if (pending) await repo.applyDeltas(trx, [{ accountId: t.debit_id, held: t.amount }]);
      else await this.post(trx, t, at);
    });
    return { transfer: t, created: true };
  }

  /** Posts a hold: the reserved points leave the debit account for the credit account. A hold is posted once. */
  async postHold(trx: Kysely<DB>, ctx: RequestContext, id: number) {
    const t = await this.pendingTransfer(trx, id);
    const at = nowOf(ctx);
    await repo.resolveTransfer(trx, id, 'posted', at);
    // One pass over both accounts in id order (the held points leave with the balance), so a post never waits
    // crosswise on a transfer between the same two accounts.
    await this.guard(async () => {
      await repo.applyDeltas(trx, [{ accountId: t.debit_id, held: -t.amount, balance: -t.amount }, { accountId: t.credit_id, balance: t.amount }]);
      await repo.insertEntries(trx, t.id, [{ accountId: t.debit_id, delta: -t.amount }, { accountId: t.credit_id, delta: t.amount }], at);
    });
    return { ...t, state: 'posted' as const, resolved_at: at };
  }

  /** Voids a hold (or expires it, for the job): the reserved points are free again. */
  async releaseHold(trx: Kysely<DB>, ctx: RequestContext, id: number, to: 'voided' | 'expired') {
    const t = await this.pendingTransfer(trx, id);
    const at = nowOf(ctx);
    await repo.resolveTransfer(trx, id, to, at);
    await repo.applyDeltas(trx, [{ accountId: t.debit_id, held: -t.amount }]);
    return { ...t, state: to, resolved_at: at };
  }

  /** Reverses a posted transfer by a compensating one (冲正) that links it; once, and never a reversal itself. */
  async reverse(trx: Kysely<DB>, ctx: RequestContext, id: number, key: string, note: string) {
    const t = await repo.lockTransfer(trx, id);
    if (!t) throw notFound({ en: `Transfer ${id}`, zh: `积分流水 ${id}` });
    if (t.kind === 'reverse') throw new AppError('CONFLICT', { en: 'A reversal is not reversed; make a new transfer instead.', zh: '冲正的流水不能再冲正，请另做一笔。' });
    if (t.state !== 'posted') throw new AppError('CONFLICT', { en: `Only a posted transfer is reversed; this one is ${t.state}.`, zh: '只有已入账的流水才能冲正。' });
    const earlier = await repo.reversalOf(trx, id);
    if (earlier) {
      const r = await repo.transferById(trx, earlier.id);
      if (r?.key === key) return { transfer: r, created: false };
      throw new AppError('CONFLICT', { en: `Transfer ${id} is already reversed.`, zh: '这笔流水已经冲正过了。' });
    }
    return this.transferIn(trx, ctx, { key, kind: 'reverse', debitId: t.credit_id, creditId: t.debit_id, amount: t.amount, rule: t.rule, note, reversesId: id });
  }

  /**
   * Grants the points a rule gives for one event, in the event's transaction, exactly once per event: the key is the
   * rule and the event, so a double click or a retried job finds the first grant. Caps are counted under the
   * resident's account lock, so two events at once cannot both slip under a cap. Nothing is granted past a cap.
   */
  async earnIn(trx: Kysely<DB>, ctx: RequestContext, rule: EarnRule, residentId: number, eventRef: string, points?: number) {
    const key = `rule:${rule}:${eventRef}`;
    const earlier = await repo.transferByKey(trx, key);
    if (earlier) return { transfer: earlier, created: false };
    const account = await repo.ensureResidentAccount(trx, residentId);
    const issuance = await repo.systemAccount(trx, 'issuance');
    // Both rows locked in id order, as every transfer takes them: the caps are counted under the resident's lock.
    for (const id of [issuance.id, account.id].sort((a, b) => a - b)) await repo.lockAccount(trx, id);
    const terms = await repo.ruleTerms(trx, rule);
    const now = nowOf(ctx);
    const day = beijingDay(now);
    const earned = await repo.earnedSince(trx, account.id, rule, startOfBeijingDay(day), startOfBeijingDay(`${day.slice(0, 8)}01`));
    const amount = grantable({ rule, points: terms.points, dailyCap: terms.daily_cap, monthlyCap: terms.monthly_cap, active: terms.active }, earned, points ?? terms.points);
    if (amount === 0) return { transfer: null, created: false };
    return this.transferIn(trx, ctx, { key, kind: 'earn', debitId: issuance.id, creditId: account.id, amount, rule }, { rule, residentId, eventRef });
  }

  /** 每日签到: the signed-in resident's check-in for today, once a day (the rule's points, within its caps). */
  async checkin(ctx: RequestContext) {
    const resident = await this.myResident(ctx);
    const day = beijingDay(nowOf(ctx));
    const result = await this.deps.db.transaction().execute(async (trx) => {
      const r = await this.earnIn(trx, ctx, 'daily_checkin', resident.id, `${resident.id}:${day}`);
      if (r.created) await appendAudit(trx, ctx, { action: 'points.checkin', subjectType: 'resident', subjectId: resident.id, details: { points: r.transfer?.amount ?? 0, day } });
      return r;
    });
    return { day, granted: result.created ? (result.transfer?.amount ?? 0) : 0, already: !result.created && result.transfer !== null, ...(await this.mine(ctx)) };
  }

  /** My points (我的积分): balance, held, available, and the statement page. */
  async mine(ctx: RequestContext, q: { cursor?: string; limit: number } = { limit: 20 }) {
    const resident = await this.myResident(ctx);
    const account = await repo.ensureResidentAccount(this.deps.db, resident.id);
    const rows = await repo.statement(this.deps.db, account.id, { afterId: cursorId(q.cursor), limit: q.limit });
    return { account, ...page(rows, q.limit, (r) => [r.id]) };
  }

  async rules(ctx: RequestContext) {
    assertMayReadRules(ctx.actor);
    return repo.rules(this.deps.db);
  }

  async setRule(ctx: RequestContext, rule: EarnRule, v: { points: number; dailyCap: number; monthlyCap: number; active: boolean }) {
    assertMaySetRules(ctx.actor);
    return this.deps.db.transaction().execute(async (trx) => {
      const row = await repo.updateRule(trx, rule, { points: v.points, daily_cap: v.dailyCap, monthly_cap: v.monthlyCap, active: v.active, updated_by: recordedUserId(ctx.actor) });
      await appendAudit(trx, ctx, { action: 'points.rule', subjectType: 'point_rule', subjectId: rule, details: v });
      return row;
    });
  }

  /** The expiry job: holds past their time are released (expired), a batch at a time, each in its own transaction. */
  async expireHolds(ctx: RequestContext, limit = 200) {
    const due = await repo.duePending(this.deps.db, nowOf(ctx), limit);
    let expired = 0;
    for (const { id } of due) {
      await this.deps.db.transaction().execute(async (trx) => {
        const t = await repo.lockTransfer(trx, id);
        if (t?.state !== 'pending') return;
        await this.releaseHold(trx, ctx, id, 'expired');
        expired++;
      });
    }
    return expired;
  }

  /** The signed-in user's own resident record: points belong to verified residents only. */
  async myResident(ctx: RequestContext) {
    if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
    const userId = recordedUserId(ctx.actor);
    const r = userId === null ? undefined : await repo.residentOfUser(this.deps.db, userId);
    if (!r) throw new AppError('FORBIDDEN', { en: 'Points belong to verified residents; ask your grid worker to link your account to the register.', zh: '积分属于实名登记的居民，请找网格员核实登记。' });
    return r;
  }

  private async pendingTransfer(trx: Kysely<DB>, id: number) {
    const t = await repo.lockTransfer(trx, id);
    if (!t) throw notFound({ en: `Hold ${id}`, zh: `冻结 ${id}` });
    if (t.state !== 'pending') throw new AppError('CONFLICT', { en: `The hold is already ${t.state}.`, zh: t.state === 'posted' ? '这笔已经确认过了。' : '这笔已经取消或过期了。' }, { state: t.state });
    return t;
  }

  /** The double entry of a posted transfer: the debit down, the credit up, both rows in the entries. */
  private async post(trx: Kysely<DB>, t: repo.TransferRow, at: Date) {
    await repo.applyDeltas(trx, [{ accountId: t.debit_id, balance: -t.amount }, { accountId: t.credit_id, balance: t.amount }]);
    await repo.insertEntries(trx, t.id, [{ accountId: t.debit_id, delta: -t.amount }, { accountId: t.credit_id, delta: t.amount }], at);
  }

  /** The accounts' constraints refuse an overdraft or an uncovered hold: that is INSUFFICIENT_POINTS, and nothing stays. */
  private async guard(fn: () => Promise<void>) {
    try {
      await fn();
    } catch (e) {
      if (isCheckViolation(e)) throw insufficient();
      throw e;
    }
  }
}
