import { type Kysely, sql } from 'kysely';
import type { MerchantState } from '../../core/vocabulary.ts';
import type { DB } from '../../db/schema.ts';

/**
 * The merchant alliance's SQL (德商联盟): merchants in their community, their keepers (the accounts that scan codes),
 * their items at point prices. Stock moves only by `stock = stock - n` under its constraint (never below zero; null is
 * a service without a count), so two codes cannot both take the last one.
 */

export type MerchantRow = NonNullable<Awaited<ReturnType<typeof merchantById>>>;
export type ItemRow = NonNullable<Awaited<ReturnType<typeof itemById>>>;

const merchantColumns = [
  'm.id', 'm.community_id', 'm.name', 'm.address', 'm.description', 'm.opens', 'm.closes', 'm.daily_points_cap', 'm.state', 'm.state_reason', 'm.created_at', 'm.updated_at',
  'c.name as community_name', 'c.path as community_path',
] as const;

export const merchantById = (db: Kysely<DB>, id: number) =>
  db.selectFrom('merchants as m').innerJoin('nodes as c', 'c.id', 'm.community_id').select(merchantColumns).where('m.id', '=', id).executeTakeFirst();

export const lockMerchant = (db: Kysely<DB>, id: number) => db.selectFrom('merchants').select(['id', 'state']).where('id', '=', id).forNoKeyUpdate().executeTakeFirst();

/** Merchants under a path (a community, a town), with their item counts, by community then name. */
export const merchantsUnder = (db: Kysely<DB>, path: string, q: { activeOnly: boolean }) => {
  let query = db.selectFrom('merchants as m').innerJoin('nodes as c', 'c.id', 'm.community_id').select(merchantColumns)
    .select((eb) => eb.selectFrom('merchant_items as i').select(sql<number>`count(*)::int`.as('n')).whereRef('i.merchant_id', '=', 'm.id').where('i.active', '=', true).as('items'))
    .where('c.path', 'like', `${path}%`);
  if (q.activeOnly) query = query.where('m.state', '=', 'active');
  return query.orderBy('c.path').orderBy('m.name').orderBy('m.id').execute();
};

export const insertMerchant = (db: Kysely<DB>, row: {
  communityId: number; name: string; address: string; description: string; opens: string; closes: string; dailyPointsCap: number; createdBy: number | null; at: Date;
}) =>
  db.insertInto('merchants').values({
    community_id: row.communityId, name: row.name, address: row.address, description: row.description, opens: row.opens, closes: row.closes,
    daily_points_cap: row.dailyPointsCap, created_by: row.createdBy, created_at: row.at, updated_at: row.at,
  }).returning('id').executeTakeFirstOrThrow();

export const updateMerchant = (db: Kysely<DB>, id: number, patch: Partial<{
  name: string; address: string; description: string; opens: string; closes: string; daily_points_cap: number; state: MerchantState; state_reason: string;
}>, at: Date) => db.updateTable('merchants').set({ ...patch, updated_at: at }).where('id', '=', id).executeTakeFirst();

export const insertKeeper = (db: Kysely<DB>, merchantId: number, userId: number) =>
  db.insertInto('merchant_keepers').values({ merchant_id: merchantId, user_id: userId }).onConflict((oc) => oc.columns(['merchant_id', 'user_id']).doNothing()).execute();

/** The keepers of a merchant: their accounts with a masked phone, and the resident record each is linked to. */
export const keepersOf = (db: Kysely<DB>, merchantId: number) =>
  db.selectFrom('merchant_keepers as k').innerJoin('users as u', 'u.id', 'k.user_id')
    .select(['u.id', 'u.display_name', 'u.phone_masked', 'u.status'])
    .select((eb) => eb.selectFrom('residents as r').select('r.id').whereRef('r.user_id', '=', 'u.id').where('r.status', '=', 'active').limit(1).as('resident_id'))
    .where('k.merchant_id', '=', merchantId).orderBy('u.id').execute();

