import { describe, expect, it } from 'vitest';
import { expectError } from './helpers/app.ts';
import { testEngine } from './helpers/engine.ts';
import type { Actor } from './helpers/matters.ts';
import { useTestTown } from './helpers/town.ts';

interface Counts { total: number; normal: number; abnormal: number; pending: number }
interface Progress { grids: ({ gridId: number; gridName: string } & Counts)[]; totals: Counts }
interface Point { id: number; gridId: number; name: string; state: string; note: string | null; checkedAt: string | null; checkedBy: { id: number; name: string } | null; matterId: number | null }
interface Task { id: number; status: string; urgent: boolean; category: { code: string } | null; progress: Progress; points: Point[] }

const inHours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();
const counts = (total: number, normal: number, abnormal: number, pending: number): Counts => ({ total, normal, abnormal, pending });

describe(`inspection tasks (${testEngine})`, () => {
  const t = useTestTown();
  const [centre, worker11, worker12, staff1, staff2, police] = t.actors('t_centre', 't_worker11', 't_worker12', 't_staff1', 't_staff2', 't_police');

  /** Two points in g11, one in g12, one in g21, as the centre pushes them. */
  function body(extra: Record<string, unknown> = {}) {
    return {
      nodeId: t.town.town.id, title: '汛前排查：易涝点下水道', categoryCode: 'S09001', dueAt: inHours(6),
      points: [
        { gridId: t.town.g11.id, name: '花园路雨水口', lng: 106.503, lat: 29.505 },
        { gridId: t.town.g11.id, name: '花园路下穿道' },
        { gridId: t.town.g12.id, name: '二号桥涵洞', lng: 106.515, lat: 29.51 },
        { gridId: t.town.g21.id, name: '建新北路低洼处', lng: 106.525, lat: 29.51 },
      ],
      ...extra,
    };
  }
  const create = (extra: Record<string, unknown> = {}) => centre.ok<Task>('POST', '/api/inspections', body(extra));
  const check = (who: Actor, task: Task, point: Point | undefined, payload: Record<string, unknown>) =>
    who.ok<{ point: Point; progress: Progress }>('POST', `/api/inspections/${task.id}/points/${point?.id}/check`, payload);
  const rowCounts = async () => {
    const { db } = t.database;
    const n = (q: Promise<{ n: string | number }>) => q.then((r) => Number(r.n));
    return [
      await n(db.selectFrom('inspection_tasks').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()),
      await n(db.selectFrom('inspection_points').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()),
      await n(db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()),
      await n(db.selectFrom('matters').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()),
    ];
  };

  it('refuses invalid tasks and wrong people with 4xx, writing nothing', async () => {
    const before = await rowCounts();
    const refusals: [Actor, Record<string, unknown>, number, string][] = [
      [centre, body({ dueAt: inHours(-1) }), 400, 'VALIDATION_FAILED'],
      [centre, body({ points: [] }), 400, 'VALIDATION_FAILED'],
      [centre, body({ categoryCode: 'X99999' }), 400, 'VALIDATION_FAILED'],
      [centre, body({ nodeId: t.town.c1.id }), 400, 'VALIDATION_FAILED'], // g21 lies outside community c1
      [centre, body({ points: [{ gridId: t.town.c1.id, name: '社区本身' }] }), 400, 'VALIDATION_FAILED'],
      [centre, body({ points: [{ gridId: 999999, name: '不存在' }] }), 400, 'VALIDATION_FAILED'],
      [centre, body({ points: [{ gridId: t.town.g11.id, name: '坐标在2网格', lng: 106.515, lat: 29.51 }] }), 400, 'VALIDATION_FAILED'],
      [centre, body({ points: [{ gridId: t.town.g11.id, name: '只有经度', lng: 106.505 }] }), 400, 'VALIDATION_FAILED'],
      [centre, body({ points: Array.from({ length: 2001 }, (_, i) => ({ gridId: t.town.g11.id, name: `点${i}` })) }), 400, 'VALIDATION_FAILED'],
      [centre, body({ nodeId: t.town.g11.id, points: [{ gridId: t.town.g11.id, name: '网格发起' }] }), 400, 'VALIDATION_FAILED'],
      [worker11, body(), 403, 'FORBIDDEN'],
      [staff1, body(), 403, 'FORBIDDEN'],
    ];
    for (const [who, payload, status, code] of refusals) expectError(await who.raw('POST', '/api/inspections', payload), status, code);
    expectError(await t.app.inject({ method: 'POST', url: '/api/inspections', payload: body() }), 401, 'UNAUTHENTICATED');
    const bad = await centre.raw('POST', '/api/inspections', body({ nodeId: t.town.c1.id }));
    expect(bad.json().error.message).toContain('is not under node');
    expect(await rowCounts()).toEqual(before);
  });

  it('creates a task in one go, with per-grid progress, and audits it', async () => {
    const task = await create();
    expect(task).toMatchObject({ status: 'open', urgent: false, category: { code: 'S09001' } });
    expect(task.points.map((p) => [p.gridId, p.state, p.matterId])).toEqual([
      [t.town.g11.id, 'pending', null], [t.town.g11.id, 'pending', null], [t.town.g12.id, 'pending', null], [t.town.g21.id, 'pending', null]]);
    expect(task.progress).toEqual({
      grids: [{ gridId: t.town.g11.id, gridName: '花园1网格', ...counts(2, 0, 0, 2) }, { gridId: t.town.g12.id, gridName: '花园2网格', ...counts(1, 0, 0, 1) },
        { gridId: t.town.g21.id, gridName: '建新1网格', ...counts(1, 0, 0, 1) }],
      totals: counts(4, 0, 0, 4),
    });
    const audit = await t.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'inspection.create').where('subject_id', '=', String(task.id)).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor_user_id).toBe(t.town.users.centre);

    // The upper bound is accepted in one transaction.
    const big = await centre.ok<Task>('POST', '/api/inspections', body({ points: Array.from({ length: 2000 }, (_, i) => ({ gridId: i % 2 ? t.town.g11.id : t.town.g21.id, name: `点${i}` })) }));
    expect(big.progress.totals).toEqual(counts(2000, 0, 0, 2000));
    expect(big.points).toHaveLength(2000);
  });

  it('shows each person only the points of their place', async () => {
    const task = await create();
    const mine = await worker11.ok<Task>('GET', `/api/inspections/${task.id}`);
    expect(mine.points.map((p) => p.gridId)).toEqual([t.town.g11.id, t.town.g11.id]);
    expect(mine.progress).toEqual({ grids: [{ gridId: t.town.g11.id, gridName: '花园1网格', ...counts(2, 0, 0, 2) }], totals: counts(2, 0, 0, 2) });

    const c2 = await staff2.ok<Task>('GET', `/api/inspections/${task.id}`);
    expect(c2.points.map((p) => p.gridId)).toEqual([t.town.g21.id]);
    expect(c2.progress.totals).toEqual(counts(1, 0, 0, 1));
    const c2List = await staff2.ok<{ items: Task[] }>('GET', '/api/inspections');
    expect(c2List.items.find((x) => x.id === task.id)?.progress.grids.map((g) => g.gridId)).toEqual([t.town.g21.id]);

    const c1 = await staff1.ok<Task>('GET', `/api/inspections/${task.id}`);
    expect(c1.progress.totals).toEqual(counts(3, 0, 0, 3));
    // As grid chief of g11, 'mine' holds only g11's points, though the community sees more.
    const chiefMine = await staff1.ok<{ items: Task[] }>('GET', '/api/inspections/mine');
    expect(chiefMine.items.find((x) => x.id === task.id)?.points.map((p) => p.gridId)).toEqual([t.town.g11.id, t.town.g11.id]);
    const workerMine = await worker12.ok<{ items: Task[] }>('GET', '/api/inspections/mine');
    expect(workerMine.items.find((x) => x.id === task.id)?.points.map((p) => p.gridId)).toEqual([t.town.g12.id]);

    const byNode = await centre.ok<{ items: Task[] }>('GET', `/api/inspections?nodeId=${t.town.c2.id}`);
    expect(byNode.items.find((x) => x.id === task.id)?.progress.totals).toEqual(counts(1, 0, 0, 1));

    expectError(await police.raw('GET', '/api/inspections'), 403, 'FORBIDDEN');
    expectError(await police.raw('GET', `/api/inspections/${task.id}`), 404, 'NOT_FOUND');
    expect((await police.ok<{ items: Task[] }>('GET', '/api/inspections/mine')).items).toEqual([]);
    expectError(await t.app.inject({ method: 'GET', url: '/api/inspections' }), 401, 'UNAUTHENTICATED');
  });

  it('refuses checks by the wrong people and of unknown points', async () => {
    const task = await create();
    const [p11, , p12] = task.points;
    expectError(await worker11.raw('POST', `/api/inspections/${task.id}/points/${p12?.id}/check`, { state: 'normal' }), 403, 'FORBIDDEN');
    expectError(await staff2.raw('POST', `/api/inspections/${task.id}/points/${p11?.id}/check`, { state: 'normal' }), 403, 'FORBIDDEN');
    expectError(await centre.raw('POST', `/api/inspections/${task.id}/points/${p11?.id}/check`, { state: 'normal' }), 403, 'FORBIDDEN');
    expectError(await police.raw('POST', `/api/inspections/${task.id}/points/${p11?.id}/check`, { state: 'normal' }), 403, 'FORBIDDEN');
    expectError(await worker11.raw('POST', `/api/inspections/${task.id}/points/999999/check`, { state: 'normal' }), 404, 'NOT_FOUND');
    expectError(await worker11.raw('POST', `/api/inspections/999999/points/${p11?.id}/check`, { state: 'normal' }), 404, 'NOT_FOUND');
    const other = await create();
    expectError(await worker11.raw('POST', `/api/inspections/${other.id}/points/${p11?.id}/check`, { state: 'normal' }), 404, 'NOT_FOUND');
    expectError(await worker11.raw('POST', `/api/inspections/${task.id}/points/${p11?.id}/check`, { state: 'broken' }), 400, 'VALIDATION_FAILED');
    expectError(await worker11.raw('POST', `/api/inspections/${task.id}/points/${p11?.id}/check`, { state: 'abnormal', photos: ['a'.repeat(64)] }), 400, 'VALIDATION_FAILED');
    const after = await centre.ok<Task>('GET', `/api/inspections/${task.id}`);
    expect(after.progress.totals).toEqual(counts(4, 0, 0, 4));
    expect(await t.database.db.selectFrom('matters').select('id').where('source', '=', 'inspection').execute()).toEqual([]);
  });

  it('counts progress per grid through checks and re-checks; abnormal raises one matter the centre sees', async () => {
    const task = await create({ categoryCode: '01003', urgent: true });
    const [a, b, c, d] = task.points;
    let r = await check(worker11, task, a, { state: 'normal' });
    expect(r.point).toMatchObject({ state: 'normal', matterId: null, checkedBy: { id: t.town.users.worker11, name: '网格员甲' } });
    expect(r.progress).toEqual({ grids: [{ gridId: t.town.g11.id, gridName: '花园1网格', ...counts(2, 1, 0, 1) }], totals: counts(2, 1, 0, 1) });

    r = await check(worker11, task, b, { state: 'abnormal', note: '下水道堵塞，路面积水20厘米' });
    const matterId = r.point.matterId;
    expect(matterId).toEqual(expect.any(Number));
    expect(r.progress.totals).toEqual(counts(2, 1, 1, 0));

    const matter = await centre.matter(matterId ?? 0);
    expect(matter).toMatchObject({ status: 'reported', urgent: true, areaNodeId: t.town.g11.id, category: { code: '01003' } });
    expect(matter.timeline[0]).toMatchObject({ action: 'report', actorRole: 'grid_worker', actorUserId: t.town.users.worker11 });
    const listed = await centre.ok<{ items: { id: number; source: string }[] }>('GET', '/api/matters?source=inspection');
    expect(listed.items).toContainEqual(expect.objectContaining({ id: matterId, source: 'inspection' }));

    // Re-checks while open: abnormal → normal keeps the matter; abnormal again while it is open raises no second one.
    r = await check(worker11, task, b, { state: 'normal', note: '已疏通' });
    expect(r.point).toMatchObject({ state: 'normal', note: '已疏通', matterId });
    r = await check(worker11, task, b, { state: 'abnormal', note: '又堵了' });
    expect(r.point.matterId).toBe(matterId);
    // normal → abnormal raises a matter then; community staff may check in their community.
    r = await check(staff1, task, c, { state: 'normal' });
    r = await check(staff1, task, c, { state: 'abnormal' });
    expect(r.point.matterId).not.toBeNull();
    expect(r.point.matterId).not.toBe(matterId);
    await check(staff2, task, d, { state: 'normal' });

    const detail = await centre.ok<Task>('GET', `/api/inspections/${task.id}`);
    expect(detail.progress).toEqual({
      grids: [{ gridId: t.town.g11.id, gridName: '花园1网格', ...counts(2, 1, 1, 0) }, { gridId: t.town.g12.id, gridName: '花园2网格', ...counts(1, 0, 1, 0) },
        { gridId: t.town.g21.id, gridName: '建新1网格', ...counts(1, 1, 0, 0) }],
      totals: counts(4, 2, 2, 0),
    });
    const matters = await t.database.db.selectFrom('matters').select(['id', 'source']).where('source', '=', 'inspection').execute();
    expect(matters).toHaveLength(2);
    const checks = await t.database.db.selectFrom('audit_log').select('subject_id').where('action', '=', 'inspection.check').where('subject_id', '=', String(b?.id)).execute();
    expect(checks).toHaveLength(3);

    // Without the task's urgent flag, a non-urgent category stays non-urgent.
    const calm = await create({ categoryCode: '01003' });
    const raised = await check(worker11, calm, calm.points[0], { state: 'abnormal' });
    expect((await centre.matter(raised.point.matterId ?? 0)).urgent).toBe(false);
  });

  it('closes a task: pending points stay pending, later checks are refused', async () => {
    const task = await create();
    await check(worker12, task, task.points[2], { state: 'normal' });
    expectError(await worker11.raw('POST', `/api/inspections/${task.id}/close`), 403, 'FORBIDDEN');
    expectError(await staff1.raw('POST', `/api/inspections/${task.id}/close`), 403, 'FORBIDDEN');
    const closed = await centre.ok<Task>('POST', `/api/inspections/${task.id}/close`);
    expect(closed.status).toBe('closed');
    expect(closed.progress.totals).toEqual(counts(4, 1, 0, 3));
    expectError(await centre.raw('POST', `/api/inspections/${task.id}/close`), 409, 'CONFLICT');
    const before = await rowCounts();
    expectError(await worker11.raw('POST', `/api/inspections/${task.id}/points/${task.points[0]?.id}/check`, { state: 'abnormal', note: '太晚了' }), 409, 'CONFLICT');
    expect(await rowCounts()).toEqual(before);
    expect((await worker11.ok<{ items: Task[] }>('GET', '/api/inspections/mine')).items.map((x) => x.id)).not.toContain(task.id);
    const closedList = await centre.ok<{ items: Task[] }>('GET', '/api/inspections?status=closed');
    expect(closedList.items.map((x) => x.id)).toEqual([task.id]);
  });

  it('raises one matter when the same point is reported abnormal twice at once', async () => {
    const task = await create();
    const point = task.points[3];
    const [x, y] = await Promise.all([check(staff2, task, point, { state: 'abnormal', note: '积水' }), check(staff2, task, point, { state: 'abnormal', note: '积水很深' })]);
    expect(x.point.matterId).not.toBeNull();
    expect(y.point.matterId).toBe(x.point.matterId);
  });

  it('documents the endpoints in the OpenAPI description', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/inspections', '/api/inspections/mine', '/api/inspections/{id}', '/api/inspections/{id}/points/{pointId}/check', '/api/inspections/{id}/close']));
  });

  it('pages the list newest first', async () => {
    const first = await centre.ok<{ items: Task[]; nextCursor: string | null }>('GET', '/api/inspections?limit=2');
    expect(first.items).toHaveLength(2);
    const second = await centre.ok<{ items: Task[]; nextCursor: string | null }>('GET', `/api/inspections?limit=2&cursor=${first.nextCursor}`);
    expect(Math.max(...second.items.map((x) => x.id))).toBeLessThan(Math.min(...first.items.map((x) => x.id)));
    expectError(await centre.raw('GET', '/api/inspections?cursor=nonsense'), 400, 'INVALID_CURSOR');
  });
});
