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

/** Locks the account row (FOR NO KEY UPDATE, which lets a new transfer's foreign key to it through): the caps of one resident's earnings are counted under it. */
export const lockAccount = (db: Kysely<DB>, id: number) => db.selectFrom('point_accounts').selectAll().where('id', '=', id).forNoKeyUpdate().executeTakeFirstOrThrow();

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
export const lockTransfer = (db: Kysely<DB>, id: number) => db.selectFrom('point_transfers').selectAll().where('id', '=', id).forNoKeyUpdate().executeTakeFirst();
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

// ---- the scheme (积分方案) ----
export const scheme = (db: Kysely<DB>) => db.selectFrom('point_scheme').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
export const updateScheme = (db: Kysely<DB>, v: { lot_months: number | null; resident_daily_redemptions: number; resident_daily_points: number; repeat_window_days: number; repeat_threshold: number; updated_by: number | null }) =>
  db.updateTable('point_scheme').set({ ...v, updated_at: new Date() }).where('id', '=', 1).returningAll().executeTakeFirstOrThrow();

// ---- reconciliation (对账) ----
export const insertReconciliation = (db: Kysely<DB>, row: { at: Date; ok: boolean; accounts: number; total: number; entriesTotal: number; mismatched: unknown[] }) =>
  db.insertInto('point_reconciliations').values({
    ran_at: row.at, ok: row.ok, accounts: row.accounts, total: row.total, entries_total: row.entriesTotal, mismatched: JSON.stringify(row.mismatched),
  }).returningAll().executeTakeFirstOrThrow();
