import { describe, expect, it } from 'vitest';
import { testEngine } from '../helpers/engine.ts';
import { uploadPhoto } from '../helpers/matters.ts';
import { useTestTown } from '../helpers/town.ts';

interface Counts { total: number; normal: number; abnormal: number; pending: number }
interface Progress { grids: ({ gridId: number; gridName: string } & Counts)[]; totals: Counts }
interface Point { id: number; gridId: number; name: string; state: string; note: string | null; checkedBy: { id: number; name: string } | null; matterId: number | null }
interface Task { id: number; status: string; title: string; category: { code: string } | null; progress: Progress; points: Point[] }

const c = (total: number, normal: number, abnormal: number, pending: number): Counts => ({ total, normal, abnormal, pending });

// Story 7: a flood crest comes; the centre pushes an inspection task to the grids of known waterlogging
// points; grid workers check drains; the screen shows each point's state.
describe(`story 7 — a flood crest: inspecting the waterlogging points (${testEngine})`, () => {
  const t = useTestTown();
  const [centre, worker11, worker12, staff2] = t.actors('t_centre', 't_worker11', 't_worker12', 't_staff2');

  it('pushes the task to three grids, follows every point, and turns the blocked drain into a matter', async () => {
    const grid = (id: number, name: string, counts: Counts) => ({ gridId: id, gridName: name, ...counts });
    const screen = async () => (await centre.ok<Task>('GET', `/api/inspections/${task.id}`)).progress;

    // The centre pushes the task to the known waterlogging points, due before the crest arrives tonight.
    const task = await centre.ok<Task>('POST', '/api/inspections', {
      nodeId: t.town.town.id, title: '汛前排查：易涝点下水道', description: '洪峰预计今晚过境，请逐一检查易涝点排水口并拍照', categoryCode: 'S09001',
      dueAt: new Date(Date.now() + 6 * 3600_000).toISOString(),
      points: [
        { gridId: t.town.g11.id, name: '花园路雨水口', lng: 106.503, lat: 29.505 },
        { gridId: t.town.g11.id, name: '花园小区地下车库入口', lng: 106.507, lat: 29.515 },
        { gridId: t.town.g12.id, name: '二号桥涵洞', lng: 106.515, lat: 29.51 },
        { gridId: t.town.g21.id, name: '建新北路低洼处', lng: 106.525, lat: 29.51 },
      ],
    });
    expect(task).toMatchObject({ status: 'open', title: '汛前排查：易涝点下水道', category: { code: 'S09001' } });
    expect(task.progress).toEqual({
      grids: [grid(t.town.g11.id, '花园1网格', c(2, 0, 0, 2)), grid(t.town.g12.id, '花园2网格', c(1, 0, 0, 1)), grid(t.town.g21.id, '建新1网格', c(1, 0, 0, 1))],
      totals: c(4, 0, 0, 4),
    });

    // 网格员甲 opens her phone: the task with her grid's two points, nothing of the others.
    const inbox = await worker11.ok<{ items: Task[] }>('GET', '/api/inspections/mine');
    expect(inbox.items.map((x) => x.id)).toEqual([task.id]);
    const [rainInlet, garage] = inbox.items[0]?.points ?? [];
    expect([rainInlet?.name, garage?.name]).toEqual(['花园路雨水口', '花园小区地下车库入口']);

    // The rain inlet drains freely.
    const first = await worker11.ok<{ point: Point; progress: Progress }>('POST', `/api/inspections/${task.id}/points/${rainInlet?.id}/check`, { state: 'normal', note: '雨水口通畅' });
    expect(first.point).toMatchObject({ state: 'normal', matterId: null, checkedBy: { id: t.town.users.worker11, name: '网格员甲' } });
    expect(first.progress).toEqual({ grids: [grid(t.town.g11.id, '花园1网格', c(2, 1, 0, 1))], totals: c(2, 1, 0, 1) });
    expect(await screen()).toMatchObject({ totals: c(4, 1, 0, 3) });

    // The garage entrance's grate is choked with leaves: abnormal, with a photo; a matter is raised at once.
    const photo = await uploadPhoto(t.app, await t.login('t_worker11'));
    const second = await worker11.ok<{ point: Point; progress: Progress }>('POST', `/api/inspections/${task.id}/points/${garage?.id}/check`, {
      state: 'abnormal', note: '雨水篦子被落叶堵死，车库入口开始积水', photos: [photo],
    });
    expect(second.point.state).toBe('abnormal');
    const matterId = second.point.matterId ?? 0;
    expect(matterId).toBeGreaterThan(0);
    expect(second.progress.totals).toEqual(c(2, 1, 1, 0));

    // 网格员乙 finds the culvert clear.
    const [culvert] = (await worker12.ok<{ items: Task[] }>('GET', '/api/inspections/mine')).items[0]?.points ?? [];
    expect(culvert?.gridId).toBe(t.town.g12.id);
    await worker12.ok('POST', `/api/inspections/${task.id}/points/${culvert?.id}/check`, { state: 'normal' });

    // The screen: each grid's state; 建新1网格 has not reported yet.
    expect(await screen()).toEqual({
      grids: [grid(t.town.g11.id, '花园1网格', c(2, 1, 1, 0)), grid(t.town.g12.id, '花园2网格', c(1, 1, 0, 0)), grid(t.town.g21.id, '建新1网格', c(1, 0, 0, 1))],
      totals: c(4, 2, 1, 1),
    });
    const points = (await centre.ok<Task>('GET', `/api/inspections/${task.id}`)).points;
    expect(points.map((p) => [p.name, p.state, p.matterId])).toEqual([
      ['花园路雨水口', 'normal', null], ['花园小区地下车库入口', 'abnormal', matterId], ['二号桥涵洞', 'normal', null], ['建新北路低洼处', 'pending', null]]);

    // The matter: from the inspection, in the point's grid, of the task's category, with the photo; the centre sees it.
    const matter = await centre.matter(matterId);
    expect(matter).toMatchObject({ status: 'reported', areaNodeId: t.town.g11.id, ownerNodeId: t.town.town.id, urgent: true, category: { code: 'S09001' } });
    expect(matter.photos.map((p) => [p.hash, p.stage])).toEqual([[photo, 'report']]);
    expect(matter.timeline).toMatchObject([{ action: 'report', actorRole: 'grid_worker', actorUserId: t.town.users.worker11, statusAfter: 'reported' }]);
    const queue = await centre.ok<{ items: { id: number; source: string; areaNodeId: number }[] }>('GET', '/api/matters?source=inspection');
    expect(queue.items).toEqual([expect.objectContaining({ id: matterId, source: 'inspection', areaNodeId: t.town.g11.id })]);

    // The normal loop takes over: the centre registers it and dispatches it to the grid, due in four hours.
    const registered = await centre.step(matterId, 'register', { categoryCode: 'S09001' });
    expect(registered).toMatchObject({ status: 'registered', level: 'grid', ownerNodeId: t.town.c1.id });
    const before = Date.now();
    const dispatched = await centre.step(matterId, 'dispatch', { lead: { kind: 'node', id: t.town.g11.id } });
    expect(dispatched.status).toBe('dispatched');
    expect(Math.abs(new Date(dispatched.dueAt ?? 0).getTime() - (before + 4 * 3600_000))).toBeLessThan(60_000);
    expect((await worker11.step(matterId, 'accept')).status).toBe('handling');

    // Last, the community cadre of 建新社区 checks the low-lying street herself.
    const [lowStreet] = (await staff2.ok<Task>('GET', `/api/inspections/${task.id}`)).points;
    expect(lowStreet?.gridId).toBe(t.town.g21.id);
    const last = await staff2.ok<{ point: Point; progress: Progress }>('POST', `/api/inspections/${task.id}/points/${lowStreet?.id}/check`, { state: 'normal', note: '已清理排水沟' });
    expect(last.point.checkedBy).toEqual({ id: t.town.users.staff2, name: '建新社区干部' });
    expect(last.progress).toEqual({ grids: [grid(t.town.g21.id, '建新1网格', c(1, 1, 0, 0))], totals: c(1, 1, 0, 0) });
    expect(await screen()).toEqual({
      grids: [grid(t.town.g11.id, '花园1网格', c(2, 1, 1, 0)), grid(t.town.g12.id, '花园2网格', c(1, 1, 0, 0)), grid(t.town.g21.id, '建新1网格', c(1, 1, 0, 0))],
      totals: c(4, 3, 1, 0),
    });

    // The crest has passed: the centre closes the task; the matter runs on in its own loop.
    expect((await centre.ok<Task>('POST', `/api/inspections/${task.id}/close`)).status).toBe('closed');
    expect((await worker11.ok<{ items: Task[] }>('GET', '/api/inspections/mine')).items).toEqual([]);
    expect((await centre.matter(matterId)).status).toBe('handling');
  });
});
