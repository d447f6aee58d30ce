// Load generation for the statistics benchmark: a long history of matters written straight into the
// `matters` table and its rollups with set-based SQL. This is NOT demo data (the demo year goes through
// the services); it exists only so the statistics queries can be timed over a million matters.
import { type Kysely, sql } from 'kysely';
import type { DB } from '../src/db/schema.ts';

const CHUNK = 100_000;
/** Every generated matter's code starts with this, so the rollups are built from these rows only. */
const PREFIX = 'BENCH-';
const day = (column: string) => sql.raw(`(${column} at time zone 'Asia/Shanghai')::date`);
/** Each row of `a` once per node on its area path (district, town, community, grid). */
const pathNodes = sql.raw(`cross join lateral unnest(string_to_array(trim(both '/' from a.area_path), '/')) as p(node)`);

/**
 * Inserts `total` matters reported over the 365 days before `end`, spread over the town's grids and
 * categories with fixed arithmetic (no random(), so both engines get the same rows): sources in the demo
 * shares, 2% still being handled, 1% rejected, the rest closed; 8% of ratings dissatisfied. Then adds
 * their rollups to matter_counts and matter_metrics (area subjects), exactly as the services would have.
 */
export async function generateHistory(db: Kysely<DB>, total: number, end: Date, progress: (text: string) => void): Promise<void> {
  await sql`create table bench_grids as select (row_number() over (order by id) - 1)::int as k, id, path from nodes where level = 'grid' and status = 'active'`.execute(db);
  await sql`create table bench_cats as select (row_number() over (order by id) - 1)::int as k, id, default_level as level from categories where status = 'active'`.execute(db);
  const [counts] = (await sql<{ grids: number; cats: number }>`select (select count(*) from bench_grids)::int as grids, (select count(*) from bench_cats)::int as cats`.execute(db)).rows;
  if (!counts || counts.grids === 0 || counts.cats === 0) throw new Error('load the demo town before generating history');
  const year = 365 * 86_400;
  // Building the secondary indexes once afterwards is several times faster than keeping them up to date
  // row by row. Their definitions are read back from the catalogue, so they stay exactly the migration's.
  const { rows: indexes } = await sql<{ name: string; definition: string }>`select indexname as name, indexdef as definition from pg_indexes
     where schemaname = current_schema() and tablename = 'matters' and indexdef not like 'CREATE UNIQUE%'`.execute(db);
  for (const index of indexes) await sql`drop index ${sql.ref(index.name)}`.execute(db);
  for (let from = 1; from <= total; from += CHUNK) {
    const to = Math.min(total, from + CHUNK - 1);
    // Multiplying by primes spreads consecutive rows over grids, categories, days and sources.
    await sql`
      insert into matters (code, source, channel, title, description, category_id, grid_id, area_node_id, area_path, owner_node_id, owner_path,
                           status, level, due_at, reported_at, registered_at, dispatched_at, handled_at, closed_at, closed_on_time, satisfaction, rated_at)
      select ${PREFIX}::text || i::text, s.source, 'web', '压测历史事项', '基准测试生成的历史事项', c.id, g.id, g.id, g.path, g.id, g.path,
             st.status, c.level, r.at + interval '2 days', r.at, r.at + interval '1 hour', r.at + interval '2 hours',
             case when st.status = 'closed' then r.at + interval '1 day' end,
             case when st.status = 'closed' then r.at + interval '30 hours' end,
             case when st.status = 'closed' then i % 10 <> 0 end,
             case when st.status <> 'closed' or i % 5 >= 2 then null when (i * 13) % 100 < 8 then 'dissatisfied' when (i * 13) % 100 < 30 then 'basically' else 'satisfied' end,
             case when st.status = 'closed' and i % 5 < 2 then r.at + interval '30 hours' end
        from generate_series(${from}::int, ${to}::int) as i
        join bench_grids g on g.k = (i * 7) % ${counts.grids}
        join bench_cats c on c.k = (i * 11) % ${counts.cats}
        cross join lateral (select ${end}::timestamptz - ((i::bigint * 7919) % ${year}) * interval '1 second' - interval '3 days' as at) r
        cross join lateral (select case when (i * 31) % 100 < 35 then 'group_message' when (i * 31) % 100 < 50 then 'visit' when (i * 31) % 100 < 65 then 'patrol'
                                        when (i * 31) % 100 < 80 then 'resident_report' when (i * 31) % 100 < 92 then 'hotline' when (i * 31) % 100 < 96 then 'sensor'
                                        else 'inspection' end as source) s
        cross join lateral (select case when i % 50 = 0 then 'handling' when i % 97 = 0 then 'rejected' else 'closed' end as status) st`.execute(db);
    progress(`history: ${to.toLocaleString('en')} matters`);
  }
  for (const index of indexes) await sql.raw(index.definition).execute(db);
  progress(`history: rebuilt ${indexes.length} indexes on matters`);
  await sql`drop table bench_grids`.execute(db);
  await sql`drop table bench_cats`.execute(db);
  await rollUp(db);
}

