import { type Insertable, type Kysely, type Selectable, sql, type Updateable } from 'kysely';
import type { DB, GroupMessagesTable } from '../../db/schema.ts';

export type MessageRow = Selectable<GroupMessagesTable>;
export type NewMessage = Insertable<GroupMessagesTable> & { dedupe_key: string };

/**
 * One multi-row insert; rows already taken in (same dedupe key) are skipped and their existing ids
 * returned, so a replay answers with the first copy. Results follow the input order.
 */
export async function insertMessages(db: Kysely<DB>, rows: NewMessage[]): Promise<{ id: number; inserted: boolean }[]> {
  if (rows.length === 0) return [];
  const inserted = await db.insertInto('group_messages').values(rows).onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning(['id', 'dedupe_key']).execute();
  const byKey = new Map(inserted.map((r) => [r.dedupe_key, Number(r.id)]));
  const missing = rows.map((r) => r.dedupe_key).filter((k) => !byKey.has(k));
  const existing = missing.length ? await db.selectFrom('group_messages').select(['id', 'dedupe_key']).where('dedupe_key', 'in', missing).execute() : [];
  const old = new Map(existing.map((r) => [r.dedupe_key, Number(r.id)]));
  // A key twice in one batch: the first occurrence is the insert, later ones are replays of it.
  const seen = new Set<string>();
  return rows.map((r) => {
    const fresh = byKey.get(r.dedupe_key);
    if (fresh !== undefined && !seen.has(r.dedupe_key)) {
      seen.add(r.dedupe_key);
      return { id: fresh, inserted: true };
    }
    return { id: fresh ?? old.get(r.dedupe_key) ?? 0, inserted: false };
  });
}

export const getMessage = (db: Kysely<DB>, id: number) => db.selectFrom('group_messages').selectAll().where('id', '=', id).executeTakeFirst();
export const lockMessage = (db: Kysely<DB>, id: number) => db.selectFrom('group_messages').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export const messageStates = (db: Kysely<DB>, ids: number[]) =>
  ids.length ? db.selectFrom('group_messages').select(['id', 'state']).where('id', 'in', ids).execute() : Promise.resolve([]);

export const updateMessage = (db: Kysely<DB>, id: number, patch: Updateable<GroupMessagesTable>) =>
  db.updateTable('group_messages').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();

/** Gives the messages held under an external group id their group and grid, as new. */
export const releaseHeld = (db: Kysely<DB>, externalGroupId: string, group: { id: number; grid_id: number }) =>
  db.updateTable('group_messages').set({ group_id: group.id, grid_id: group.grid_id, state: 'new' })
    .where('state', '=', 'held').where('external_group_id', '=', externalGroupId).returningAll().execute();

/** NOTIFY on a channel; delivered to listeners when the transaction commits. */
export const notify = async (db: Kysely<DB>, channel: string, payload: string) => {
  await sql`select pg_notify(${channel}, ${payload})`.execute(db);
};

export interface MessageFilter {
  prefixes: string[];
  gridId?: number;
  groupId?: number;
  state?: MessageRow['state'];
  actionable?: boolean;
  urgent?: boolean;
  from?: Date;
  to?: Date;
  beforeId?: number;
  limit: number;
}

/** Messages in the caller's subtrees, newest first, by id for a stable keyset. */
export function listMessages(db: Kysely<DB>, f: MessageFilter) {
  let q = db.selectFrom('group_messages as m').innerJoin('nodes as n', 'n.id', 'm.grid_id').leftJoin('online_groups as g', 'g.id', 'm.group_id')
    .selectAll('m').select(['g.name as group_name', 'n.name as grid_name'])
    .where((eb) => eb.or(f.prefixes.map((p) => eb('n.path', 'like', `${p}%`))));
  if (f.gridId) q = q.where('m.grid_id', '=', f.gridId);
  if (f.groupId) q = q.where('m.group_id', '=', f.groupId);
  if (f.state) q = q.where('m.state', '=', f.state);
  if (f.actionable !== undefined) q = q.where('m.actionable', '=', f.actionable);
  if (f.urgent !== undefined) q = q.where('m.urgency', '=', f.urgent ? 'urgent' : 'normal');
  if (f.from) q = q.where('m.received_at', '>=', f.from);
  if (f.to) q = q.where('m.received_at', '<', f.to);
  if (f.beforeId) q = q.where('m.id', '<', f.beforeId);
  return q.orderBy('m.id', 'desc').limit(f.limit + 1).execute();
}

export const listHeld = (db: Kysely<DB>, limit: number, beforeId?: number) => {
  let q = db.selectFrom('group_messages').selectAll().where('state', '=', 'held');
  if (beforeId) q = q.where('id', '<', beforeId);
  return q.orderBy('id', 'desc').limit(limit + 1).execute();
};

/** Figures per grid for the stats page; communities are summed from their grids by the service. */
export async function onlineFigures(db: Kysely<DB>, underPath: string, from: Date, to: Date) {
  const { rows } = await sql<{ grid_id: number; grid_name: string; grid_path: string; messages: number; actionable: number; urgent: number; to_matter: number; handled_in_group: number }>`
    select n.id as grid_id, n.name as grid_name, n.path as grid_path,
      count(*)::int as messages,
      (count(*) filter (where m.actionable))::int as actionable,
      (count(*) filter (where m.urgency = 'urgent'))::int as urgent,
      (count(*) filter (where m.state = 'to_matter'))::int as to_matter,
      (count(*) filter (where m.state = 'handled_in_group'))::int as handled_in_group
    from group_messages m join nodes n on n.id = m.grid_id
    where n.path like ${`${underPath}%`} and m.received_at >= ${from} and m.received_at < ${to}
    group by n.id, n.name, n.path order by n.path`.execute(db);
  return rows;
}

export async function heldCount(db: Kysely<DB>, from: Date, to: Date): Promise<number> {
  const row = await db.selectFrom('group_messages').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'held')
    .where('received_at', '>=', from).where('received_at', '<', to).executeTakeFirstOrThrow();
  return Number(row.n);
}
