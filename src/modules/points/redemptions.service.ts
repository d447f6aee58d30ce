import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { beijingDay, shiftBeijingDay, startOfBeijingDay } from '../../core/beijing.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { bodyHash } from '../../core/points/ledger.ts';
import { CODE_LIFETIME_MS, codeFrom, isOpenAt, MAX_MISSES, MISS_WINDOW_MS } from '../../core/points/shop.ts';
import { nowOf, type RequestContext, recordedUserId } from '../../core/scope.ts';
import { isCheckViolation } from '../../db/errors.ts';
import type { DB } from '../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { insertJobOnce } from '../jobs/jobs.repository.ts';
import * as shop from './merchants.repository.ts';
import { assertKeeper } from './points.policy.ts';
import * as repo from './points.repository.ts';
import type { PointsService } from './points.service.ts';
import * as codes from './redemptions.repository.ts';

export const EXPIRE_CODE_JOB = 'points.code.expire';

const unknownCode = () => new AppError('CODE_UNKNOWN');

/**
 * Redemption (兑换核销): the resident picks an item and shows a code that holds the points (a pending transfer to the
 * merchant) and the stock for five minutes; the merchant scans it and confirms (the hold is posted) or declines it
 * (voided); unconfirmed, a durable job expires it. The limits (per resident per day, per merchant per day) are counted
 * under the merchant's and the resident's row locks, so a burst of codes cannot slip past them; a keeper may not
 * redeem at their own shop, and a resident who keeps coming back to one merchant is flagged for a reviewer.
 */
export class RedemptionsService {
  constructor(private readonly deps: AppDeps, private readonly points: PointsService) {}

