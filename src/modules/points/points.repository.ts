import { type Kysely, sql } from 'kysely';
import type { EarnRule, TransferKind, TransferState } from '../../core/vocabulary.ts';
import type { DB } from '../../db/schema.ts';

/**
 * The points ledger's SQL. Balances move only by `balance = balance + delta` under the accounts' constraints (never
 * negative but issuance; holds covered by the balance), so the database, not a read in the application, refuses an
 * overdraft; accounts are updated in id order so two transfers never wait on each other crosswise.
 */

export type TransferRow = NonNullable<Awaited<ReturnType<typeof transferById>>>;
export type AccountRow = NonNullable<Awaited<ReturnType<typeof accountById>>>;

export const accountById = (db: Kysely<DB>, id: number) => db.selectFrom('point_accounts').selectAll().where('id', '=', id).executeTakeFirst();
export const systemAccount = (db: Kysely<DB>, kind: 'issuance' | 'expiry' | 'settlement') =>
  db.selectFrom('point_accounts').selectAll().where('kind', '=', kind).executeTakeFirstOrThrow();
export const residentAccount = (db: Kysely<DB>, residentId: number) =>
  db.selectFrom('point_accounts').selectAll().where('resident_id', '=', residentId).executeTakeFirst();

/** The resident's account, opened on first use (two first uses at once open one). */
export async function ensureResidentAccount(db: Kysely<DB>, residentId: number): Promise<AccountRow> {
  await db.insertInto('point_accounts').values({ kind: 'resident', resident_id: residentId }).onConflict((oc) => oc.column('resident_id').doNothing()).execute();
  const a = await residentAccount(db, residentId);
  if (!a) throw new Error(`the points account of resident ${residentId} did not open`);
  return a;
}

/** Locks the account row (FOR UPDATE): the caps of one resident's earnings are counted under it. */
export const lockAccount = (db: Kysely<DB>, id: number) => db.selectFrom('point_accounts').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();

export const insertTransfer = (db: Kysely<DB>, row: {
  key: string; bodyHash: string; kind: TransferKind; state: TransferState; debitId: number; creditId: number; amount: number; rule: EarnRule | null;
  reversesId: number | null; expiresAt: Date | null; note: string; createdBy: number | null; at: Date;
}) =>
  db.insertInto('point_transfers').values({
    key: row.key, body_hash: row.bodyHash, kind: row.kind, state: row.state, debit_id: row.debitId, credit_id: row.creditId, amount: row.amount, rule: row.rule,
    reverses_id: row.reversesId, expires_at: row.expiresAt, note: row.note, created_by: row.createdBy, created_at: row.at, resolved_at: row.state === 'posted' ? row.at : null,
  }).onConflict((oc) => oc.column('key').doNothing()).returningAll().executeTakeFirst();

export const transferById = (db: Kysely<DB>, id: number) => db.selectFrom('point_transfers').selectAll().where('id', '=', id).executeTakeFirst();
export const transferByKey = (db: Kysely<DB>, key: string) => db.selectFrom('point_transfers').selectAll().where('key', '=', key).executeTakeFirst();
export const lockTransfer = (db: Kysely<DB>, id: number) => db.selectFrom('point_transfers').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
export const reversalOf = (db: Kysely<DB>, id: number) => db.selectFrom('point_transfers').select('id').where('reverses_id', '=', id).executeTakeFirst();

export const resolveTransfer = (db: Kysely<DB>, id: number, state: 'posted' | 'voided' | 'expired', at: Date) =>
  db.updateTable('point_transfers').set({ state, resolved_at: at }).where('id', '=', id).where('state', '=', 'pending').executeTakeFirst();

/** Moves balances by the deltas, account by account in id order; a constraint refuses what would overdraw. */
export async function applyDeltas(db: Kysely<DB>, deltas: Array<{ accountId: number; balance?: number; held?: number }>): Promise<void> {
  for (const d of [...deltas].sort((a, b) => a.accountId - b.accountId)) {
    await db.updateTable('point_accounts').set((eb) => ({
      balance: eb('balance', '+', d.balance ?? 0),
      held: eb('held', '+', d.held ?? 0),
    })).where('id', '=', d.accountId).execute();
  }
}

