import { type Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { DB } from '../src/db/schema.ts';
import { useTestTown } from './helpers/town.ts';

// The demo year is written in bulk from memory (via 'rows', the default) because the services take minutes for it;
// this loads one sample both ways into two fresh databases and compares them row by row, so the bulk path can
// never drift from what the services write.
// Seed 6 with 80 matters walks every side path of the loop (checked below), at a fixed end so it never moves.
const MATTERS = 80;
const SEED = 6;
const end = new Date('2026-11-21T12:00:00+08:00');
const SIDE_PATHS = ['report', 'register', 'dispatch', 'accept', 'handle', 'verify_pass', 'rate_ok', 'close', 'reject', 'return', 'reassign', 'remind', 'overdue',
  'escalate', 'summon', 'assist_done', 'return_visit', 'merge', 'extend', 'suspend', 'resume', 'rate_bad', 'verify_fail'];

type Row = Record<string, unknown>;
interface Snapshot { [table: string]: Row[] }

/** Everything the year writes, in a stable order, without what only says when a row was inserted or what is random. */
async function snapshot(db: Kysely<DB>): Promise<Snapshot> {
  const q = async (query: ReturnType<typeof sql<Row>>) => (await query.execute(db)).rows;
  return {
    matters: await q(sql<Row>`select * from matters order by id`).then((rows) => rows.map(({ public_code, updated_at, contact_phone_enc, ...r }) => r)),
    events: await q(sql<Row>`select * from matter_events order by id`),
    assignments: await q(sql<Row>`select * from matter_assignments order by id`),
    reporters: await q(sql<Row>`select matter_id, resident_id, user_id, from_matter_id from matter_reporters order by matter_id, from_matter_id nulls first, id`),
    requests: await q(sql<Row>`select * from matter_requests order by id`),
    counts: await q(sql<Row>`select * from matter_counts order by node_id, day, source, category_id, level, status`),
    metrics: await q(sql<Row>`select * from matter_metrics order by subject, day`),
    openJobs: await q(sql<Row>`select kind, matter_id, run_at, dedupe_key, payload from jobs where status = 'pending' order by dedupe_key`),
    notices: await q(sql<Row>`select user_id, resident_id, matter_id, kind, body from notices where matter_id is not null order by matter_id, kind, user_id, resident_id, body`),
    noticeCount: await q(sql<Row>`select count(*)::int as n from notices`),
    auditCount: await q(sql<Row>`select count(*)::int as n from audit_log`),
  };
}

const show = (v: unknown) => (v instanceof Date ? v.toISOString() : JSON.stringify(v));

/** Readable differences: a missing or extra row, or each differing field, at most `limit` lines. */
function differences(services: Snapshot, rows: Snapshot, limit = 30): string[] {
  const out: string[] = [];
  for (const table of Object.keys(services)) {
    const a = services[table] ?? [];
    const b = rows[table] ?? [];
    if (a.length !== b.length) out.push(`${table}: ${a.length} rows through the services, ${b.length} in bulk`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      for (const key of new Set([...Object.keys(a[i] ?? {}), ...Object.keys(b[i] ?? {})])) {
        const x = show(a[i]?.[key]);
        const y = show(b[i]?.[key]);
        if (x !== y) out.push(`${table}[${i}] (${show(a[i]?.id ?? a[i]?.matter_id ?? a[i]?.subject ?? a[i]?.node_id)}).${key}: services ${x}, bulk ${y}`);
      }
    }
  }
  return out.slice(0, limit);
}

describe('the demo year in bulk equals the demo year through the services', () => {
  const viaServices = useTestTown({ seed: 'demo', demoYear: { matters: MATTERS, seed: SEED, end, via: 'services' }, timeout: 900_000 });
  const inBulk = useTestTown({ seed: 'demo', demoYear: { matters: MATTERS, seed: SEED, end, via: 'rows' }, timeout: 300_000 });

  it('takes the same steps without a refusal', () => {
    expect(viaServices.year.refused).toEqual({});
    expect(inBulk.year.refused).toEqual({});
    const { seconds: _a, ...a } = viaServices.year;
    const { seconds: _b, ...b } = inBulk.year;
    expect(b).toEqual(a);
  });

  it('writes the same matters, timelines, assignments, requests, rollups, open jobs and notices', async () => {
    const a = await snapshot(viaServices.deps.db);
    const b = await snapshot(inBulk.deps.db);
    expect(differences(a, b)).toEqual([]);
    // The sample is worth comparing only if it walks the loop's side paths too.
    const actions = new Set(a.events?.map((e) => e.action));
    expect(SIDE_PATHS.filter((action) => !actions.has(action))).toEqual([]);
  });

  it('notices a single altered field', async () => {
    const a = await snapshot(viaServices.deps.db);
    // Changed inside a transaction that is rolled back, so the database stays as the year left it.
    const altered = await inBulk.deps.db.transaction().execute(async (trx) => {
      await sql`update matter_events set note = 'altered' where id = (select max(id) from matter_events where action = 'handle')`.execute(trx);
      const b = await snapshot(trx);
      await sql`update matter_counts set n = n + 1 where node_id = (select min(node_id) from matter_counts)`.execute(trx);
      const c = await snapshot(trx);
      throw Object.assign(new Error('roll back'), { found: [differences(a, b), differences(a, c)] });
    }).catch((e: { found?: string[][] }) => e.found ?? []);
    expect(altered[0]).toHaveLength(1);
    expect(altered[0]?.[0]).toMatch(/^events\[\d+\] \(\d+\)\.note: services ".+", bulk "altered"$/);
    expect(altered[1]?.some((d) => d.startsWith('counts[') && d.includes('.n: services'))).toBe(true);
  });
});
