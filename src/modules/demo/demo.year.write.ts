// Writing the demo year taken in memory: a chunk of matters a transaction, each with its reporters, assignments,
// requests, timeline, notices, pending deadline jobs and its share of the rollups, so every commit is whole.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Insertable, Kysely } from 'kysely';
import type { CountDelta, MetricDelta } from '../../core/stats/deltas.ts';
import type { Channel, MatterStatus } from '../../core/vocabulary.ts';
import type { AssignmentRow, DB, JobsTable, MatterRow, NoticesTable } from '../../db/schema.ts';
import { addCounts, addMetrics } from '../stats/stats.repository.ts';
import * as repo from './demo.year.repository.ts';

export interface Request { id: number; matter_id: number; assignment_id: number | null; kind: 'suspend' | 'extend'; reason: string; extend_to: Date | null;
  status: 'pending' | 'approved' | 'rejected'; requested_by: number | null; requested_at: Date; decided_by: number | null; decided_at: Date | null; decision_note: string | null }
export interface Reporter { id: number; matter_id: number; resident_id: number | null; user_id: number | null; from_matter_id: number | null }
export interface Event { id: number; matter_id: number; at: Date; actor_user_id: number | null; actor_role: string; channel: Channel; action: string;
  status_before: MatterStatus | null; status_after: MatterStatus; note: string | null; details: string }

/** One matter as the services would have left it, with everything hanging off it. */
export interface Held {
  m: MatterRow;
  assignments: AssignmentRow[];
  reporters: Reporter[];
  requests: Request[];
  events: Event[];
  notices: Insertable<NoticesTable>[];
  counts: Map<string, CountDelta>;
  metrics: Map<string, MetricDelta>;
}
export interface WriteOptions { log?: (message: string) => void; signal?: AbortSignal; chunk?: number }

/**
 * Writes the matters in id order, `chunk` of them a transaction (a short hold on PGlite's one session), yielding to
 * the event loop between chunks so the server answers meanwhile. Rollup deltas are summed per chunk and added.
 */
export async function writeYear(db: Kysely<DB>, held: Held[], pendingJobs: (matterIds: ReadonlySet<number>) => Insertable<JobsTable>[], opts: WriteOptions = {}): Promise<void> {
  const all = [...held].sort((a, b) => a.m.id - b.m.id);
  const per = opts.chunk ?? 100;
  // A reporter copied into an earlier matter by a merge names the later one: it is written with the later one's chunk.
  const chunkOf = new Map(all.map((h, i) => [h.m.id, Math.floor(i / per)]));
  const reporters: Reporter[][] = [];
  for (const h of all) {
    for (const r of h.reporters) {
      const at = Math.max(chunkOf.get(r.matter_id) ?? 0, chunkOf.get(r.from_matter_id ?? r.matter_id) ?? 0);
      reporters[at] = [...(reporters[at] ?? []), r];
    }
  }
  for (let i = 0; i < all.length; i += per) {
    if (opts.signal?.aborted) return;
    await nextTurn();
    const part = all.slice(i, i + per);
    await db.transaction().execute(async (trx) => {
      await repo.insertYearRows(trx, {
        matters: part.map(({ m }) => {
          const { public_code: _made, ...row } = m; // the column's default makes it, as for every matter
          return row;
        }),
        reporters: (reporters[i / per] ?? []).sort(byId),
        assignments: part.flatMap((h) => h.assignments).sort(byId),
        requests: part.flatMap((h) => h.requests).sort(byId),
        events: part.flatMap((h) => h.events).sort(byId),
        notices: part.flatMap((h) => h.notices),
        jobs: pendingJobs(new Set(part.map((h) => h.m.id))),
      });
      const { counts, metrics } = sums(part);
      for (let j = 0; j < counts.length; j += 2000) await addCounts(trx, counts.slice(j, j + 2000));
      for (let j = 0; j < metrics.length; j += 1000) await addMetrics(trx, metrics.slice(j, j + 1000));
    });
    opts.log?.(`demo year: wrote ${Math.min(i + per, all.length)}/${all.length} matters`);
  }
}

/** The chunk's rollup deltas summed by key; a key touched keeps its row even at zero, as the services' upserts do. */
function sums(part: Held[]): { counts: CountDelta[]; metrics: MetricDelta[] } {
  const counts = new Map<string, CountDelta>();
  const metrics = new Map<string, MetricDelta>();
  for (const h of part) {
    for (const [k, d] of h.counts) {
      const sum = counts.get(k);
      if (sum) sum.n += d.n;
      else counts.set(k, { ...d });
    }
    for (const [k, d] of h.metrics) {
      const sum = metrics.get(k);
      if (!sum) metrics.set(k, { subject: d.subject, day: d.day, counters: { ...d.counters } });
      else for (const [c, n] of Object.entries(d.counters) as [keyof typeof d.counters, number][]) sum.counters[c] += n;
    }
  }
  return { counts: [...counts.values()], metrics: [...metrics.values()] };
}

const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;