export const insertEntries = (db: Kysely<DB>, transferId: number, rows: Array<{ accountId: number; delta: number }>, at: Date) =>
  db.insertInto('point_entries').values(rows.map((r) => ({ transfer_id: transferId, account_id: r.accountId, delta: r.delta, at }))).execute();

/** Points a rule credited to the account since each instant (today's and this month's Beijing midnights). */
export async function earnedSince(db: Kysely<DB>, accountId: number, rule: EarnRule, day: Date, month: Date) {
  const r = await db.selectFrom('point_transfers')
    .select([
      sql<number>`coalesce(sum(amount) filter (where created_at >= ${day}), 0)::int`.as('today'),
      sql<number>`coalesce(sum(amount), 0)::int`.as('month'),
    ])
    .where('credit_id', '=', accountId).where('rule', '=', rule).where('kind', '=', 'earn').where('state', '=', 'posted').where('created_at', '>=', month)
    .executeTakeFirstOrThrow();
  return { today: r.today, month: r.month };
}

export const rules = (db: Kysely<DB>) => db.selectFrom('point_rules').selectAll().orderBy('rule').execute();
export const ruleTerms = (db: Kysely<DB>, rule: EarnRule) => db.selectFrom('point_rules').selectAll().where('rule', '=', rule).executeTakeFirstOrThrow();
export const updateRule = (db: Kysely<DB>, rule: EarnRule, v: { points: number; daily_cap: number; monthly_cap: number; active: boolean; updated_by: number | null }) =>
  db.updateTable('point_rules').set({ ...v, updated_at: new Date() }).where('rule', '=', rule).returningAll().executeTakeFirstOrThrow();

/** An account's statement: its entries, newest first, with what moved them. */
export const statement = (db: Kysely<DB>, accountId: number, q: { afterId?: number; limit: number }) => {
  let query = db.selectFrom('point_entries as e').innerJoin('point_transfers as t', 't.id', 'e.transfer_id')
    .select(['e.id', 'e.delta', 'e.at', 't.id as transfer_id', 't.kind', 't.rule', 't.note', 't.reverses_id']).where('e.account_id', '=', accountId);
  if (q.afterId) query = query.where('e.id', '<', q.afterId);
  return query.orderBy('e.id', 'desc').limit(q.limit + 1).execute();
};

/** Holds whose time has passed, oldest first, for the expiry job. */
export const duePending = (db: Kysely<DB>, now: Date, limit: number) =>
  db.selectFrom('point_transfers').select('id').where('state', '=', 'pending').where('expires_at', '<=', now).orderBy('expires_at').limit(limit).execute();

/** The ledger's proof (对账): accounts whose balance is not the sum of their entries, and the total of all balances. */
export async function reconcile(db: Kysely<DB>) {
  const mismatched = await db.selectFrom('point_accounts as a')
    .leftJoin(db.selectFrom('point_entries').select(['account_id', sql<number>`sum(delta)::int`.as('sum')]).groupBy('account_id').as('e'), 'e.account_id', 'a.id')
    .select(['a.id', 'a.balance', sql<number>`coalesce(e.sum, 0)`.as('entries')])
    .where(sql<boolean>`a.balance <> coalesce(e.sum, 0)`).execute();
  const total = await db.selectFrom('point_accounts').select(sql<number>`coalesce(sum(balance), 0)::int`.as('total')).executeTakeFirstOrThrow();
  const entries = await db.selectFrom('point_entries').select(sql<number>`coalesce(sum(delta), 0)::int`.as('total')).executeTakeFirstOrThrow();
  return { mismatched, total: total.total, entriesTotal: entries.total };
}

/** The signed-in user's own active resident record (实名居民), whose account the points are. */
export const residentOfUser = (db: Kysely<DB>, userId: number) =>
  db.selectFrom('residents as r').innerJoin('nodes as g', 'g.id', 'r.grid_id').select(['r.id', 'r.name', 'g.path as grid_path'])
    .where('r.user_id', '=', userId).where('r.status', '=', 'active').orderBy('r.id').executeTakeFirst();
