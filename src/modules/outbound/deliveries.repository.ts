import { type Insertable, type Kysely, sql, type Updateable } from 'kysely';
import type { DB, OutboundDeliveriesTable } from '../../db/schema.ts';
import type { MatterStatus } from '../../core/vocabulary.ts';

/** The outbound queue: deliveries, their targets, the source groups of a matter and what its outcome says. */

/** A delivery with its group's chat id and platform, for sending one attempt. */
export const getDeliveryToSend = (db: Kysely<DB>, id: number) =>
  db.selectFrom('outbound_deliveries as d').innerJoin('online_groups as g', 'g.id', 'd.group_id')
    .select(['d.id', 'd.kind', 'd.status', 'd.attempts', 'd.payload', 'd.group_id', 'g.external_id', 'g.platform']).where('d.id', '=', id).executeTakeFirst();

export const lockDelivery = (db: Kysely<DB>, id: number) =>
  db.selectFrom('outbound_deliveries').select(['id', 'status', 'attempts', 'attempt_log', 'target_id']).where('id', '=', id).forUpdate().executeTakeFirst();

export const updateDelivery = (db: Kysely<DB>, id: number, patch: Updateable<OutboundDeliveriesTable>) =>
  db.updateTable('outbound_deliveries').set(patch).where('id', '=', id).execute();

/** Inserts a delivery once per dedupe key; undefined when the key was seen before. */
export const insertDeliveryOnce = (db: Kysely<DB>, row: Insertable<OutboundDeliveriesTable>) =>
  db.insertInto('outbound_deliveries').values(row).onConflict((oc) => oc.column('dedupe_key').doNothing()).returning('id').executeTakeFirst();

/** Failed → pending, for a manual retry; true for the one of two concurrent retries that found it failed. */
export async function reopenFailedDelivery(db: Kysely<DB>, id: number): Promise<boolean> {
  const res = await db.updateTable('outbound_deliveries').set({ status: 'pending' }).where('id', '=', id).where('status', '=', 'failed').executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** The active target of a group, with what sending needs. */
export const getActiveTargetOf = (db: Kysely<DB>, groupId: number) =>
  db.selectFrom('outbound_targets').select(['id', 'kind', 'url', 'secret']).where('group_id', '=', groupId).where('status', '=', 'active').executeTakeFirst();

export const listActiveTargetsOf = (db: Kysely<DB>, groupIds: number[]) =>
  db.selectFrom('outbound_targets').select(['id', 'group_id']).where('status', '=', 'active').where('group_id', 'in', groupIds).execute();

/** The active online groups a matter came from: its own source messages and those of matters merged into it. */
export async function sourceGroups(db: Kysely<DB>, matterId: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    with recursive family(id) as (
      select ${matterId}::int
      union
      select m.id from matters m join family f on m.merged_into_id = f.id
    )
    select distinct g.id from group_messages gm join online_groups g on g.id = gm.group_id
     where gm.matter_id in (select id from family) and g.status = 'active'
     order by g.id`.execute(db);
  return rows.map((r) => r.id);
}

export const getCategoryName = (db: Kysely<DB>, id: number) => db.selectFrom('categories').select('name').where('id', '=', id).executeTakeFirst();

/** The latest handling step of a matter (a reopened matter was handled again). */
export const latestHandling = (db: Kysely<DB>, matterId: number) =>
  db.selectFrom('matter_events').select(['id', 'note']).where('matter_id', '=', matterId).where('action', '=', 'handle').orderBy('id', 'desc').limit(1).executeTakeFirst();

export const resultPhotosOf = (db: Kysely<DB>, eventId: number) =>
  db.selectFrom('matter_photos').select('file_hash').where('event_id', '=', eventId).where('stage', '=', 'result').orderBy('id').execute();

/** True when a photo is a result photo of a matter in one of the statuses. */
export async function isResultPhotoOfStatus(db: Kysely<DB>, hash: string, statuses: readonly MatterStatus[]): Promise<boolean> {
  const { rows } = await sql<{ one: number }>`select 1 as one from matter_photos p join matters m on m.id = p.matter_id
     where p.file_hash = ${hash} and p.stage = 'result' and m.status in (${sql.join(statuses)}) limit 1`.execute(db);
  return rows.length > 0;
}
