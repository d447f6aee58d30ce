import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.ts';
import { dueFrom } from '../src/modules/calendar/calendar.service.ts';
import { createJobRunner } from '../src/modules/jobs/jobs.setup.ts';
import { testEngine } from './helpers/engine.ts';
import { useTestTown } from './helpers/town.ts';

describe(`deadlines as durable jobs (${testEngine})`, () => {
  const t = useTestTown();
  const [centre] = t.actors('t_centre');

  async function dispatchedMatter(dueInMinutes: number) {
    const m = await centre.ok<{ id: number }>('POST', '/api/matters', { source: 'hotline', description: '学校门口早高峰车辆乱停堵死了', location: { nodeId: t.town.g12.id } });
    await centre.step(m.id, 'register', { categoryCode: 'S06001' });
    const due = new Date(Date.now() + dueInMinutes * 60_000);
    await centre.step(m.id, 'dispatch', { lead: { kind: 'post', id: t.town.post.id }, dueAt: due.toISOString() });
    return { id: m.id, due };
  }

  it('computes a due date over the holiday calendar kept in the database', async () => {
    // Monday 2024-09-30 is the working day before National Day (10/1–10/7): two working days fall on 10/8 and 10/9.
    const due = await dueFrom(t.deps.db, new Date('2024-09-30T10:00:00+08:00'), 2, 'working_days');
    expect(due.toISOString()).toBe(new Date('2024-10-09T17:30:00+08:00').toISOString());
    // An administrator's calendar edit changes the next computation.
    const admin = await t.as('t_admin');
    await admin.ok('PUT', '/api/calendar/2024-10-08', { kind: 'holiday', name: '测试假日' });
    expect((await dueFrom(t.deps.db, new Date('2024-09-30T10:00:00+08:00'), 2, 'working_days')).toISOString()).toBe(new Date('2024-10-10T17:30:00+08:00').toISOString());
    await admin.ok('DELETE', '/api/calendar/2024-10-08');
  });

  it('reminds before the due time, then marks overdue and escalates exactly once, even with two runners', async () => {
    const { id, due } = await dispatchedMatter(180);
    const jobs = await t.deps.db.selectFrom('jobs').select(['kind', 'status', 'run_at']).where('matter_id', '=', id).orderBy('run_at').execute();
    expect(jobs.map((j) => [j.kind, j.status])).toEqual([['matter.remind', 'pending'], ['matter.overdue', 'pending']]);

    // A second app copy: another connection pool on the same PostgreSQL database (PGlite has one process to offer).
    const other = t.database.url ? await openDatabase({ databaseUrl: t.database.url, pgliteDir: null, poolSize: 3 }) : null;
    try {
      const a = createJobRunner(t.deps);
      const b = createJobRunner(other ? { ...t.deps, db: other.db } : t.deps);
      const beforeDue = new Date(due.getTime() - 30 * 60_000);
      const ran = await Promise.all([a.runDue(beforeDue), b.runDue(beforeDue)]);
      expect(ran[0] + ran[1]).toBe(1);
      const after = new Date(due.getTime() + 60_000);
      const ran2 = await Promise.all([a.runDue(after), b.runDue(after), a.runDue(after), b.runDue(after)]);
      expect(ran2.reduce((x, y) => x + y, 0)).toBe(1);
    } finally {
      await other?.close();
    }
    const detail = await centre.matter(id);
    expect(detail.timeline.filter((e) => e.action === 'remind')).toHaveLength(1);
    expect(detail.timeline.filter((e) => e.action === 'overdue')).toHaveLength(1);
    const escalations = detail.timeline.filter((e) => e.action === 'escalate');
    expect(escalations).toHaveLength(1);
    expect(escalations[0]).toMatchObject({ actorRole: 'system', channel: 'system' });
    expect(detail).toMatchObject({ ownerNodeId: t.town.district.id, level: 'district', counts: { escalated: 1 } });
    const notices = await t.deps.db.selectFrom('notices').select(['user_id', 'kind']).where('matter_id', '=', id).execute();
    expect(notices).toEqual([{ user_id: t.town.users.post, kind: 'matter.remind' }]);
    // Running again much later changes nothing.
    expect(await createJobRunner(t.deps).runDue(new Date(due.getTime() + 86400_000))).toBe(0);
    expect((await centre.matter(id)).timeline.filter((e) => e.action === 'escalate')).toHaveLength(1);
  });

  it('moves the deadline with an approved extension; the old deadline fires nothing', async () => {
    const { id, due } = await dispatchedMatter(60);
    const handler = await t.as('t_post');
    await handler.step(id, 'accept');
    const extendTo = new Date(due.getTime() + 2 * 86400_000);
    await handler.step(id, 'extend-request', { reason: '需协调交巡警设置临时停车区', extendTo: extendTo.toISOString() });
    const pending = (await centre.matter(id)).requests[0];
    expect(pending).toMatchObject({ kind: 'extend', status: 'pending' });
    const extended = await centre.ok<{ dueAt: string; counts: { extended: number } }>('POST', `/api/matters/${id}/requests/${pending?.id}/decide`, { approve: true });
    expect(extended.dueAt).toBe(extendTo.toISOString());
    expect(extended.counts.extended).toBe(1);
    const runner = createJobRunner(t.deps);
    await runner.runDue(new Date(due.getTime() + 60_000));
    expect((await centre.matter(id)).timeline.some((e) => e.action === 'overdue')).toBe(false);
    await runner.runDue(new Date(extendTo.getTime() + 60_000));
    expect((await centre.matter(id)).timeline.filter((e) => e.action === 'overdue')).toHaveLength(1);
  });
});
