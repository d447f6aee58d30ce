import type { PointsService } from './points.service.ts';

type Mine = Awaited<ReturnType<PointsService['mine']>>;
type Rule = Awaited<ReturnType<PointsService['rules']>>[number];

/** My account: what I have, what codes hold, what I can spend, and the statement. */
export const presentMine = ({ account, items, nextCursor }: Mine) => ({
  balance: account.balance, held: account.held, available: account.balance - account.held,
  items: items.map((e) => ({ id: e.id, delta: e.delta, at: new Date(e.at).toISOString(), kind: e.kind, rule: e.rule, note: e.note, reversal: e.reverses_id !== null })),
  nextCursor,
});

export const presentRule = (r: Rule) => ({ rule: r.rule, points: r.points, dailyCap: r.daily_cap, monthlyCap: r.monthly_cap, active: r.active, updatedAt: new Date(r.updated_at).toISOString() });
