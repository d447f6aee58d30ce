import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** When the codes sent to a number (or from an IP) since a moment were created, for the send throttle. */
export const codeSendsToPhone = (db: Kysely<DB>, phoneHash: string, since: Date) =>
  db.selectFrom('phone_codes').select('created_at').where('phone_hash', '=', phoneHash).where('created_at', '>', since).execute();

export const codeSendsFromIp = (db: Kysely<DB>, ip: string, since: Date) =>
  db.selectFrom('phone_codes').select('created_at').where('ip', '=', ip).where('created_at', '>', since).execute();

export const deleteCodesBefore = (db: Kysely<DB>, before: Date) => db.deleteFrom('phone_codes').where('created_at', '<', before).execute();

export const insertCode = (db: Kysely<DB>, row: { phoneHash: string; codeHash: string; ip: string; createdAt: Date; expiresAt: Date }) =>
  db.insertInto('phone_codes').values({ phone_hash: row.phoneHash, code_hash: row.codeHash, ip: row.ip, created_at: row.createdAt, expires_at: row.expiresAt }).execute();

export const latestCode = (db: Kysely<DB>, phoneHash: string) =>
  db.selectFrom('phone_codes').selectAll().where('phone_hash', '=', phoneHash).orderBy('id', 'desc').limit(1).executeTakeFirst();

/**
 * Counts one try, in the same statement that decides the code may be tried at all (not used, not expired at
 * `now`, tries left); the new count, or undefined when it may not be tried (then nothing is compared).
 */
export const reserveTry = (db: Kysely<DB>, id: number, now: Date, maxTries: number) =>
  db.updateTable('phone_codes').set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id).where('used_at', 'is', null).where('expires_at', '>', now).where('attempts', '<', maxTries)
    .returning('attempts').executeTakeFirst();

export const codeById = (db: Kysely<DB>, id: number) =>
  db.selectFrom('phone_codes').select(['expires_at', 'attempts', 'used_at']).where('id', '=', id).executeTakeFirst();

/**
 * Marks the code used (its try was already counted by reserveTry at the same `now`); undefined when another
 * request claimed it first.
 */
export const claimCode = (db: Kysely<DB>, id: number, now: Date) =>
  db.updateTable('phone_codes').set({ used_at: now })
    .where('id', '=', id).where('used_at', 'is', null).where('expires_at', '>', now)
    .returning('id').executeTakeFirst();

export const usersWithPhone = (db: Kysely<DB>, phoneHash: string) =>
  db.selectFrom('users').select(['id', 'username', 'display_name', 'status']).where('phone_hash', '=', phoneHash).orderBy('id').execute();

/** Up to two active towns, so the caller can tell "exactly one" from "several". */
export const activeTowns = (db: Kysely<DB>) => db.selectFrom('nodes').select('id').where('level', '=', 'town').where('status', '=', 'active').orderBy('id').limit(2).execute();

export const activeRoot = (db: Kysely<DB>) =>
  db.selectFrom('nodes').select('id').where('parent_id', 'is', null).where('status', '=', 'active').orderBy('id').executeTakeFirst();
