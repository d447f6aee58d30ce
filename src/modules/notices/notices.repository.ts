import type { ExpressionBuilder, Insertable, Kysely } from 'kysely';
import type { DB, NoticesTable } from '../../db/schema.ts';
import type { NoticeOwner } from './notices.policy.ts';

const whose = (owner: NoticeOwner) => (eb: ExpressionBuilder<DB, 'notices'>) =>
  eb.or([eb('user_id', '=', owner.userId), ...(owner.residentId ? [eb('resident_id', '=', owner.residentId)] : [])]);

/** Notices for people (reminders, urgent alerts, outcomes), written in the transaction of what caused them. */
export const insertNotices = async (db: Kysely<DB>, rows: Insertable<NoticesTable>[]): Promise<void> => {
  if (rows.length) await db.insertInto('notices').values(rows).execute();
};

export function listNotices(db: Kysely<DB>, owner: NoticeOwner, q: { unreadOnly: boolean; limit: number }) {
  const rows = db.selectFrom('notices').selectAll().where(whose(owner)).orderBy('id', 'desc').limit(q.limit);
  return (q.unreadOnly ? rows.where('read_at', 'is', null) : rows).execute();
}

export const countUnread = async (db: Kysely<DB>, owner: NoticeOwner) =>
  (await db.selectFrom('notices').select((eb) => eb.fn.countAll<number>().as('n')).where(whose(owner)).where('read_at', 'is', null).executeTakeFirstOrThrow()).n;

/** Marks one notice read if it is the owner's; answers how many rows it touched (0 or 1). */
export async function markRead(db: Kysely<DB>, owner: NoticeOwner, id: number, at: Date): Promise<number> {
  const result = await db.updateTable('notices').set({ read_at: at }).where('id', '=', id).where(whose(owner)).executeTakeFirst();
  return Number(result.numUpdatedRows);
}