  /** 兑换: a code for `quantity` of an item, for the signed-in resident; the same key again answers the same code. */
  async create(ctx: RequestContext, body: { itemId: number; quantity: number; key: string }) {
    const resident = await this.points.myResident(ctx);
    const requestKey = `${resident.id}:${body.key}`;
    const fingerprint = { residentId: resident.id, itemId: body.itemId, quantity: body.quantity };
    const earlier = await codes.redemptionByKey(this.deps.db, requestKey);
    if (earlier) return this.retried(earlier, fingerprint);

    const item = await shop.itemById(this.deps.db, body.itemId);
    if (!item?.active) throw notFound({ en: `Item ${body.itemId}`, zh: `兑换品 ${body.itemId}` });
    const merchant = await shop.merchantById(this.deps.db, item.merchant_id);
    // The alliance is the town's: a resident redeems at the shops of their own town, and sees no other town's item.
    const town = await shop.townPathOf(this.deps.db, resident.grid_path);
    if (!merchant?.community_path.startsWith(town)) {
      throw notFound({ en: `Item ${body.itemId}`, zh: `兑换品 ${body.itemId}` });
    }
    const now = nowOf(ctx);
    if (merchant.state !== 'active') throw new AppError('MERCHANT_UNAVAILABLE', { en: 'This merchant is suspended from the alliance for now.', zh: '这家商户暂停参加联盟了。' });
    if (!isOpenAt(merchant.opens, merchant.closes, now)) {
      throw new AppError('MERCHANT_UNAVAILABLE', { en: `The shop opens ${merchant.opens}–${merchant.closes}.`, zh: `这家店的营业时间是 ${merchant.opens}–${merchant.closes}，现在没开门。` });
    }
    // 自买自卖: a keeper's own points do not go to their own shop; the attempt is flagged, not silently dropped.
    if ((await shop.keeperResidentIds(this.deps.db, merchant.id)).includes(resident.id)) {
      await codes.insertFlag(this.deps.db, { kind: 'self_dealing', dedupeKey: `self_dealing:${merchant.id}:${resident.id}:${beijingDay(now)}`, residentId: resident.id, merchantId: merchant.id, details: { itemId: item.id }, at: now });
      throw new AppError('SELF_DEALING');
    }

    const points = item.points * body.quantity;
    const scheme = await repo.scheme(this.deps.db);
    const today = startOfBeijingDay(beijingDay(now));
    type Refusal = { kind: 'resident_limit' | 'merchant_limit'; said: { en: string; zh: string }; details: Record<string, unknown> };
    const result = await this.deps.db.transaction().execute(async (trx): Promise<{ refused: Refusal } | { id: number }> => {
      // Lock order everywhere: the merchant, then the resident's account, then the item.
      await shop.lockMerchant(trx, merchant.id);
      const account = await repo.ensureResidentAccount(trx, resident.id);
      await repo.lockAccount(trx, account.id);
      if (merchant.daily_points_cap > 0 && (await codes.merchantDay(trx, merchant.id, today)).points + points > merchant.daily_points_cap) {
        return { refused: { kind: 'merchant_limit', said: { en: 'This merchant has reached today\'s limit.', zh: '这家商户今天的兑换额度用完了。' }, details: { cap: merchant.daily_points_cap, asked: points } } };
      }
      const mine = await codes.residentDay(trx, resident.id, today);
      if (mine.count >= scheme.resident_daily_redemptions || mine.points + points > scheme.resident_daily_points) {
        return { refused: { kind: 'resident_limit', said: { en: 'You have reached today\'s redemption limit.', zh: '你今天的兑换已经到上限了，明天再来吧。' }, details: { count: mine.count, points: mine.points, asked: points } } };
      }
      const merchantAccount = await shop.ensureMerchantAccount(trx, merchant.id);
      const expiresAt = new Date(now.getTime() + CODE_LIFETIME_MS);
      const hold = await this.points.transferIn(trx, ctx, {
        key: `redeem:${requestKey}`, kind: 'redeem', debitId: account.id, creditId: merchantAccount.id, amount: points, pendingUntil: expiresAt,
        note: `${merchant.name} · ${item.name} ×${body.quantity}`,
      }, fingerprint);
      // The same press twice at once: the second waited for the first's hold and answers the first's code.
      if (!hold.created) {
        const first = await codes.redemptionByKey(trx, requestKey);
        if (first) return { id: first.id };
      }
      try {
        await shop.takeStock(trx, item.id, body.quantity);
      } catch (e) {
        if (isCheckViolation(e)) throw new AppError('OUT_OF_STOCK', { en: `Only ${item.stock ?? 0} left.`, zh: `只剩 ${item.stock ?? 0} 份了。` });
        throw e;
      }
      const code = await this.freeCode(trx);
      const { id } = await codes.insertRedemption(trx, {
        code, requestKey, residentId: resident.id, merchantId: merchant.id, itemId: item.id, quantity: body.quantity, points, transferId: hold.transfer.id, expiresAt, at: now,
      });
      await insertJobOnce(trx, { kind: EXPIRE_CODE_JOB, run_at: expiresAt, dedupe_key: `${EXPIRE_CODE_JOB}:${id}`, payload: JSON.stringify({ redemptionId: id }) });
      return { id };
    });
    if ('refused' in result) {
      // The refusal is flagged for review after the transaction, so the flag stays though nothing else happened.
      const { kind, said, details } = result.refused;
      await codes.insertFlag(this.deps.db, { kind, dedupeKey: `${kind}:${kind === 'resident_limit' ? resident.id : merchant.id}:${beijingDay(now)}`, residentId: resident.id, merchantId: merchant.id, details, at: now });
      throw new AppError('LIMIT_REACHED', said, details);
    }
    return this.loaded(result.id);
  }

  /** My codes (我的兑换码), newest first: pending ones with their time left, and what became of the others. */
  async mine(ctx: RequestContext, limit = 20) {
    const resident = await this.points.myResident(ctx);
    return codes.redemptionsOfResident(this.deps.db, resident.id, limit);
  }