/** The merchants whose codes this account may scan. */
export const merchantsKeptBy = (db: Kysely<DB>, userId: number) =>
  db.selectFrom('merchant_keepers as k').innerJoin('merchants as m', 'm.id', 'k.merchant_id').innerJoin('nodes as c', 'c.id', 'm.community_id')
    .select(merchantColumns).where('k.user_id', '=', userId).orderBy('m.id').execute();

export const isKeeper = async (db: Kysely<DB>, merchantId: number, userId: number) =>
  !!(await db.selectFrom('merchant_keepers').select('user_id').where('merchant_id', '=', merchantId).where('user_id', '=', userId).executeTakeFirst());

/** The residents who keep a merchant (a keeper's account linked to the register): they may not redeem there. */
export const keeperResidentIds = async (db: Kysely<DB>, merchantId: number): Promise<number[]> =>
  (await db.selectFrom('merchant_keepers as k').innerJoin('residents as r', 'r.user_id', 'k.user_id').select('r.id').where('k.merchant_id', '=', merchantId).execute()).map((r) => r.id);

export const usersWithPhone = (db: Kysely<DB>, phoneHash: string) =>
  db.selectFrom('users').select(['id', 'username', 'display_name', 'status']).where('phone_hash', '=', phoneHash).orderBy('id').execute();

/** The merchant's points account, opened with the merchant. */
export async function ensureMerchantAccount(db: Kysely<DB>, merchantId: number) {
  await db.insertInto('point_accounts').values({ kind: 'merchant', merchant_id: merchantId }).onConflict((oc) => oc.column('merchant_id').doNothing()).execute();
  return db.selectFrom('point_accounts').selectAll().where('merchant_id', '=', merchantId).executeTakeFirstOrThrow();
}

// ---- items ----
export const itemById = (db: Kysely<DB>, id: number) => db.selectFrom('merchant_items').selectAll().where('id', '=', id).executeTakeFirst();

export const itemsOf = (db: Kysely<DB>, merchantIds: readonly number[], q: { activeOnly: boolean }) => {
  if (merchantIds.length === 0) return Promise.resolve([]);
  let query = db.selectFrom('merchant_items').selectAll().where('merchant_id', 'in', merchantIds);
  if (q.activeOnly) query = query.where('active', '=', true);
  return query.orderBy('merchant_id').orderBy('points').orderBy('id').execute();
};

export const insertItem = (db: Kysely<DB>, row: { merchantId: number; name: string; description: string; points: number; stock: number | null; at: Date }) =>
  db.insertInto('merchant_items').values({
    merchant_id: row.merchantId, name: row.name, description: row.description, points: row.points, stock: row.stock, created_at: row.at, updated_at: row.at,
  }).returningAll().executeTakeFirstOrThrow();

export const updateItem = (db: Kysely<DB>, id: number, patch: Partial<{ name: string; description: string; points: number; stock: number | null; active: boolean }>, at: Date) =>
  db.updateTable('merchant_items').set({ ...patch, updated_at: at }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();

/** Takes `n` from an item's stock (a service without a count is untouched); the constraint refuses below zero. */
export const takeStock = (db: Kysely<DB>, itemId: number, n: number) =>
  db.updateTable('merchant_items').set((eb) => ({ stock: eb('stock', '-', n) })).where('id', '=', itemId).where('stock', 'is not', null).execute();

export const returnStock = (db: Kysely<DB>, itemId: number, n: number) =>
  db.updateTable('merchant_items').set((eb) => ({ stock: eb('stock', '+', n) })).where('id', '=', itemId).where('stock', 'is not', null).execute();

/** The path of the town a grid lies in (the alliance is the town's; a tree without towns falls back to its root). */
export async function townPathOf(db: Kysely<DB>, gridPath: string): Promise<string> {
  const town = await db.selectFrom('nodes').select('path').where('level', '=', 'town').where(sql<boolean>`${gridPath} like path || '%'`).orderBy('path').executeTakeFirst();
  return town?.path ?? `/${gridPath.split('/').filter(Boolean)[0] ?? ''}/`;
}