/** Rollups from the generated rows, aggregated per grid and day first and then spread over each path's nodes. */
async function rollUp(db: Kysely<DB>): Promise<void> {
  await sql`
    insert into matter_counts (node_id, day, source, category_id, level, status, n)
    select p.node::int, a.day, a.source, a.category_id, a.level, a.status, sum(a.n)::int
      from (select area_path, ${day('reported_at')} as day, source, coalesce(category_id, 0) as category_id, level, status, count(*) as n
              from matters where code like ${`${PREFIX}%`} group by 1, 2, 3, 4, 5, 6) a
      ${pathNodes}
     group by 1, 2, 3, 4, 5, 6
    on conflict (node_id, day, source, category_id, level, status) do update set n = matter_counts.n + excluded.n`.execute(db);
  const mine = sql`code like ${`${PREFIX}%`}`;
  await sql`
    insert into matter_metrics (subject, day, due, closed, closed_on_time, handled, rated, satisfied, basically, dissatisfied, closes, handling_seconds)
    select 'area:' || p.node, a.day, sum(due)::int, sum(closed)::int, sum(on_time)::int, sum(handled)::int, sum(rated)::int, sum(satisfied)::int,
           sum(basically)::int, sum(dissatisfied)::int, sum(closes)::int, sum(seconds)::bigint
      from (
        select area_path, ${day('due_at')} as day, count(*) as due, count(*) filter (where status = 'closed') as closed,
               count(*) filter (where status = 'closed' and closed_on_time) as on_time, 0 as handled, 0 as rated, 0 as satisfied, 0 as basically,
               0 as dissatisfied, 0 as closes, 0 as seconds
          from matters where ${mine} and due_at is not null group by 1, 2
        union all
        select area_path, ${day('handled_at')}, 0, 0, 0, count(*), 0, 0, 0, 0, 0, 0 from matters where ${mine} and handled_at is not null group by 1, 2
        union all
        select area_path, ${day('rated_at')}, 0, 0, 0, 0, count(*), count(*) filter (where satisfaction = 'satisfied'),
               count(*) filter (where satisfaction = 'basically'), count(*) filter (where satisfaction = 'dissatisfied'), 0, 0
          from matters where ${mine} and rated_at is not null group by 1, 2
        union all
        select area_path, ${day('closed_at')}, 0, 0, 0, 0, 0, 0, 0, 0, count(*), sum(extract(epoch from closed_at - registered_at))::bigint
          from matters where ${mine} and closed_at is not null group by 1, 2
      ) a
      ${pathNodes}
     group by 1, 2
    on conflict (subject, day) do update set due = matter_metrics.due + excluded.due, closed = matter_metrics.closed + excluded.closed,
      closed_on_time = matter_metrics.closed_on_time + excluded.closed_on_time, handled = matter_metrics.handled + excluded.handled,
      rated = matter_metrics.rated + excluded.rated, satisfied = matter_metrics.satisfied + excluded.satisfied,
      basically = matter_metrics.basically + excluded.basically, dissatisfied = matter_metrics.dissatisfied + excluded.dissatisfied,
      closes = matter_metrics.closes + excluded.closes, handling_seconds = matter_metrics.handling_seconds + excluded.handling_seconds`.execute(db);
}
