import { beforeAll, describe, expect, it } from 'vitest';
import type { RequestContext } from '../src/core/scope.ts';
import { beijingDay } from '../src/core/beijing.ts';
import { loadAssignments } from '../src/modules/access/access.repository.ts';
import { DispatchService } from '../src/modules/matters/dispatch.service.ts';
import { EvaluationService } from '../src/modules/matters/evaluation.service.ts';
import { HandlingService } from '../src/modules/matters/handling.service.ts';
import { MattersService } from '../src/modules/matters/matters.service.ts';
import { shiftBeijingDay as addDays } from '../src/core/beijing.ts';
import { GridLocatorCache } from '../src/modules/structure/locator.cache.ts';
import { StructureService } from '../src/modules/structure/structure.service.ts';
import { expectError } from './helpers/app.ts';
import { useTestTown } from './helpers/town.ts';
import { postWebhook, useOnlineTown, webhookMessage } from './online/fixture.ts';

/**
 * The big screen's figures against a hand-computed fixture. Matters go through the real services at
 * simulated times (ctx.at), as the demo year does, so the rollups are the ones production keeps. D is
 * today in Beijing; a step "on D-n" happens at 12:00 Beijing that day (04:00Z). Steps "today" happen a
 * minute ago (or just after midnight, whichever is later), so they are today and in the past.
 *
 * m1 g11, S06001, reported D-20, due D-15, handled and rated satisfied D-18 → closed on time.
 * m2 g21, S06001, reported D-10, due D-8, handled D-5, rated dissatisfied D-5 → handling again, overdue.
 * m6 g11, S03002, reported D-25, due D-1, handled D-24, closed by the centre today → on time (handled by its due time).
 * m5 g12, S03002, reported and registered D-60 (before every window) → open, no due time.
 * m3 g11, reported today, urgent → open. m4 g12, reported today, rejected → not open.
 *
 * Tiles: new today 2 (m3, m4); closed today 1 (m6); open 3 (m2, m3, m5).
 * Rates over [D-29, D]: due days D-15, D-8, D-1 → due 3, on time 2 (m1, m6) → 2/3; rated 2 (m1 ok, m2 bad) → 1/2.
 * Open by grid: g11 1 (m3, urgent), g12 1 (m5), g21 1 (m2, overdue).
 * Trend, 7-day windows ending D, D-7, D-14, D-21 …: new 2, 1, 1, 1, 0, 0, 0, 0 (m3 m4 | m2 | m1 | m6), newest last;
 *   closed 1 (m6 today), 0, 1 (m1 on D-18), 0, …
 * Top categories reported in [D-29, D]: S06001 2 (m1, m2), S03002 1 (m6); m5 is older, m3 and m4 uncategorised.
 * Urgent: m3 (urgent), m2 (overdue), newest first. Inspection: 3 points, 1 checked normal, 0 abnormal.
 */