  /** The resident takes back a code not yet used: the points and the stock are free again. */
  async cancel(ctx: RequestContext, id: number) {
    const resident = await this.points.myResident(ctx);
    const r = await codes.redemptionById(this.deps.db, id);
    if (!r || r.resident_id !== resident.id) throw notFound({ en: `Code ${id}`, zh: `兑换码 ${id}` });
    await this.deps.db.transaction().execute(async (trx) => {
      const row = await this.lockPending(trx, id, nowOf(ctx));
      await this.release(trx, ctx, row, 'declined', '居民取消');
    });
    return this.loaded(id);
  }

  /**
   * 核销: the keeper confirms a code scanned or typed at the counter; the hold is posted to the merchant. Two scans at
   * once confirm it once (the row lock); a code of another shop, used, or past its time is refused; wrong codes are
   * counted, and many in a few minutes stop the counter and raise a flag.
   */
  async confirm(ctx: RequestContext, merchantId: number, text: string) {
    return this.resolve(ctx, merchantId, text, 'confirmed', '');
  }

  async decline(ctx: RequestContext, merchantId: number, text: string, reason: string) {
    return this.resolve(ctx, merchantId, text, 'declined', reason);
  }

  /** The expiry job: a code still pending at its time is expired, its points and stock freed. */
  async expireIn(trx: Kysely<DB>, ctx: RequestContext, id: number) {
    const row = await codes.lockById(trx, id);
    if (row?.state !== 'pending') return;
    await this.release(trx, ctx, row, 'expired', '');
  }

  /** A sweep for codes whose job was lost (a restored backup): every pending code past its time is expired. */
  async expireDue(ctx: RequestContext, limit = 200) {
    const due = await codes.duePending(this.deps.db, nowOf(ctx), limit);
    for (const { id } of due) await this.deps.db.transaction().execute((trx) => this.expireIn(trx, ctx, id));
    return due.length;
  }

  /** The counter's list today (今日核销) for a keeper. */
  async today(ctx: RequestContext, merchantId: number) {
    await this.keeper(ctx, merchantId);
    const day = beijingDay(nowOf(ctx));
    return codes.redemptionsAt(this.deps.db, merchantId, startOfBeijingDay(day), startOfBeijingDay(shiftBeijingDay(day, 1)));
  }

  private async resolve(ctx: RequestContext, merchantId: number, text: string, to: 'confirmed' | 'declined', reason: string) {
    const userId = await this.keeper(ctx, merchantId);
    const now = nowOf(ctx);
    if ((await codes.missesSince(this.deps.db, merchantId, new Date(now.getTime() - MISS_WINDOW_MS))) >= MAX_MISSES) {
      await codes.insertFlag(this.deps.db, { kind: 'code_guessing', dedupeKey: `code_guessing:${merchantId}:${beijingDay(now)}`, merchantId, details: { userId }, at: now });
      throw new AppError('RATE_LIMITED', { en: 'Too many wrong codes at this counter; wait ten minutes.', zh: '这个柜台输错的码太多了，请等十分钟再试。' });
    }
    const code = codeFrom(text);
    if (!code) throw new AppError('VALIDATION_FAILED', { en: 'A redemption code is eight digits.', zh: '兑换码是 8 位数字。' }, { code: text.slice(0, 40) });
    const result = await this.deps.db.transaction().execute(async (trx) => {
      const row = await codes.lockByCode(trx, code);
      if (!row) return { miss: unknownCode() };
      if (row.merchant_id !== merchantId) return { miss: new AppError('CODE_OTHER_MERCHANT') };
      const pending = await this.lockPending(trx, row.id, now);
      if (to === 'declined') {
        await this.release(trx, ctx, pending, 'declined', reason);
        return { id: row.id };
      }
      // A suspended shop collects nothing until the community reinstates it; its codes can still be declined.
      if ((await shop.lockMerchant(trx, merchantId))?.state !== 'active') throw new AppError('MERCHANT_UNAVAILABLE', { en: 'This merchant is suspended from the alliance for now.', zh: '这家商户暂停参加联盟了，暂时不能核销。' });
      const r = await codes.redemptionById(trx, row.id);
      if (userId !== null && (await repo.residentOfUser(trx, userId))?.id === row.resident_id) throw new AppError('SELF_DEALING');
      await this.points.postHold(trx, ctx, row.transfer_id);
      await codes.resolveRedemption(trx, row.id, { state: 'confirmed', at: now, by: userId, reason: '' });
      await appendAudit(trx, ctx, { action: 'points.redeem', subjectType: 'redemption', subjectId: row.id, details: { merchantId, points: row.points, item: r?.item_name } });
      const scheme = await repo.scheme(trx);
      const times = await codes.pairCount(trx, row.resident_id, merchantId, new Date(now.getTime() - scheme.repeat_window_days * 86_400_000));
      if (times >= scheme.repeat_threshold) {
        await codes.insertFlag(trx, {
          kind: 'repeat_merchant', dedupeKey: `repeat_merchant:${merchantId}:${row.resident_id}:${beijingDay(now)}`, residentId: row.resident_id, merchantId, redemptionId: row.id,
          details: { times, windowDays: scheme.repeat_window_days }, at: now,
        });
      }
      return { id: row.id };
    });
    if ('miss' in result) {
      // A wrong code is counted after the transaction, so guessing is seen however the request ends.
      await codes.insertMiss(this.deps.db, merchantId, userId, now);
      throw result.miss;
    }
    const r = await codes.counterRow(this.deps.db, result.id);
    if (!r) throw new Error(`redemption ${result.id} did not load`);
    return r;
  }

