import { api, unwrap } from '../../../api/client.ts';
import type { Item, Ok } from '../../../api/types.ts';
import { homeNodeId, listAll, type NodeRow } from '../console.ts';

/** The shapes the points pages read (德分宝 and the merchant alliance), from the generated schema. */
export type Merchant = Item<'/api/merchants'>;
export type MerchantDetail = Ok<'/api/merchants/{id}'>;
export type ShopItem = MerchantDetail['items'][number];
export type Hours = Item<'/api/points/hours'>;
export type HoursState = Hours['state'];
export type Flag = Item<'/api/points/flags'>;
export type FlagState = Flag['state'];
export type Rule = Item<'/api/points/rules'>;
export type Scheme = Ok<'/api/points/scheme'>;
export type Reconciliation = Item<'/api/points/reconciliations'>;
export type PointsFigures = Ok<'/api/points/figures'>;

export const HOURS_STATES = ['pending', 'approved', 'rejected'] as const satisfies readonly HoursState[];
export const FLAG_STATES = ['open', 'cleared', 'upheld'] as const satisfies readonly FlagState[];
/** The figures' columns, in the order the tables show them. */
export const FIGURES = ['registered', 'active', 'earned', 'redeemed', 'redemptions', 'volunteerHours'] as const;

export const stateType = (s: string): 'success' | 'warning' | 'danger' | 'info' =>
  s === 'active' || s === 'approved' || s === 'cleared' ? 'success' : s === 'pending' || s === 'open' ? 'warning' : s === 'suspended' || s === 'upheld' ? 'danger' : 'info';

/** The node and the communities and towns under it (no grids), for a scope picker: the signed-in staff member's part of the tree. */
export async function scopeNodes(): Promise<NodeRow[]> {
  const home = homeNodeId();
  if (!home) return [];
  const [self, under] = await Promise.all([
    unwrap(api.GET('/api/nodes/{id}', { params: { path: { id: home } } })).catch(() => null),
    listAll('/api/nodes', { under: home, limit: 500 }, 5000).catch(() => []),
  ]);
  return [...(self ? [self] : []), ...under.filter((n) => n.level !== 'grid' && n.id !== home)];
}

/** The communities a merchant may be onboarded in: the staff member's own, or those under their town. */
export async function communities(): Promise<NodeRow[]> {
  return (await scopeNodes()).filter((n) => n.level === 'community');
}