export const reconciliations = (db: Kysely<DB>, limit: number) => db.selectFrom('point_reconciliations').selectAll().orderBy('id', 'desc').limit(limit).execute();
export const accountCount = async (db: Kysely<DB>) => (await db.selectFrom('point_accounts').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;

// ---- expiry of lots (积分过期) ----
/** Resident accounts with points earned before the cutoff and a balance left: the candidates for expiry. */
export const expiryCandidates = (db: Kysely<DB>, cutoff: Date) =>
  db.selectFrom('point_accounts as a').select(['a.id']).where('a.kind', '=', 'resident').where('a.balance', '>', 0)
    .where((eb) => eb.exists(eb.selectFrom('point_entries as e').select('e.id').whereRef('e.account_id', '=', 'a.id').where('e.delta', '>', 0).where('e.at', '<', cutoff)))
    .orderBy('a.id').execute();
/** An account's movements in time order, for the oldest-first lots. */
export const movements = (db: Kysely<DB>, accountId: number) =>
  db.selectFrom('point_entries').select(['at', 'delta']).where('account_id', '=', accountId).orderBy('at').orderBy('id').execute();

// ---- the scheme's figures (积分统计) ----
/**
 * Per grid under a path over [from, to): residents with an account (registered), accounts that moved (active), points
 * earned (earn transfers, less their reversals), points redeemed (confirmed codes), and approved volunteer minutes.
 */
export async function figuresByGrid(db: Kysely<DB>, path: string, from: Date, to: Date, fromDay: string, toDay: string) {
  const rows = await db.selectFrom('nodes as g')
    .select(['g.id', 'g.path'])
    .select((eb) => [
      eb.selectFrom('point_accounts as a').innerJoin('residents as r', 'r.id', 'a.resident_id').select(sql<number>`count(*)::int`.as('n'))
        .whereRef('r.grid_id', '=', 'g.id').where('a.created_at', '<', to).as('registered'),
      eb.selectFrom('point_entries as e').innerJoin('point_accounts as a', 'a.id', 'e.account_id').innerJoin('residents as r', 'r.id', 'a.resident_id')
        .select(sql<number>`count(distinct e.account_id)::int`.as('n')).whereRef('r.grid_id', '=', 'g.id').where('e.at', '>=', from).where('e.at', '<', to).as('active'),
      eb.selectFrom('point_transfers as t').innerJoin('point_accounts as a', 'a.id', 't.credit_id').innerJoin('residents as r', 'r.id', 'a.resident_id')
        .select(sql<number>`coalesce(sum(t.amount), 0)::int`.as('n')).whereRef('r.grid_id', '=', 'g.id').where('t.kind', '=', 'earn').where('t.state', '=', 'posted')
        .where('t.created_at', '>=', from).where('t.created_at', '<', to).as('earned'),
      eb.selectFrom('point_transfers as t').innerJoin('point_accounts as a', 'a.id', 't.debit_id').innerJoin('residents as r', 'r.id', 'a.resident_id')
        .innerJoin('point_transfers as o', 'o.id', 't.reverses_id')
        .select(sql<number>`coalesce(sum(t.amount), 0)::int`.as('n')).whereRef('r.grid_id', '=', 'g.id').where('t.kind', '=', 'reverse').where('o.kind', '=', 'earn')
        .where('t.created_at', '>=', from).where('t.created_at', '<', to).as('reversed'),
      eb.selectFrom('redemptions as d').innerJoin('residents as r', 'r.id', 'd.resident_id')
        .select([sql<number>`coalesce(sum(d.points), 0)::int`.as('n')]).whereRef('r.grid_id', '=', 'g.id').where('d.state', '=', 'confirmed')
        .where('d.resolved_at', '>=', from).where('d.resolved_at', '<', to).as('redeemed'),
      eb.selectFrom('redemptions as d').innerJoin('residents as r', 'r.id', 'd.resident_id')
        .select([sql<number>`count(*)::int`.as('n')]).whereRef('r.grid_id', '=', 'g.id').where('d.state', '=', 'confirmed')
        .where('d.resolved_at', '>=', from).where('d.resolved_at', '<', to).as('redemptions'),
      eb.selectFrom('volunteer_hours as h').innerJoin('residents as r', 'r.id', 'h.resident_id')
        .select(sql<number>`coalesce(sum(h.minutes), 0)::int`.as('n')).whereRef('r.grid_id', '=', 'g.id').where('h.state', '=', 'approved')
        .where('h.served_on', '>=', fromDay).where('h.served_on', '<', toDay).as('volunteer_minutes'),
    ])
    .where('g.level', '=', 'grid').where('g.path', 'like', `${path}%`).orderBy('g.path').execute();
  return rows.map((r) => ({
    id: r.id, path: r.path, registered: r.registered ?? 0, active: r.active ?? 0, earned: (r.earned ?? 0) - (r.reversed ?? 0),
    redeemed: r.redeemed ?? 0, redemptions: r.redemptions ?? 0, volunteerMinutes: r.volunteer_minutes ?? 0,
  }));
}

// ---- settlement (结算) ----
/** Per merchant under a path over [from, to): codes confirmed and their points, points settled, and the balance now. */
export const settlementRows = (db: Kysely<DB>, path: string, from: Date, to: Date) =>
  db.selectFrom('merchants as m').innerJoin('nodes as c', 'c.id', 'm.community_id').leftJoin('point_accounts as a', 'a.merchant_id', 'm.id')
    .select(['m.id', 'm.name', 'm.state', 'c.name as community_name', sql<number>`coalesce(a.balance, 0)`.as('balance')])
    .select((eb) => [
      eb.selectFrom('redemptions as d').select(sql<number>`count(*)::int`.as('n')).whereRef('d.merchant_id', '=', 'm.id').where('d.state', '=', 'confirmed')
        .where('d.resolved_at', '>=', from).where('d.resolved_at', '<', to).as('confirmed'),
      eb.selectFrom('redemptions as d').select(sql<number>`coalesce(sum(d.points), 0)::int`.as('n')).whereRef('d.merchant_id', '=', 'm.id').where('d.state', '=', 'confirmed')
        .where('d.resolved_at', '>=', from).where('d.resolved_at', '<', to).as('points'),
      eb.selectFrom('point_transfers as t').select(sql<number>`coalesce(sum(t.amount), 0)::int`.as('n')).whereRef('t.debit_id', '=', 'a.id').where('t.kind', '=', 'settle')
        .where('t.created_at', '>=', from).where('t.created_at', '<', to).as('settled'),
    ])
    .where('c.path', 'like', `${path}%`).orderBy('c.path').orderBy('m.name').execute();

/** The active administrators' accounts: who hears of a failed reconciliation. */
export const adminUserIds = async (db: Kysely<DB>): Promise<number[]> =>
  (await db.selectFrom('role_assignments as ra').innerJoin('users as u', 'u.id', 'ra.user_id').select('u.id').distinct()
    .where('ra.role', '=', 'admin').where('ra.ended_at', 'is', null).where('u.status', '=', 'active').orderBy('u.id').execute()).map((r) => r.id);

/** A node's active children, by code: the rows of a figures table. */
export const childrenOf = (db: Kysely<DB>, nodeId: number) =>
  db.selectFrom('nodes').select(['id', 'name', 'code', 'path', 'level']).where('parent_id', '=', nodeId).where('status', '=', 'active').orderBy('code').execute();
