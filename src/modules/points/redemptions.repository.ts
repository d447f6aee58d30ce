import { type Kysely, sql } from 'kysely';
import type { FlagState, PointFlagKind, RedemptionState } from '../../core/vocabulary.ts';
import type { DB } from '../../db/schema.ts';

/**
 * Redemption codes (兑换码) and what watches them: the code's row next to its hold, the day's counts the limits are
 * checked against, wrong codes typed at a merchant, and the flags raised for review (异常).
 */

export type RedemptionRow = NonNullable<Awaited<ReturnType<typeof redemptionById>>>;

const columns = [
  'd.id', 'd.code', 'd.request_key', 'd.resident_id', 'd.merchant_id', 'd.item_id', 'd.quantity', 'd.points', 'd.transfer_id', 'd.state', 'd.expires_at',
  'd.created_at', 'd.resolved_at', 'd.resolved_by', 'd.reason', 'i.name as item_name', 'm.name as merchant_name', 'm.address as merchant_address',
] as const;

const joined = (db: Kysely<DB>) =>
  db.selectFrom('redemptions as d').innerJoin('merchant_items as i', 'i.id', 'd.item_id').innerJoin('merchants as m', 'm.id', 'd.merchant_id');

export const redemptionById = (db: Kysely<DB>, id: number) => joined(db).select(columns).where('d.id', '=', id).executeTakeFirst();
/** A code's row with its resident's name, for the counter (masked there). */
export const counterRow = (db: Kysely<DB>, id: number) =>
  joined(db).innerJoin('residents as r', 'r.id', 'd.resident_id').select(columns).select('r.name as resident_name').where('d.id', '=', id).executeTakeFirst();
export const redemptionByKey = (db: Kysely<DB>, key: string) => joined(db).select(columns).where('d.request_key', '=', key).executeTakeFirst();

/** The code's row, locked (FOR NO KEY UPDATE): two scans of one code at once confirm it once. */
export const lockByCode = (db: Kysely<DB>, code: string) => db.selectFrom('redemptions').selectAll().where('code', '=', code).forNoKeyUpdate().executeTakeFirst();
export const lockById = (db: Kysely<DB>, id: number) => db.selectFrom('redemptions').selectAll().where('id', '=', id).forNoKeyUpdate().executeTakeFirst();

export const codeTaken = async (db: Kysely<DB>, code: string) => !!(await db.selectFrom('redemptions').select('id').where('code', '=', code).executeTakeFirst());

export const insertRedemption = (db: Kysely<DB>, row: {
  code: string; requestKey: string; residentId: number; merchantId: number; itemId: number; quantity: number; points: number; transferId: number; expiresAt: Date; at: Date;
}) =>
  db.insertInto('redemptions').values({
    code: row.code, request_key: row.requestKey, resident_id: row.residentId, merchant_id: row.merchantId, item_id: row.itemId, quantity: row.quantity,
    points: row.points, transfer_id: row.transferId, expires_at: row.expiresAt, created_at: row.at,
  }).returning('id').executeTakeFirstOrThrow();

export const resolveRedemption = (db: Kysely<DB>, id: number, patch: { state: Exclude<RedemptionState, 'pending'>; at: Date; by: number | null; reason: string }) =>
  db.updateTable('redemptions').set({ state: patch.state, resolved_at: patch.at, resolved_by: patch.by, reason: patch.reason }).where('id', '=', id).where('state', '=', 'pending').executeTakeFirst();

/** A resident's codes, newest first. */
export const redemptionsOfResident = (db: Kysely<DB>, residentId: number, limit: number) =>
  joined(db).select(columns).where('d.resident_id', '=', residentId).orderBy('d.id', 'desc').limit(limit).execute();

/** A merchant's redemptions since an instant (today's list at the counter, a report's period), newest first. */
export const redemptionsAt = (db: Kysely<DB>, merchantId: number, from: Date, to: Date) =>
  joined(db).innerJoin('residents as r', 'r.id', 'd.resident_id').select(columns).select('r.name as resident_name')
    .where('d.merchant_id', '=', merchantId).where('d.created_at', '>=', from).where('d.created_at', '<', to).orderBy('d.id', 'desc').execute();

/** Codes past their five minutes that still hold points, oldest first, for the expiry job. */
export const duePending = (db: Kysely<DB>, now: Date, limit: number) =>
  db.selectFrom('redemptions').select('id').where('state', '=', 'pending').where('expires_at', '<=', now).orderBy('expires_at').limit(limit).execute();

