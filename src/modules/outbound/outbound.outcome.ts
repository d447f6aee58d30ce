import type { Kysely } from 'kysely';
import type { DB, MatterRow } from '../../db/schema.ts';
import { enqueueDeliveries, sourceGroups } from './outbound.queue.ts';
import type { DeliveryFacts } from './outbound.render.ts';

/**
 * The close hook (小事不出群): when a matter closes, each online group it came from hears the outcome where the
 * resident asked. Runs inside the closing step's transaction, so the deliveries exist exactly when the close
 * commits; the dedupe key carries the close event, so a matter reopened and closed again reports twice.
 */
export async function enqueueMatterOutcome(trx: Kysely<DB>, m: MatterRow, closeEventId: number, at: Date): Promise<number[]> {
  const groups = await sourceGroups(trx, m.id);
  if (groups.length === 0) return [];
  const category = m.category_id ? await trx.selectFrom('categories').select('name').where('id', '=', m.category_id).executeTakeFirst() : undefined;
  // What was done: the latest handling step (a reopened matter was handled again) and its result photos.
  const handled = await trx.selectFrom('matter_events').select(['id', 'note']).where('matter_id', '=', m.id).where('action', '=', 'handle')
    .orderBy('id', 'desc').limit(1).executeTakeFirst();
  const photos = handled
    ? await trx.selectFrom('matter_photos').select('file_hash').where('event_id', '=', handled.id).where('stage', '=', 'result').orderBy('id').execute()
    : [];
  const facts: DeliveryFacts = {
    type: 'matter_outcome',
    matter: {
      id: m.id, code: m.code, title: m.title, category: category?.name ?? null, note: handled?.note ?? null, status: m.status,
      closedAt: (m.closed_at ?? at).toISOString(),
    },
    photos: photos.map((p) => p.file_hash),
  };
  return enqueueDeliveries(trx, groups.map((groupId) => ({
    groupId, kind: 'matter_outcome', matterId: m.id, facts, dedupeKey: `outcome:${m.id}:${closeEventId}:${groupId}`,
  })), at);
}
