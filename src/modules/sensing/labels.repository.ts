import type { Kysely } from 'kysely';
import { beijingDay, DAY_MS, HOUR_MS, startOfBeijingDay } from '../../core/beijing.ts';
import type { UrgentKind } from '../../core/vocabulary.ts';
import type { DB, SensingLabelSource } from '../../db/schema.ts';
import { insertJobOnce } from '../jobs/jobs.repository.ts';

/** The durable job that trains a candidate model from the base set and the town's labels. */
export const RETRAIN_JOB = 'sensing.retrain';

/** What an operator's decision says a message should have been sensed as. */
export interface LabelInput {
  messageId: number | null;
  text: string;
  actionable: boolean;
  urgentKind: UrgentKind | string | null;
  categoryCode: string | null;
  source: SensingLabelSource;
  decidedBy: number | null;
  decidedAt: Date;
}

/** The first 03:00 Beijing time after `at`: when the nightly retrain runs. */
export function nextRetrainAt(at: Date): Date {
  const three = startOfBeijingDay(beijingDay(at)).getTime() + 3 * HOUR_MS;
  return new Date(three > at.getTime() ? three : three + DAY_MS);
}

/**
 * Records the label of a decision in the decision's own transaction: one row per message (the latest decision is the
 * label), and one pending retrain job for the next 03:00 Beijing time (the same dedupe key for every label of that night).
 */
export async function recordLabel(trx: Kysely<DB>, l: LabelInput): Promise<void> {
  const row = {
    message_id: l.messageId, text: l.text, actionable: l.actionable, urgent_kind: l.urgentKind, category_code: l.categoryCode,
    source: l.source, decided_by: l.decidedBy, decided_at: l.decidedAt,
  };
  if (l.messageId === null) await trx.insertInto('sensing_labels').values(row).execute();
  else {
    await trx.insertInto('sensing_labels').values(row).onConflict((oc) => oc.column('message_id').doUpdateSet({
      text: row.text, actionable: row.actionable, urgent_kind: row.urgent_kind, category_code: row.category_code,
      source: row.source, decided_by: row.decided_by, decided_at: row.decided_at,
    })).execute();
  }
  const runAt = nextRetrainAt(l.decidedAt);
  await insertJobOnce(trx, { kind: RETRAIN_JOB, run_at: runAt, dedupe_key: `${RETRAIN_JOB}:${beijingDay(runAt)}`, payload: JSON.stringify({ scheduled: true }) });
}

/** The current label of a message, if any decision made one. */
export const labelOfMessage = (db: Kysely<DB>, messageId: number) =>
  db.selectFrom('sensing_labels').selectAll().where('message_id', '=', messageId).executeTakeFirst();

/** Labels newest first by id (keyset), optionally of one source. */
export function listLabels(db: Kysely<DB>, f: { source?: SensingLabelSource; beforeId?: number; limit: number }) {
  let q = db.selectFrom('sensing_labels').selectAll();
  if (f.source) q = q.where('source', '=', f.source);
  if (f.beforeId) q = q.where('id', '<', f.beforeId);
  return q.orderBy('id', 'desc').limit(f.limit + 1).execute();
}

/** Every label, oldest first, for training. */
export const allLabels = (db: Kysely<DB>) =>
  db.selectFrom('sensing_labels').select(['id', 'text', 'actionable', 'urgent_kind', 'category_code']).orderBy('id').execute();

/** The messages a matter was made from, with their current labels, for a correction at triage. */
export const messagesOfMatter = (db: Kysely<DB>, matterId: number) =>
  db.selectFrom('group_messages as m').leftJoin('sensing_labels as l', 'l.message_id', 'm.id')
    .select(['m.id', 'm.text', 'm.category_code', 'm.urgent_kind', 'l.category_code as label_category', 'l.urgent_kind as label_urgent', 'l.id as label_id'])
    .where('m.matter_id', '=', matterId).orderBy('m.id').execute();

export const categoryCodeById = async (db: Kysely<DB>, id: number | null) =>
  id === null ? null : ((await db.selectFrom('categories').select('code').where('id', '=', id).executeTakeFirst())?.code ?? null);