describe('the big screen overview', () => {
  const t = useTestTown();
  const now = new Date();
  const D = beijingDay(now);
  const on = (daysAgo: number) => new Date(`${addDays(D, -daysAgo)}T04:00:00Z`);
  const todayStart = new Date(`${D}T00:00:00+08:00`).getTime();
  const justNow = (seconds: number) => new Date(Math.max(todayStart + seconds * 1000, now.getTime() - 120_000 + seconds * 1000));
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    const structure = new StructureService(t.deps, new GridLocatorCache(t.deps.db));
    const matters = new MattersService(t.deps, structure);
    const dispatch = new DispatchService(t.deps);
    const handling = new HandlingService(t.deps);
    const evaluation = new EvaluationService(t.deps);
    const as = async (username: string, at: Date): Promise<RequestContext> => {
      const u = await t.deps.db.selectFrom('users').select(['id', 'username', 'display_name']).where('username', '=', username).executeTakeFirstOrThrow();
      return { actor: { userId: u.id, username: u.username, displayName: u.display_name, assignments: await loadAssignments(t.deps.db, u.id), via: 'session' }, ip: '127.0.0.1', requestId: 'screen-test', at };
    };
    const report = async (key: string, gridId: number, at: Date, extra: { urgent?: boolean; by?: string } = {}) => {
      const m = await matters.report(await as(extra.by ?? 't_centre', at), { source: 'hotline', channel: 'phone', description: `事件${key}：路面破损需要修补`, location: { nodeId: gridId }, photos: [], reporter: { anonymous: false }, urgent: extra.urgent });
      ids[key] = m.id;
      return m.id;
    };
    const lead = { kind: 'post' as const, id: t.town.post.id };
    const centre = (at: Date) => as('t_centre', at);
    const post = (at: Date) => as('t_post', at);
    const resident = (at: Date) => as('t_resident', at);

    // m6: reported D-25, due D-1, handled D-24, closed by the centre today.
    const m6 = await report('m6', t.town.g11.id, on(25));
    await matters.register(await centre(on(25)), m6, { categoryCode: 'S03002' });
    await dispatch.dispatch(await centre(on(25)), m6, { lead, assists: [], dueAt: on(1).toISOString() });
    await dispatch.accept(await post(on(25)), m6);
    await handling.handle(await post(on(24)), m6, '已修复', []);
    await evaluation.verify(await centre(on(24)), m6, true);
    // m1: reported by the resident D-20, due D-15, rated satisfied D-18.
    const m1 = await report('m1', t.town.g11.id, on(20), { by: 't_resident' });
    await matters.register(await centre(on(20)), m1, { categoryCode: 'S06001' });
    await dispatch.dispatch(await centre(on(20)), m1, { lead, assists: [], dueAt: on(15).toISOString() });
    await dispatch.accept(await post(on(19)), m1);
    await handling.handle(await post(on(18)), m1, '已处理', []);
    await evaluation.verify(await centre(on(18)), m1, true);
    await evaluation.rate(await resident(on(18)), m1, { satisfaction: 'satisfied' });
    // m2: reported by the resident D-10, due D-8, rated dissatisfied D-5: back in hand, overdue.
    const m2 = await report('m2', t.town.g21.id, on(10), { by: 't_resident' });
    await matters.register(await centre(on(10)), m2, { categoryCode: 'S06001' });
    await dispatch.dispatch(await centre(on(10)), m2, { lead, assists: [], dueAt: on(8).toISOString() });
    await dispatch.accept(await post(on(10)), m2);
    await handling.handle(await post(on(5)), m2, '已处理', []);
    await evaluation.verify(await centre(on(5)), m2, true);
    await evaluation.rate(await resident(on(5)), m2, { satisfaction: 'dissatisfied' });
    // m5: long ago, still waiting for dispatch.
    const m5 = await report('m5', t.town.g12.id, on(60));
    await matters.register(await centre(on(60)), m5, { categoryCode: 'S03002' });
    // Today: m6 closes, m3 (urgent) and m4 (rejected) are reported.
    await evaluation.close(await centre(justNow(0)), m6, '电话回访确认');
    await report('m3', t.town.g11.id, justNow(10), { urgent: true });
    const m4 = await report('m4', t.town.g12.id, justNow(20));
    await matters.reject(await centre(justNow(30)), m4, '重复来电');

    // An open inspection task with three points, one checked normal.
    const centreHttp = await t.login('t_centre');
    const task = await t.app.inject({ method: 'POST', url: '/api/inspections', headers: centreHttp, payload: {
      nodeId: t.town.town.id, title: '汛前积水点排查', dueAt: new Date(now.getTime() + 86_400_000).toISOString(),
      points: [{ gridId: t.town.g11.id, name: '花园路涵洞' }, { gridId: t.town.g11.id, name: '1栋地库入口' }, { gridId: t.town.g21.id, name: '建新路低洼处' }],
    } });
    expect(task.statusCode).toBe(201);
    const point = task.json().points.find((p: { name: string }) => p.name === '花园路涵洞');
    const checked = await t.app.inject({ method: 'POST', url: `/api/inspections/${task.json().id}/points/${point.id}/check`, headers: await t.login('t_worker11'), payload: { state: 'normal' } });
    expect(checked.statusCode).toBe(200);
    ids.task = task.json().id;
  });

  it('gives the tiles, the map, the trend, the categories, the inspections and the urgent matters of the town', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/screen/overview?nodeId=${t.town.town.id}`, headers: await t.login('t_centre') });
    expect(res.statusCode).toBe(200);
    const o = res.json();
    expect(o.node).toMatchObject({ id: t.town.town.id, name: '观音桥街道' });
    expect(o.today).toBe(D);
    expect(o.tiles).toEqual({ new: 2, closed: 1, open: 3, rateFrom: addDays(D, -29), onTimeRate: 2 / 3, due: 3, satisfactionRate: 0.5, rated: 2 });

    const grids = [...o.openByGrid].sort((a: { gridId: number }, b: { gridId: number }) => a.gridId - b.gridId);
    expect(grids).toEqual([
      { gridId: t.town.g11.id, open: 1, urgent: 1, overdue: 0 },
      { gridId: t.town.g12.id, open: 1, urgent: 0, overdue: 0 },
      { gridId: t.town.g21.id, open: 1, urgent: 0, overdue: 1 },
    ].sort((a, b) => a.gridId - b.gridId));

    expect(o.trend).toHaveLength(8);
    expect(o.trend.at(-1)).toEqual({ from: addDays(D, -6), to: D, new: 2, closed: 1 });
    expect(o.trend[0]).toEqual({ from: addDays(D, -55), to: addDays(D, -49), new: 0, closed: 0 });
    expect(o.trend.map((w: { new: number }) => w.new)).toEqual([0, 0, 0, 0, 1, 1, 1, 2]);
    expect(o.trend.map((w: { closed: number }) => w.closed)).toEqual([0, 0, 0, 0, 0, 1, 0, 1]);

    expect(o.topCategories.map((c: { code: string; n: number }) => [c.code, c.n])).toEqual([['S06001', 2], ['S03002', 1]]);
    expect(o.inspections).toEqual([{ id: ids.task, title: '汛前积水点排查', dueAt: expect.any(String), overdue: false, total: 3, checked: 1, abnormal: 0 }]);
    expect(o.urgent.map((m: { id: number; urgent: boolean; overdue: boolean }) => [m.id, m.urgent, m.overdue])).toEqual([[ids.m3, true, false], [ids.m2, false, true]]);
    expect(o.latest.map((m: { id: number }) => m.id)).toEqual([ids.m4, ids.m3, ids.m2, ids.m1, ids.m6, ids.m5]);
    expect(o.latest[0]).toMatchObject({ areaName: '花园2网格', status: 'rejected' });
  });

  it('scopes to a community: only its grids and its own rollups', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/screen/overview?nodeId=${t.town.c2.id}`, headers: await t.login('t_admin') });
    expect(res.statusCode).toBe(200);
    const o = res.json();
    expect(o.tiles).toMatchObject({ new: 0, closed: 0, open: 1, due: 1, onTimeRate: 0, rated: 1, satisfactionRate: 0 });
    expect(o.openByGrid).toEqual([{ gridId: t.town.g21.id, open: 1, urgent: 0, overdue: 1 }]);
    expect(o.topCategories.map((c: { code: string }) => c.code)).toEqual(['S06001']);
    expect(o.inspections).toMatchObject([{ total: 1, checked: 0 }]);
  });

  it('is for the centre over the node only', async () => {
    const url = `/api/screen/overview?nodeId=${t.town.town.id}`;
    expectError(await t.app.inject({ method: 'GET', url }), 401, 'UNAUTHENTICATED');
    expectError(await t.app.inject({ method: 'GET', url, headers: await t.login('t_staff1') }), 403, 'FORBIDDEN');
    expectError(await t.app.inject({ method: 'GET', url, headers: await t.login('t_police') }), 403, 'FORBIDDEN');
    expectError(await t.app.inject({ method: 'GET', url: '/api/screen/overview?nodeId=999999', headers: await t.login('t_centre') }), 404, 'NOT_FOUND');
    expectError(await t.app.inject({ method: 'GET', url: '/api/screen/overview?nodeId=abc', headers: await t.login('t_centre') }), 400, 'VALIDATION_FAILED');
  });
});

