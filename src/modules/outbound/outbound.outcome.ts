import type { Kysely } from 'kysely';
import { publicText, publicTitle } from '../../core/matters/public.ts';
import type { DB, MatterRow } from '../../db/schema.ts';
import { getCategoryName, latestHandling, resultPhotosOf, sourceGroups } from './deliveries.repository.ts';
import { enqueueDeliveries } from './outbound.queue.ts';
import type { DeliveryFacts } from './outbound.render.ts';

/**
 * The close hook (小事不出群): when a matter closes, each online group it came from hears the outcome where the
 * resident asked. Runs inside the closing step's transaction, so the deliveries exist exactly when the close
 * commits; the dedupe key carries the close event, so a matter reopened and closed again reports twice.
 */
export async function enqueueMatterOutcome(trx: Kysely<DB>, m: MatterRow, closeEventId: number, at: Date): Promise<number[]> {
  const groups = await sourceGroups(trx, m.id);
  if (groups.length === 0) return [];
  const category = m.category_id ? await getCategoryName(trx, m.category_id) : undefined;
  // What was done: the latest handling step (a reopened matter was handled again) and its result photos.
  const handled = await latestHandling(trx, m.id);
  const photos = handled ? await resultPhotosOf(trx, handled.id) : [];
  // A group is the public: the title and the note as the public page shows them, and the page by its public code.
  const categoryName = category?.name ?? null;
  const facts: DeliveryFacts = {
    type: 'matter_outcome',
    matter: {
      id: m.id, code: m.code, publicCode: m.public_code, title: publicTitle({ title: m.title, titlePublic: m.title_public }, categoryName),
      category: categoryName, note: publicText(handled?.note ?? null), status: m.status,
      closedAt: (m.closed_at ?? at).toISOString(),
    },
    photos: photos.map((p) => p.file_hash),
  };
  return enqueueDeliveries(trx, groups.map((groupId) => ({
    groupId, kind: 'matter_outcome', matterId: m.id, facts, dedupeKey: `outcome:${m.id}:${closeEventId}:${groupId}`,
  })), at);
}