  /** A pending code, locked; one used or past its time is refused with what became of it. */
  private async lockPending(trx: Kysely<DB>, id: number, now: Date) {
    const row = await codes.lockById(trx, id);
    if (!row) throw unknownCode();
    if (row.state === 'confirmed' || row.state === 'declined') throw new AppError('CODE_USED', undefined, { state: row.state });
    if (row.state === 'expired' || row.expires_at.getTime() <= now.getTime()) throw new AppError('CODE_EXPIRED');
    return row;
  }

  private async release(trx: Kysely<DB>, ctx: RequestContext, row: { id: number; transfer_id: number; item_id: number; quantity: number }, to: 'declined' | 'expired', reason: string) {
    await this.points.releaseHold(trx, ctx, row.transfer_id, to === 'declined' ? 'voided' : 'expired');
    await shop.returnStock(trx, row.item_id, row.quantity);
    await codes.resolveRedemption(trx, row.id, { state: to, at: nowOf(ctx), by: recordedUserId(ctx.actor), reason });
  }

  private async keeper(ctx: RequestContext, merchantId: number): Promise<number | null> {
    const userId = recordedUserId(ctx.actor);
    assertKeeper(ctx.actor, userId !== null && (await shop.isKeeper(this.deps.db, merchantId, userId)));
    return userId;
  }

  /** A fresh eight-digit code no redemption ever had (a code works once, for ever). */
  private async freeCode(trx: Kysely<DB>): Promise<string> {
    for (let i = 0; i < 10; i++) {
      const code = String(randomInt(0, 100_000_000)).padStart(8, '0');
      if (!(await codes.codeTaken(trx, code))) return code;
    }
    throw new Error('no free redemption code after ten tries');
  }

  private retried(earlier: codes.RedemptionRow, fingerprint: Record<string, number>) {
    const same = bodyHash({ residentId: earlier.resident_id, itemId: earlier.item_id, quantity: earlier.quantity }) === bodyHash(fingerprint);
    if (!same) throw new AppError('IDEMPOTENCY_CONFLICT', undefined, { key: earlier.request_key });
    return earlier;
  }

  private async loaded(id: number) {
    const r = await codes.redemptionById(this.deps.db, id);
    if (!r) throw new Error(`redemption ${id} did not load`);
    return r;
  }
}