/** A resident's redemptions today that count against the limits: held or confirmed (not declined, not expired). */
export const residentDay = (db: Kysely<DB>, residentId: number, from: Date) =>
  db.selectFrom('redemptions').select([sql<number>`count(*)::int`.as('count'), sql<number>`coalesce(sum(points), 0)::int`.as('points')])
    .where('resident_id', '=', residentId).where('created_at', '>=', from).where('state', 'in', ['pending', 'confirmed']).executeTakeFirstOrThrow();

export const merchantDay = (db: Kysely<DB>, merchantId: number, from: Date) =>
  db.selectFrom('redemptions').select(sql<number>`coalesce(sum(points), 0)::int`.as('points'))
    .where('merchant_id', '=', merchantId).where('created_at', '>=', from).where('state', 'in', ['pending', 'confirmed']).executeTakeFirstOrThrow();

/** How many times one resident redeemed at one merchant since an instant (confirmed ones). */
export const pairCount = async (db: Kysely<DB>, residentId: number, merchantId: number, from: Date) =>
  (await db.selectFrom('redemptions').select(sql<number>`count(*)::int`.as('n'))
    .where('resident_id', '=', residentId).where('merchant_id', '=', merchantId).where('created_at', '>=', from).where('state', '=', 'confirmed').executeTakeFirstOrThrow()).n;

export const insertMiss = (db: Kysely<DB>, merchantId: number, userId: number | null, at: Date) =>
  db.insertInto('merchant_code_misses').values({ merchant_id: merchantId, user_id: userId, at }).execute();

export const missesSince = async (db: Kysely<DB>, merchantId: number, from: Date) =>
  (await db.selectFrom('merchant_code_misses').select(sql<number>`count(*)::int`.as('n')).where('merchant_id', '=', merchantId).where('at', '>=', from).executeTakeFirstOrThrow()).n;

// ---- flags (异常) ----
export const insertFlag = (db: Kysely<DB>, row: {
  kind: PointFlagKind; dedupeKey: string; residentId?: number | null; merchantId?: number | null; redemptionId?: number | null; details: Record<string, unknown>; at: Date;
}) =>
  db.insertInto('point_flags').values({
    kind: row.kind, dedupe_key: row.dedupeKey, resident_id: row.residentId ?? null, merchant_id: row.merchantId ?? null, redemption_id: row.redemptionId ?? null,
    details: JSON.stringify(row.details), created_at: row.at,
  }).onConflict((oc) => oc.column('dedupe_key').doNothing()).returning('id').executeTakeFirst();

/** Flags under a path (through the merchant's community or the resident's grid), open first, newest first. */
export const flagsUnder = (db: Kysely<DB>, path: string, q: { state?: FlagState; limit: number }) => {
  let query = db.selectFrom('point_flags as f')
    .leftJoin('merchants as m', 'm.id', 'f.merchant_id').leftJoin('nodes as c', 'c.id', 'm.community_id')
    .leftJoin('residents as r', 'r.id', 'f.resident_id').leftJoin('nodes as g', 'g.id', 'r.grid_id')
    .select(['f.id', 'f.kind', 'f.resident_id', 'f.merchant_id', 'f.redemption_id', 'f.details', 'f.state', 'f.reviewed_by', 'f.reviewed_at', 'f.note', 'f.created_at',
      'm.name as merchant_name', 'r.name as resident_name'])
    .where((eb) => eb.or([eb('c.path', 'like', `${path}%`), eb('g.path', 'like', `${path}%`), eb.and([eb('f.merchant_id', 'is', null), eb('f.resident_id', 'is', null)])]));
  if (q.state) query = query.where('f.state', '=', q.state);
  return query.orderBy(sql`f.state = 'open'`, 'desc').orderBy('f.id', 'desc').limit(q.limit).execute();
};

export const flagScope = (db: Kysely<DB>, id: number) =>
  db.selectFrom('point_flags as f')
    .leftJoin('merchants as m', 'm.id', 'f.merchant_id').leftJoin('nodes as c', 'c.id', 'm.community_id')
    .leftJoin('residents as r', 'r.id', 'f.resident_id').leftJoin('nodes as g', 'g.id', 'r.grid_id')
    .select(['f.id', 'f.state', 'c.path as merchant_path', 'g.path as resident_path']).where('f.id', '=', id).forNoKeyUpdate('f').executeTakeFirst();

export const reviewFlag = (db: Kysely<DB>, id: number, patch: { state: 'cleared' | 'upheld'; by: number | null; at: Date; note: string }) =>
  db.updateTable('point_flags').set({ state: patch.state, reviewed_by: patch.by, reviewed_at: patch.at, note: patch.note }).where('id', '=', id).execute();
