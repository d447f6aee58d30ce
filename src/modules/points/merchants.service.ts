import { AppError, notFound } from '../../core/errors.ts';
import { nowOf, type RequestContext, recordedUserId } from '../../core/scope.ts';
import type { MerchantState } from '../../core/vocabulary.ts';
import type { AppDeps } from '../../deps.ts';
import * as access from '../access/access.repository.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { getNode } from '../structure/structure.repository.ts';
import * as shop from './merchants.repository.ts';
import { allianceScope, assertMayEditShop, assertMayManageAlliance } from './points.policy.ts';
import type { PointsService } from './points.service.ts';

export interface MerchantBody { name: string; address: string; description: string; opens: string; closes: string; dailyPointsCap: number }
export interface ItemBody { name: string; description: string; points: number; stock: number | null; active?: boolean }

/**
 * The merchant alliance (德商联盟): the community onboards a shop with its keeper (an account by the keeper's phone,
 * who then signs in with a text-message code), suspends and reinstates it; the keepers keep the items, prices,
 * stock and hours; residents see the active shops of their town with what they offer.
 */
export class MerchantsService {
  constructor(private readonly deps: AppDeps, private readonly points: PointsService) {}

  /** 入驻: a merchant in a community, its points account, and its first keeper found or opened by phone. */
  async onboard(ctx: RequestContext, body: MerchantBody & { communityId: number; keeper: { name: string; phone: string } }) {
    const community = await getNode(this.deps.db, body.communityId);
    if (community?.level !== 'community') throw new AppError('VALIDATION_FAILED', { en: 'A merchant joins a community.', zh: '商户要加入到一个社区。' }, { communityId: body.communityId });
    assertMayManageAlliance(ctx.actor, community.path);
    const now = nowOf(ctx);
    const id = await this.deps.db.transaction().execute(async (trx) => {
      const { id } = await shop.insertMerchant(trx, { ...body, createdBy: recordedUserId(ctx.actor), at: now });
      await shop.ensureMerchantAccount(trx, id);
      const sealed = this.deps.vault.seal('phone', body.keeper.phone);
      const owners = (await shop.usersWithPhone(trx, sealed.hash)).filter((u) => u.status === 'active');
      let userId = owners[0]?.id;
      if (userId === undefined) {
        ({ id: userId } = await access.insertUser(trx, {
          username: `shop_${id}_${sealed.hash.slice(0, 8).replace(/[^A-Za-z0-9]/g, 'x')}`, display_name: body.keeper.name, password_hash: null,
          phone_hash: sealed.hash, phone_enc: sealed.enc, phone_masked: sealed.masked,
        }));
      }
      await access.insertAssignment(trx, userId, { role: 'merchant', nodeId: community.id });
      await shop.insertKeeper(trx, id, userId);
      await appendAudit(trx, ctx, { action: 'points.merchant.onboard', subjectType: 'merchant', subjectId: id, details: { name: body.name, communityId: community.id, keeperUserId: userId } });
      return id;
    });
    return this.get(ctx, id);
  }

  /** A merchant with its keepers (masked phones) and all its items, for its keepers and the community's staff. */
  async get(ctx: RequestContext, id: number) {
    const m = await this.merchant(id);
    await this.assertMayEdit(ctx, m);
    const [keepers, items] = await Promise.all([shop.keepersOf(this.deps.db, id), shop.itemsOf(this.deps.db, [id], { activeOnly: false })]);
    return { ...m, keepers, itemList: items };
  }

  /** The merchants of the staff's part of the tree, for the console. */
  async list(ctx: RequestContext) {
    const scope = allianceScope(ctx.actor);
    return (await Promise.all(scope.map((p) => shop.merchantsUnder(this.deps.db, p, { activeOnly: false })))).flat();
  }

