import type { Kysely } from 'kysely';
import { countDeltas, metricDeltas, type RollupChange } from '../../core/stats/deltas.ts';
import type { DB } from '../../db/schema.ts';
import { addCounts, addMetrics } from './stats.repository.ts';

export type { MatterFacts, RollupChange } from '../../core/stats/deltas.ts';
export { assigneeSubject } from '../../core/stats/deltas.ts';

/**
 * Keeps matter_counts and matter_metrics up to date with one change to a matter. Call it inside the
 * transaction that makes the change, with the facts before (null on creation) and after, so statistics
 * never drift from the matters and never need a scan of history. At most one statement per table.
 */
export async function applyRollups(trx: Kysely<DB>, change: RollupChange): Promise<void> {
  await addCounts(trx, countDeltas(change));
  await addMetrics(trx, metricDeltas(change));
}
