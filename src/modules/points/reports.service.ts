import ExcelJS from 'exceljs';
import { beijingDay, beijingMinute, shiftBeijingDay, startOfBeijingDay } from '../../core/beijing.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { maskPersonName } from '../../core/deliberation/stages.ts';
import { nowOf, type RequestContext, recordedUserId } from '../../core/scope.ts';
import type { FlagState } from '../../core/vocabulary.ts';
import type { AppDeps } from '../../deps.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { getNode } from '../structure/structure.repository.ts';
import { reconcileIn } from './ledger.jobs.ts';
import * as shop from './merchants.repository.ts';
import { allianceScope, assertMayEditShop, assertMayManageAlliance, assertMaySetScheme } from './points.policy.ts';
import * as repo from './points.repository.ts';
import type { PointsService } from './points.service.ts';
import * as codes from './redemptions.repository.ts';

export interface Range { from: string; to: string }

const STATE_NAMES: Record<string, string> = { pending: '待核销', confirmed: '已核销', declined: '已取消', expired: '已过期' };

/**
 * What the scheme reports (积分报表): its figures per grid and community (registered, active, earned, redeemed,
 * volunteer hours), a merchant's redemption report and the community's settlement report as workbooks, the flags for
 * review, the scheme's limits, the reconciliations, and the settlement of a merchant's points (结算).
 */
export class PointsReportsService {
  constructor(private readonly deps: AppDeps, private readonly points: PointsService) {}

  /** The figures of a node over a range of Beijing days, with one row per child (a community's grids, a town's communities). */
  async figures(ctx: RequestContext, nodeId: number, range: Range) {
    const node = await this.node(ctx, nodeId);
    const { from, to } = this.instants(range);
    const grids = await repo.figuresByGrid(this.deps.db, node.path, from, to, range.from, shiftBeijingDay(range.to, 1));
    const children = await repo.childrenOf(this.deps.db, node.id);
    const sum = (rows: typeof grids) => ({
      registered: rows.reduce((s, r) => s + r.registered, 0), active: rows.reduce((s, r) => s + r.active, 0), earned: rows.reduce((s, r) => s + r.earned, 0),
      redeemed: rows.reduce((s, r) => s + r.redeemed, 0), redemptions: rows.reduce((s, r) => s + r.redemptions, 0),
      volunteerHours: Math.round(rows.reduce((s, r) => s + r.volunteerMinutes, 0) / 6) / 10,
    });
    return {
      node: { id: node.id, name: node.name, code: node.code, level: node.level }, from: range.from, to: range.to, ...sum(grids),
      children: children.map((c) => ({ node: { id: c.id, name: c.name, code: c.code, level: c.level }, ...sum(grids.filter((g) => g.path.startsWith(c.path))) })),
    };
  }

