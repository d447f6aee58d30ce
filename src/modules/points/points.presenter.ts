import { maskPersonName } from '../../core/deliberation/stages.ts';
import { isOpenAt, qrPayload } from '../../core/points/shop.ts';
import type * as shop from './merchants.repository.ts';
import type { MerchantsService } from './merchants.service.ts';
import type { PointsService } from './points.service.ts';
import type { RedemptionRow } from './redemptions.repository.ts';
import type { PointsReportsService } from './reports.service.ts';
import type { HoursRow } from './volunteer.repository.ts';

type Mine = Awaited<ReturnType<PointsService['mine']>>;
type Rule = Awaited<ReturnType<PointsService['rules']>>[number];

/** My account: what I have, what codes hold, what I can spend, and the statement. */
export const presentMine = ({ account, items, nextCursor }: Mine) => ({
  balance: account.balance, held: account.held, available: account.balance - account.held,
  items: items.map((e) => ({ id: e.id, delta: e.delta, at: new Date(e.at).toISOString(), kind: e.kind, rule: e.rule, note: e.note, reversal: e.reverses_id !== null })),
  nextCursor,
});

export const presentRule = (r: Rule) => ({ rule: r.rule, points: r.points, dailyCap: r.daily_cap, monthlyCap: r.monthly_cap, active: r.active, updatedAt: new Date(r.updated_at).toISOString() });

type MerchantRow = shop.MerchantRow;
type ItemRow = shop.ItemRow;
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export const presentItem = (i: ItemRow) => ({ id: i.id, name: i.name, description: i.description, points: i.points, stock: i.stock, active: i.active });

/** A merchant as the alliance shows it: hours, whether it is open now, its community, its items. */
export const presentMerchant = (m: MerchantRow & { itemList?: ItemRow[] }, now = new Date()) => ({
  id: m.id, name: m.name, address: m.address, description: m.description, opens: m.opens, closes: m.closes, openNow: m.state === 'active' && isOpenAt(m.opens, m.closes, now),
  dailyPointsCap: m.daily_points_cap, state: m.state, stateReason: m.state_reason, community: { id: m.community_id, name: m.community_name },
  items: (m.itemList ?? []).map(presentItem),
});

export const presentMerchantDetail = (m: Awaited<ReturnType<MerchantsService['get']>>) => ({
  ...presentMerchant(m),
  keepers: m.keepers.map((k) => ({ id: k.id, name: k.display_name, phone: k.phone_masked, resident: k.resident_id !== null })),
});

/** A code as its resident sees it: the digits and the QR only while it still holds the points. */
export const presentRedemption = (r: RedemptionRow) => {
  const live = r.state === 'pending';
  return {
    id: r.id, code: live ? r.code : null, qr: live ? qrPayload(r.code) : null, state: r.state, item: { id: r.item_id, name: r.item_name },
    merchant: { id: r.merchant_id, name: r.merchant_name, address: r.merchant_address }, quantity: r.quantity, points: r.points,
    expiresAt: new Date(r.expires_at).toISOString(), createdAt: new Date(r.created_at).toISOString(), resolvedAt: iso(r.resolved_at), reason: r.reason,
  };
};

/** A code as the counter sees it: the resident's name masked, only the code's last four digits. */
export const presentCounter = (r: RedemptionRow & { resident_name: string }) => {
  const { code: _code, qr: _qr, ...rest } = presentRedemption(r);
  return { ...rest, resident: maskPersonName(r.resident_name), codeTail: r.code.slice(-4) };
};

/** Volunteer hours, read only by the resident and the staff of their grid (the services scope them): the name in full. */
export const presentHours = (h: HoursRow) => ({
  id: h.id, resident: { id: h.resident_id, name: h.resident_name }, grid: h.grid_name, activity: h.activity,
  servedOn: String(h.served_on).slice(0, 10), minutes: h.minutes, state: h.state, recordedBy: h.recorder_name, decidedBy: h.decider_name, decidedAt: iso(h.decided_at),
  reason: h.reason, points: h.points,
});

export const presentFlag = (f: Awaited<ReturnType<PointsReportsService['flags']>>[number]) => ({
  id: f.id, kind: f.kind, state: f.state, merchant: f.merchant_id !== null ? { id: f.merchant_id, name: f.merchant_name ?? '' } : null,
  resident: f.resident_id !== null ? { id: f.resident_id, name: maskPersonName(f.resident_name ?? '') } : null, redemptionId: f.redemption_id,
  details: f.details as Record<string, unknown>, note: f.note, createdAt: new Date(f.created_at).toISOString(), reviewedAt: iso(f.reviewed_at),
});

export const presentScheme = (s: Awaited<ReturnType<PointsReportsService['scheme']>>) => ({
  lotMonths: s.lot_months, residentDailyRedemptions: s.resident_daily_redemptions, residentDailyPoints: s.resident_daily_points,
  repeatWindowDays: s.repeat_window_days, repeatThreshold: s.repeat_threshold, updatedAt: new Date(s.updated_at).toISOString(),
});

export const presentReconciliation = (r: Awaited<ReturnType<PointsReportsService['reconciliations']>>[number]) => ({
  id: r.id, ranAt: new Date(r.ran_at).toISOString(), ok: r.ok, accounts: r.accounts, total: r.total, entriesTotal: r.entries_total, mismatched: r.mismatched,
});
