import type { Kysely } from 'kysely';
import type { AccountState, AddressState } from '../../core/throttle.ts';
import type { DB } from '../../db/schema.ts';

/**
 * The password throttle's two counters. The lock* functions make sure the row exists and lock it in one
 * statement (an upsert that rewrites nothing), so the caller's transaction reads, decides and writes the
 * count with no other try in between. Every caller locks the address row before the account's window row.
 */
export const lockAddress = (db: Kysely<DB>, account: string, address: string, now: Date) =>
  db.insertInto('login_attempts').values({ account, address, failures: 0, last_at: now })
    .onConflict((oc) => oc.columns(['account', 'address']).doUpdateSet((eb) => ({ failures: eb.ref('login_attempts.failures') })))
    .returning(['failures', 'last_at']).executeTakeFirstOrThrow();

export const lockWindow = (db: Kysely<DB>, account: string, now: Date) =>
  db.insertInto('login_windows').values({ account, failures: 0, window_start: now })
    .onConflict((oc) => oc.column('account').doUpdateSet((eb) => ({ failures: eb.ref('login_windows.failures') })))
    .returning(['failures', 'window_start']).executeTakeFirstOrThrow();

export const saveAddress = (db: Kysely<DB>, account: string, address: string, s: AddressState) =>
  db.updateTable('login_attempts').set({ failures: s.failures, last_at: s.lastAt }).where('account', '=', account).where('address', '=', address).execute();

export const saveWindow = (db: Kysely<DB>, account: string, s: AccountState) =>
  db.updateTable('login_windows').set({ failures: s.failures, window_start: s.windowStart }).where('account', '=', account).execute();

/** After a right password: the address starts afresh, and the try counted in the account's window is given back. */
export async function releaseSuccess(db: Kysely<DB>, account: string, address: string): Promise<void> {
  await db.deleteFrom('login_attempts').where('account', '=', account).where('address', '=', address).execute();
  await db.updateTable('login_windows').set((eb) => ({ failures: eb('failures', '-', 1) })).where('account', '=', account).where('failures', '>', 0).execute();
}

/** An administrator's unlock: every address's back-off and the account's window; what was there, for the audit. */
export async function clearAccount(db: Kysely<DB>, account: string): Promise<{ addresses: number; windowFailures: number }> {
  const addresses = await db.deleteFrom('login_attempts').where('account', '=', account).returning('address').execute();
  const window = await db.deleteFrom('login_windows').where('account', '=', account).returning('failures').executeTakeFirst();
  return { addresses: addresses.length, windowFailures: window?.failures ?? 0 };
}

/**
 * Removes up to `limit` rows of each table untouched since `before`, skipping rows a try holds locked, so the
 * clean-up never waits for (or deadlocks with) a login.
 */
export async function purgeBefore(db: Kysely<DB>, before: Date, limit = 500): Promise<void> {
  await db.deleteFrom('login_attempts')
    .where(({ eb, refTuple, selectFrom }) => eb(refTuple('account', 'address'), 'in',
      selectFrom('login_attempts').select(['account', 'address']).where('last_at', '<', before).limit(limit).forUpdate().skipLocked().$asTuple('account', 'address')))
    .execute();
  await db.deleteFrom('login_windows')
    .where('account', 'in', (qb) => qb.selectFrom('login_windows').select('account').where('window_start', '<', before).limit(limit).forUpdate().skipLocked())
    .execute();
}