  /** A merchant's redemption report (兑换明细): every code of the period, with the resident's name masked. */
  async merchantReport(ctx: RequestContext, merchantId: number, range: Range) {
    const m = await shop.merchantById(this.deps.db, merchantId);
    if (!m) throw notFound({ en: `Merchant ${merchantId}`, zh: `商户 ${merchantId}` });
    const userId = recordedUserId(ctx.actor);
    assertMayEditShop(ctx.actor, m.community_path, userId !== null && (await shop.isKeeper(this.deps.db, m.id, userId)));
    const { from, to } = this.instants(range);
    const rows = await codes.redemptionsAt(this.deps.db, merchantId, from, to);
    const wb = new ExcelJS.Workbook();
    wb.creator = 'dualgrid';
    const ws = wb.addWorksheet('兑换明细', { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = [
      { header: '时间', width: 18 }, { header: '兑换码', width: 12 }, { header: '兑换品', width: 20 }, { header: '数量', width: 6 }, { header: '积分', width: 8 },
      { header: '居民', width: 10 }, { header: '状态', width: 8 }, { header: '说明', width: 20 },
    ];
    ws.getColumn(2).numFmt = '@';
    for (const r of [...rows].reverse()) {
      ws.addRow([beijingMinute(r.created_at), r.code, r.item_name, r.quantity, r.points, maskPersonName(r.resident_name), STATE_NAMES[r.state] ?? r.state, r.reason]);
    }
    const confirmed = rows.filter((r) => r.state === 'confirmed');
    ws.addRow([]);
    ws.addRow(['合计（已核销）', '', '', confirmed.reduce((s, r) => s + r.quantity, 0), confirmed.reduce((s, r) => s + r.points, 0)]);
    ws.addRow(['商户', m.name, '区间', `${range.from} — ${range.to}`]);
    ws.getRow(1).font = { bold: true };
    await this.audit(ctx, 'points.report.merchant', 'merchant', merchantId, range);
    return { data: Buffer.from(await wb.xlsx.writeBuffer()), filename: `redemptions-${merchantId}-${range.from}-${range.to}.xlsx` };
  }

  /** The community's settlement report (结算表): per merchant, codes confirmed and points, settled, and the balance now. */
  async settlementReport(ctx: RequestContext, nodeId: number, range: Range) {
    const node = await this.node(ctx, nodeId);
    const { from, to } = this.instants(range);
    const rows = await repo.settlementRows(this.deps.db, node.path, from, to);
    const wb = new ExcelJS.Workbook();
    wb.creator = 'dualgrid';
    const ws = wb.addWorksheet('商户结算', { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = [
      { header: '商户', width: 20 }, { header: '社区', width: 14 }, { header: '状态', width: 8 }, { header: '核销笔数', width: 10 }, { header: '核销积分', width: 10 },
      { header: '本期已结算', width: 12 }, { header: '待结算余额', width: 12 },
    ];
    for (const r of rows) ws.addRow([r.name, r.community_name, r.state === 'active' ? '正常' : '暂停', r.confirmed ?? 0, r.points ?? 0, r.settled ?? 0, r.balance]);
    ws.addRow([]);
    ws.addRow(['合计', '', '', rows.reduce((s, r) => s + (r.confirmed ?? 0), 0), rows.reduce((s, r) => s + (r.points ?? 0), 0), rows.reduce((s, r) => s + (r.settled ?? 0), 0), rows.reduce((s, r) => s + r.balance, 0)]);
    ws.addRow(['区间', `${range.from} — ${range.to}`, '单位', node.name]);
    ws.getRow(1).font = { bold: true };
    await this.audit(ctx, 'points.report.settlement', 'node', nodeId, range);
    return { data: Buffer.from(await wb.xlsx.writeBuffer()), filename: `settlement-${node.code}-${range.from}-${range.to}.xlsx` };
  }

  /** 结算: the merchant's points so far move to the settlement account (burnt, paid out by the community off-line). */
  async settle(ctx: RequestContext, merchantId: number, key: string) {
    const m = await shop.merchantById(this.deps.db, merchantId);
    if (!m) throw notFound({ en: `Merchant ${merchantId}`, zh: `商户 ${merchantId}` });
    assertMayManageAlliance(ctx.actor, m.community_path);
    return this.deps.db.transaction().execute(async (trx) => {
      const account = await shop.ensureMerchantAccount(trx, merchantId);
      const locked = await repo.lockAccount(trx, account.id);
      const earlier = await repo.transferByKey(trx, `settle:${merchantId}:${key}`);
      if (earlier) return { transfer: earlier, created: false };
      if (locked.balance <= 0) throw new AppError('CONFLICT', { en: 'Nothing to settle.', zh: '这家商户没有待结算的积分。' });
      const settlement = await repo.systemAccount(trx, 'settlement');
      const r = await this.points.transferIn(trx, ctx, {
        key: `settle:${merchantId}:${key}`, kind: 'settle', debitId: account.id, creditId: settlement.id, amount: locked.balance, note: `${m.name} 结算 ${beijingDay(nowOf(ctx))}`,
      }, { merchantId, key });
      await appendAudit(trx, ctx, { action: 'points.settle', subjectType: 'merchant', subjectId: merchantId, details: { points: locked.balance } });
      return r;
    });
  }

  async flags(ctx: RequestContext, q: { state?: FlagState; limit: number }) {
    const scope = allianceScope(ctx.actor);
    const rows = (await Promise.all(scope.map((p) => codes.flagsUnder(this.deps.db, p, q)))).flat();
    const seen = new Set<number>();
    return rows.filter((r) => !seen.has(r.id) && seen.add(r.id)).sort((a, b) => Number(b.state === 'open') - Number(a.state === 'open') || b.id - a.id).slice(0, q.limit);
  }

  async reviewFlag(ctx: RequestContext, id: number, state: 'cleared' | 'upheld', note: string) {
    await this.deps.db.transaction().execute(async (trx) => {
      const f = await codes.flagScope(trx, id);
      if (!f) throw notFound({ en: `Flag ${id}`, zh: `异常 ${id}` });
      const path = f.merchant_path ?? f.resident_path;
      if (path) assertMayManageAlliance(ctx.actor, path);
      else assertMaySetScheme(ctx.actor);
      if (f.state !== 'open') throw new AppError('CONFLICT', { en: `The flag is already ${f.state}.`, zh: '这条异常已经处理过了。' });
      await codes.reviewFlag(trx, id, { state, by: recordedUserId(ctx.actor), at: nowOf(ctx), note });
      await appendAudit(trx, ctx, { action: 'points.flag.review', subjectType: 'point_flag', subjectId: id, details: { state, note } });
    });
  }

  async scheme(ctx: RequestContext) {
    allianceScope(ctx.actor);
    return repo.scheme(this.deps.db);
  }

  async setScheme(ctx: RequestContext, v: { lotMonths: number | null; residentDailyRedemptions: number; residentDailyPoints: number; repeatWindowDays: number; repeatThreshold: number }) {
    assertMaySetScheme(ctx.actor);
    return this.deps.db.transaction().execute(async (trx) => {
      const row = await repo.updateScheme(trx, {
        lot_months: v.lotMonths, resident_daily_redemptions: v.residentDailyRedemptions, resident_daily_points: v.residentDailyPoints,
        repeat_window_days: v.repeatWindowDays, repeat_threshold: v.repeatThreshold, updated_by: recordedUserId(ctx.actor),
      });
      await appendAudit(trx, ctx, { action: 'points.scheme', subjectType: 'point_scheme', subjectId: 1, details: v });
      return row;
    });
  }

  async reconciliations(ctx: RequestContext) {
    allianceScope(ctx.actor);
    return repo.reconciliations(this.deps.db, 30);
  }

  /** An administrator runs the reconciliation now (the nightly job does the same). */
  async reconcileNow(ctx: RequestContext) {
    assertMaySetScheme(ctx.actor);
    return this.deps.db.transaction().execute((trx) => reconcileIn(trx, ctx));
  }

  private async node(ctx: RequestContext, nodeId: number) {
    const node = await getNode(this.deps.db, nodeId);
    if (!node) throw notFound({ en: `Node ${nodeId}`, zh: `节点 ${nodeId}` });
    assertMayManageAlliance(ctx.actor, node.path);
    return node;
  }

  private instants(range: Range) {
    if (range.from > range.to) throw new AppError('VALIDATION_FAILED', { en: '"from" is after "to".', zh: '开始日期晚于结束日期。' }, { from: range.from, to: range.to });
    return { from: startOfBeijingDay(range.from), to: startOfBeijingDay(shiftBeijingDay(range.to, 1)) };
  }

  private async audit(ctx: RequestContext, action: string, subjectType: string, subjectId: number, range: Range) {
    await this.deps.db.transaction().execute((trx) => appendAudit(trx, ctx, { action, subjectType, subjectId, details: { ...range } }));
  }
}