  async update(ctx: RequestContext, id: number, body: Partial<MerchantBody>) {
    const m = await this.merchant(id);
    await this.assertMayEdit(ctx, m);
    // The daily cap is the community's limit on the shop, not the keeper's to lift.
    if (body.dailyPointsCap !== undefined) assertMayManageAlliance(ctx.actor, m.community_path);
    await this.deps.db.transaction().execute(async (trx) => {
      await shop.updateMerchant(trx, id, {
        name: body.name, address: body.address, description: body.description, opens: body.opens, closes: body.closes,
        ...(body.dailyPointsCap !== undefined ? { daily_points_cap: body.dailyPointsCap } : {}),
      }, nowOf(ctx));
      await appendAudit(trx, ctx, { action: 'points.merchant.update', subjectType: 'merchant', subjectId: id, details: { fields: Object.keys(body) } });
    });
    return this.get(ctx, id);
  }

  /** 暂停 / 恢复: a suspended shop takes no new codes; codes already shown may still be declined or run out. */
  async setState(ctx: RequestContext, id: number, state: MerchantState, reason: string) {
    const m = await this.merchant(id);
    assertMayManageAlliance(ctx.actor, m.community_path);
    await this.deps.db.transaction().execute(async (trx) => {
      await shop.updateMerchant(trx, id, { state, state_reason: reason }, nowOf(ctx));
      await appendAudit(trx, ctx, { action: `points.merchant.${state}`, subjectType: 'merchant', subjectId: id, details: { reason } });
    });
    return this.get(ctx, id);
  }

  async addItem(ctx: RequestContext, merchantId: number, body: ItemBody) {
    const m = await this.merchant(merchantId);
    await this.assertMayEdit(ctx, m);
    return this.deps.db.transaction().execute(async (trx) => {
      const item = await shop.insertItem(trx, { merchantId, name: body.name, description: body.description, points: body.points, stock: body.stock, at: nowOf(ctx) });
      await appendAudit(trx, ctx, { action: 'points.item.create', subjectType: 'merchant_item', subjectId: item.id, details: { merchantId, points: body.points, stock: body.stock } });
      return item;
    });
  }

  async updateItem(ctx: RequestContext, merchantId: number, itemId: number, body: Partial<ItemBody>) {
    const m = await this.merchant(merchantId);
    await this.assertMayEdit(ctx, m);
    const item = await shop.itemById(this.deps.db, itemId);
    if (!item || item.merchant_id !== merchantId) throw notFound({ en: `Item ${itemId}`, zh: `兑换品 ${itemId}` });
    return this.deps.db.transaction().execute(async (trx) => {
      const row = await shop.updateItem(trx, itemId, body, nowOf(ctx));
      await appendAudit(trx, ctx, { action: 'points.item.update', subjectType: 'merchant_item', subjectId: itemId, details: body });
      return row;
    });
  }

  /** The shop (积分商城) a resident sees: the active merchants of their town and their items on offer. */
  async shopFor(ctx: RequestContext) {
    const resident = await this.points.myResident(ctx);
    const townPath = await shop.townPathOf(this.deps.db, resident.grid_path);
    const merchants = await shop.merchantsUnder(this.deps.db, townPath, { activeOnly: true });
    const items = await shop.itemsOf(this.deps.db, merchants.map((m) => m.id), { activeOnly: true });
    const home = resident.grid_path;
    return merchants
      .map((m) => ({ ...m, home: home.startsWith(m.community_path), itemList: items.filter((i) => i.merchant_id === m.id) }))
      .sort((a, b) => Number(b.home) - Number(a.home));
  }

  /** The shops this account keeps, for the merchant's phone page. */
  async kept(ctx: RequestContext) {
    const userId = recordedUserId(ctx.actor);
    if (userId === null) throw new AppError('UNAUTHENTICATED');
    const merchants = await shop.merchantsKeptBy(this.deps.db, userId);
    const items = await shop.itemsOf(this.deps.db, merchants.map((m) => m.id), { activeOnly: false });
    return merchants.map((m) => ({ ...m, itemList: items.filter((i) => i.merchant_id === m.id) }));
  }

  private async merchant(id: number) {
    const m = await shop.merchantById(this.deps.db, id);
    if (!m) throw notFound({ en: `Merchant ${id}`, zh: `商户 ${id}` });
    return m;
  }

  private async assertMayEdit(ctx: RequestContext, m: shop.MerchantRow) {
    const userId = recordedUserId(ctx.actor);
    const keeps = userId !== null && (await shop.isKeeper(this.deps.db, m.id, userId));
    assertMayEditShop(ctx.actor, m.community_path, keeps);
  }
}
