import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { cursorId, page } from '../../core/cursor.ts';
import { nowOf, type RequestContext, recordedUserId } from '../../core/scope.ts';
import type { DB } from '../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';
import { listLabels, messagesOfMatter, recordLabel } from './labels.repository.ts';
import type { labelsQuery } from './sensing.schema.ts';
import { assertMayManageSensing } from './sensing.policy.ts';

/** The labels operators' decisions made (感知标注), read by administrators. */
export class LabelsService {
  constructor(private readonly deps: AppDeps) {}

  async list(ctx: RequestContext, q: z.infer<typeof labelsQuery>) {
    assertMayManageSensing(ctx.actor);
    const rows = await listLabels(this.deps.db, { source: q.source, beforeId: cursorId(q.cursor), limit: q.limit });
    return page(rows, q.limit, (r) => [r.id]);
  }
}

/**
 * Triage (研判) registered a matter made from group messages under another category than the messages were labelled
 * or sensed with: the correction becomes each message's label, in the registering transaction.
 */
export async function labelTriageCategory(trx: Kysely<DB>, ctx: RequestContext, matterId: number, categoryCode: string): Promise<void> {
  for (const m of await messagesOfMatter(trx, matterId)) {
    const had = m.label_id !== null ? m.label_category : m.category_code;
    if (had === categoryCode) continue;
    await recordLabel(trx, {
      messageId: m.id, text: m.text, actionable: true, urgentKind: m.label_id !== null ? m.label_urgent : m.urgent_kind, categoryCode,
      source: 'category_corrected', decidedBy: recordedUserId(ctx.actor), decidedAt: nowOf(ctx),
    });
  }
}