/**
 * The online grid on the screen: group messages come in through the signed webhook (the real intake path)
 * into the test town's groups (花园2网格 in 花园社区, 建新1网格 in 建新社区) and are counted for today and listed,
 * redacted. A: actionable, with a name after 我是 and a mobile; B: urgent (fire) in 建新1网格; C: chatter;
 * D: actionable, handled in the group; E: actionable, turned into a matter; F: actionable, received yesterday.
 * Today under the town: messages 5 (A–E), actionable 4 (A, B, D, E), urgent 1, handled in group 1, to matter 1.
 */
describe('the big screen\'s online grid', () => {
  const o = useOnlineTown();
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    const post = async (key: string, groupId: string, text: string, senderName = '李阿姨') => {
      const res = await postWebhook(o, webhookMessage({ groupId, text, senderName }));
      expect(res.statusCode, res.body).toBe(201);
      ids[key] = res.json().id;
      return res.json();
    };
    const a = await post('A', 'chat-g12', '3号楼的路灯坏了好几天了，晚上黑黢黢的，我是张秀英，电话13812345678，麻烦来看一下', '张秀英');
    const b = await post('B', 'chat-g21', '建新路2号楼着火了，好大的烟，快来人！');
    const c = await post('C', 'chat-g12', '大家早上好');
    const d = await post('D', 'chat-g12', '花园路的下水道堵了，污水都冒出来了，麻烦处理一下');
    const e = await post('E', 'chat-g12', '小区门口的垃圾好几天没人收了，臭得很，麻烦处理一下');
    const f = await post('F', 'chat-g12', '2栋电梯又坏了，老年人上下楼莫得办法，麻烦处理一下');
    // The sensing outcomes the figures rest on.
    const sensed = await o.deps.db.selectFrom('group_messages').select(['id', 'actionable', 'urgency']).where('id', 'in', [a, b, c, d, e, f].map((m) => m.id)).orderBy('id').execute();
    expect(sensed.map((m) => [m.actionable, m.urgency === 'urgent'])).toEqual([[true, false], [true, true], [false, false], [true, false], [true, false], [true, false]]);
    await o.deps.db.updateTable('group_messages').set({ received_at: new Date(Date.now() - 86_400_000 * 2) }).where('id', '=', ids.F as number).execute();
    const centre = await o.login('t_centre');
    const handled = await o.app.inject({ method: 'POST', url: `/api/group-messages/${ids.D}/handled-in-group`, headers: centre, payload: { note: '已在群里回复' } });
    expect(handled.statusCode, handled.body).toBe(200);
    const toMatter = await o.app.inject({ method: 'POST', url: `/api/group-messages/${ids.E}/to-matter`, headers: centre, payload: {} });
    expect(toMatter.statusCode, toMatter.body).toBe(201);
  });

  it('counts today\'s messages of the town and lists the latest actionable or urgent ones, redacted', async () => {
    const res = await o.app.inject({ method: 'GET', url: `/api/screen/messages?nodeId=${o.town.town.id}`, headers: await o.login('t_centre') });
    expect(res.statusCode).toBe(200);
    const m = res.json();
    expect(m.figures).toEqual({ messages: 5, actionable: 4, urgent: 1, handledInGroup: 1, toMatter: 1 });
    expect(m.latest.map((x: { id: number }) => x.id)).toEqual([ids.F, ids.E, ids.D, ids.B, ids.A]);
    const byId = new Map(m.latest.map((x: { id: number }) => [x.id, x]));
    expect(byId.get(ids.B)).toMatchObject({ gridName: '建新1网格', urgent: true, urgentKind: 'fire', state: 'new' });
    expect(byId.get(ids.D)).toMatchObject({ state: 'handled_in_group', urgent: false });
    expect(byId.get(ids.E)).toMatchObject({ state: 'to_matter' });
    const a = byId.get(ids.A) as Record<string, unknown>;
    expect(a).toMatchObject({ gridName: '花园2网格', urgent: false });
    expect(a.excerpt).toMatch(/^3号楼的路灯坏了好几天了/);
    expect(a.excerpt).toContain('我是***');
    expect(a.excerpt).not.toContain('张秀英');
    expect(a.excerpt).not.toContain('1381234');
    expect([...String(a.excerpt)].length).toBeLessThanOrEqual(41);
    // Neither the full text nor the sender goes to the screen.
    expect(res.body).not.toContain('张秀英');
    expect(res.body).not.toContain('李阿姨');
    expect(res.body).not.toContain('麻烦来看一下');
    expect(Object.keys(a).sort()).toEqual(['at', 'categoryCode', 'categoryName', 'excerpt', 'gridName', 'id', 'state', 'urgent', 'urgentKind']);
  });

  it('gives the same online part inside the overview', async () => {
    const centre = await o.login('t_centre');
    const overview = await o.app.inject({ method: 'GET', url: `/api/screen/overview?nodeId=${o.town.town.id}`, headers: centre });
    const alone = await o.app.inject({ method: 'GET', url: `/api/screen/messages?nodeId=${o.town.town.id}`, headers: centre });
    expect(overview.statusCode).toBe(200);
    expect(overview.json().online).toEqual(alone.json());
  });

  it('scopes to the node: a community sees its own grids\' messages only, and only the centre opens it', async () => {
    const c1 = await o.app.inject({ method: 'GET', url: `/api/screen/messages?nodeId=${o.town.c1.id}`, headers: o.admin });
    expect(c1.statusCode).toBe(200);
    expect(c1.json().figures).toEqual({ messages: 4, actionable: 3, urgent: 0, handledInGroup: 1, toMatter: 1 });
    expect(c1.json().latest.map((x: { id: number }) => x.id)).toEqual([ids.F, ids.E, ids.D, ids.A]);
    const c2 = await o.app.inject({ method: 'GET', url: `/api/screen/messages?nodeId=${o.town.c2.id}`, headers: o.admin });
    expect(c2.json().figures).toMatchObject({ messages: 1, urgent: 1 });
    expect(c2.json().latest.map((x: { id: number }) => x.id)).toEqual([ids.B]);
    const url = `/api/screen/messages?nodeId=${o.town.town.id}`;
    expectError(await o.app.inject({ method: 'GET', url }), 401, 'UNAUTHENTICATED');
    expectError(await o.app.inject({ method: 'GET', url, headers: await o.login('t_worker11') }), 403, 'FORBIDDEN');
    expectError(await o.app.inject({ method: 'GET', url: `/api/screen/messages?nodeId=${o.town.c2.id}`, headers: await o.login('t_staff2') }), 403, 'FORBIDDEN');
    expectError(await o.app.inject({ method: 'GET', url: '/api/screen/messages?nodeId=x', headers: o.admin }), 400, 'VALIDATION_FAILED');
  });
});
