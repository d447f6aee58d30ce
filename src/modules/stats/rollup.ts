import type { Kysely } from 'kysely';
import { countDeltas, type MetricCounter, metricDeltas, type RollupChange } from '../../core/stats/deltas.ts';
import type { DB } from '../../db/schema.ts';

export type { MatterFacts, RollupChange } from '../../core/stats/deltas.ts';
export { assigneeSubject, beijingDay } from '../../core/stats/deltas.ts';

/**
 * Keeps matter_counts and matter_metrics up to date with one change to a matter. Call it inside the
 * transaction that makes the change, with the facts before (null on creation) and after, so statistics
 * never drift from the matters and never need a scan of history. At most one statement per table.
 */
export async function applyRollups(trx: Kysely<DB>, change: RollupChange): Promise<void> {
  const counts = countDeltas(change);
  if (counts.length > 0) {
    await trx.insertInto('matter_counts')
      .values(counts.map((r) => ({ node_id: r.nodeId, day: r.day, source: r.source, category_id: r.categoryId, level: r.level, status: r.status, n: r.n })))
      .onConflict((oc) => oc.columns(['node_id', 'day', 'source', 'category_id', 'level', 'status'])
        .doUpdateSet((eb) => ({ n: eb('matter_counts.n', '+', eb.ref('excluded.n')) })))
      .execute();
  }
  const metrics = metricDeltas(change);
  if (metrics.length > 0) {
    await trx.insertInto('matter_metrics')
      .values(metrics.map((r) => ({ subject: r.subject, day: r.day, ...r.counters })))
      .onConflict((oc) => oc.columns(['subject', 'day']).doUpdateSet((eb) => {
        const plus = (c: MetricCounter) => eb(`matter_metrics.${c}`, '+', eb.ref(`excluded.${c}`));
        return {
          due: plus('due'), closed: plus('closed'), closed_on_time: plus('closed_on_time'), handled: plus('handled'), reworked: plus('reworked'),
          rated: plus('rated'), satisfied: plus('satisfied'), basically: plus('basically'), dissatisfied: plus('dissatisfied'), closes: plus('closes'),
          handling_seconds: plus('handling_seconds'), suspended: plus('suspended'), extended: plus('extended'), escalated: plus('escalated'),
        };
      }))
      .execute();
  }
}

