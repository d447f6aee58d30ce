import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINISHED_STATUSES, isOverdue, MATTER_STATUSES, type MatterStatus } from '../src/core/vocabulary.ts';
import { overdueAt } from '../src/modules/matters/matters.repository.ts';
import { createTestDatabase, type TestDatabase, testEngine } from './helpers/engine.ts';

/** The named status sets of core/vocabulary.ts against what the database and the SQL filters hold. */
describe(`matter status sets in SQL (${testEngine})`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.destroy());

  it('keeps the partial index matters_open_due_idx to the matters that are not FINISHED_STATUSES', async () => {
    const { rows } = await sql<{ indexdef: string }>`select indexdef from pg_indexes where tablename = 'matters' and indexname = 'matters_open_due_idx'`.execute(database.db);
    const def = rows[0]?.indexdef ?? '';
    const where = def.slice(def.toUpperCase().indexOf(' WHERE '));
    // PostgreSQL prints `not in (...)` as `<> ALL (ARRAY[...])`.
    expect(where).toMatch(/<> ALL/);
    const listed = [...where.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);
    expect(listed.sort()).toEqual([...FINISHED_STATUSES].sort());
  });

  it('selects exactly the matters isOverdue calls overdue', async () => {
    const now = new Date('2026-11-21T04:00:00Z');
    const dues = [null, new Date(now.getTime() - 3600_000), new Date(now.getTime() + 3600_000)];
    const cases = MATTER_STATUSES.flatMap((status) => [true, false].flatMap((overdue) => dues.map((due_at) => ({ status, overdue, due_at }))));
    const values = sql.join(cases.map((c, i) => sql`(${i}::int, ${c.status}::text, ${c.overdue}::boolean, ${c.due_at}::timestamptz)`));
    const { rows } = await sql<{ i: number }>`select i from (values ${values}) as m(i, status, overdue, due_at) where ${overdueAt('m', now)} order by i`.execute(database.db);
    const expected = cases.flatMap((c, i) => (isOverdue({ ...c, status: c.status as MatterStatus }, now) ? [i] : []));
    expect(expected.length).toBeGreaterThan(0);
    expect(rows.map((r) => Number(r.i))).toEqual(expected);
  });
});
