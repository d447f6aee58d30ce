import { type RawBuilder, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { beijingDay } from '../src/core/beijing.ts';
import { DEMO_PASSWORD } from '../src/modules/demo/demo.loader.ts';
import { SOURCE_SHARES } from '../src/modules/demo/demo.year.plan.ts';
import { useTestTown } from './helpers/town.ts';

const MATTERS = 300;

interface Summary {
  reported: { total: number; bySource: Record<string, number>; byStatus: Record<string, number>; byLevel: Record<string, number> };
  rated: number; satisfied: number; basically: number; dissatisfied: number; satisfactionRate: number | null; handled: number; closes: number;
}

// A smaller demo year (300 matters) replayed through the real services: proportions, outcomes, a
// timeline for every matter, and statistics rollups that agree with the rows they summarise.
describe('the demo year', () => {
  // A fixed end keeps the sample (and so every figure below) the same on every run and every engine.
  const end = new Date('2026-11-21T12:00:00+08:00');
  const t = useTestTown({ seed: 'demo', demoYear: { matters: MATTERS, end } });

  const rows = async <R>(query: RawBuilder<R>) => (await query.execute(t.deps.db)).rows;

  it('reports every matter through the services without a refusal', () => {
    expect(t.year.refused).toEqual({});
    expect(t.year.matters).toBe(MATTERS);
    expect(t.year.steps).toBeGreaterThan(MATTERS * 6);
    expect(t.year.jobsRun).toBeGreaterThan(0);
  });

  it('keeps the sources in their realistic proportions', async () => {
    const counts = await rows(sql<{ source: string; n: number }>`select source, count(*)::int as n from matters group by source`);
    for (const [source, share] of Object.entries(SOURCE_SHARES)) {
      const n = counts.find((c) => c.source === source)?.n ?? 0;
      expect(Math.abs(n / MATTERS - share / 100), source).toBeLessThan(0.03);
    }
  });

  it('rates about 92% satisfied or basically satisfied, with reopenings, returns and overdue ones along the way', async () => {
    expect(t.year.satisfactionRate).toBeGreaterThanOrEqual(0.88);
    expect(t.year.satisfactionRate).toBeLessThanOrEqual(0.96);
    const actions = await rows(sql<{ action: string; n: number }>`select action, count(*)::int as n from matter_events group by action`);
    const n = (action: string) => actions.find((a) => a.action === action)?.n ?? 0;
    for (const action of ['rate_bad', 'reject', 'merge', 'return', 'reassign', 'overdue', 'escalate', 'remind', 'return_visit']) expect(n(action), action).toBeGreaterThan(0);
  });

  it('gives every matter a timeline that starts with the report and never runs backwards in time', async () => {
    const [first] = await rows(sql<{ bad: number }>`select count(*)::int as bad from matters m
      where (select e.action from matter_events e where e.matter_id = m.id order by e.id limit 1) is distinct from 'report'`);
    expect(first?.bad).toBe(0);
    const [backwards] = await rows(sql<{ bad: number }>`select count(*)::int as bad from (
      select at < lag(at) over (partition by matter_id order by id) as back from matter_events) x where back`);
    expect(backwards?.bad).toBe(0);
    const [late] = await rows(sql<{ n: number }>`select count(*)::int as n from matter_events where at > ${end}`);
    expect(late?.n).toBe(0);
  });

  it('closes a matter only by a rating or by the centre', async () => {
    const [unclosed] = await rows(sql<{ bad: number }>`select count(*)::int as bad from matters m where m.status = 'closed'
      and not exists (select 1 from matter_events e where e.matter_id = m.id and e.action in ('rate_ok', 'close'))`);
    expect(unclosed?.bad).toBe(0);
  });

  it('leaves recent matters open in several stages for the console', async () => {
    const open = await rows(sql<{ status: string; n: number }>`select status, count(*)::int as n from matters
      where status not in ('closed', 'merged', 'rejected') group by status`);
    expect(open.reduce((a, r) => a + r.n, 0)).toBeGreaterThan(0);
    expect(open.length).toBeGreaterThanOrEqual(2);
  });

  it('answers /api/stats/summary for the town with exactly the counts of the matters table', async () => {
    const town = await t.deps.db.selectFrom('nodes').select('id').where('level', '=', 'town').executeTakeFirstOrThrow();
    const from = beijingDay(new Date(end.getTime() - 366 * 86_400_000));
    const res = await t.app.inject({ method: 'GET', url: `/api/stats/summary?nodeId=${town.id}&from=${from}&to=${beijingDay(end)}`, headers: await t.login('centre1', DEMO_PASSWORD) });
    expect(res.statusCode).toBe(200);
    const s: Summary = res.json();
    const by = async (column: 'source' | 'status' | 'level') =>
      Object.fromEntries((await rows(sql<{ k: string; n: number }>`select ${sql.ref(column)} as k, count(*)::int as n from matters group by 1`)).map((r) => [r.k, r.n]));
    const nonZero = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).filter(([, n]) => n !== 0));
    expect(s.reported.total).toBe(MATTERS);
    expect(nonZero(s.reported.bySource)).toEqual(await by('source'));
    expect(nonZero(s.reported.byStatus)).toEqual(await by('status'));
    expect(nonZero(s.reported.byLevel)).toEqual(await by('level'));

    const [e] = await rows(sql<{ ok: number; bad: number; satisfied: number; handled: number; closed: number }>`select
      count(*) filter (where action = 'rate_ok')::int as ok, count(*) filter (where action = 'rate_bad')::int as bad,
      count(*) filter (where action = 'rate_ok' and details->>'satisfaction' = 'satisfied')::int as satisfied,
      count(*) filter (where action = 'handle')::int as handled,
      (select count(*)::int from matters where closed_at is not null) as closed from matter_events`);
    expect(s).toMatchObject({ rated: (e?.ok ?? 0) + (e?.bad ?? 0), dissatisfied: e?.bad, satisfied: e?.satisfied, handled: e?.handled, closes: e?.closed });
    expect(s.reported.byStatus.closed).toBe(e?.closed);
    expect(s.satisfactionRate).toBeGreaterThanOrEqual(0.88);
    expect(s.satisfactionRate).toBeLessThanOrEqual(0.96);
  });
});
