import { beforeAll, describe, expect, it } from 'vitest';
import { type MatterAction, nextStatus } from '../src/core/matters/workflow.ts';
import type { MatterFacts } from '../src/core/stats/deltas.ts';
import type { MatterLevel, MatterSource } from '../src/core/vocabulary.ts';
import { applyRollups } from '../src/modules/stats/rollup.ts';
import * as structureRepo from '../src/modules/structure/structure.repository.ts';
import { expectError } from './helpers/app.ts';
import { useTestTown } from './helpers/town.ts';

/**
 * Statistics against a hand-computed fixture. The matters service is not used: rows are written directly
 * and applyRollups is called for each change exactly as the service will. Times are UTC ('…Z'); Beijing
 * days are 8 h ahead, so every step at 02:00–10:00Z falls on the same calendar day in Beijing.
 */
const at = (s: string) => new Date(`2026-${s}Z`);
interface M { id: number; facts: MatterFacts }

describe('statistics', () => {
  const t = useTestTown();
  const [admin] = t.sessions('t_admin');
  let catA = 0;
  let catB = 0;
  let post2 = 0;
  let seq = 0;
  const db = () => t.deps.db;
  const get = async (url: string, headers: Record<string, string> = admin) => t.app.inject({ method: 'GET', url, headers });

  async function report(area: { id: number; path: string }, source: MatterSource, categoryId: number | null, level: MatterLevel, when: string): Promise<M> {
    const facts: MatterFacts = { status: 'reported', source, categoryId, level, areaPath: area.path, reportedAt: at(when), registeredAt: null, dueAt: null,
      closedAt: null, closedOnTime: null, satisfaction: null, assignees: [] };
    const row = await db().insertInto('matters').values({ code: `M${++seq}`, source, channel: 'web', title: 't', description: 'd', category_id: categoryId,
      area_node_id: area.id, area_path: area.path, owner_node_id: area.id, owner_path: area.path, status: 'reported', level, reported_at: facts.reportedAt })
      .returning('id').executeTakeFirstOrThrow();
    await t.deps.db.transaction().execute((trx) => applyRollups(trx, { before: null, after: facts, action: 'report', at: facts.reportedAt }));
    return { id: row.id, facts };
  }

  /** One step of the loop as the service does it: the row, the assignments and the rollups in one transaction. */
  async function step(m: M, action: MatterAction, when: string, patch: Partial<MatterFacts> = {}) {
    const before = m.facts;
    const now = at(when);
    const after: MatterFacts = { ...before, status: nextStatus(before.status, action), ...patch };
    if (action === 'register') after.registeredAt = now;
    if (after.status === 'closed' && before.status !== 'closed') Object.assign(after, { closedAt: now, closedOnTime: after.dueAt !== null && now <= after.dueAt });
    if (before.status === 'closed' && after.status !== 'closed') Object.assign(after, { closedAt: null, closedOnTime: null });
    await t.deps.db.transaction().execute(async (trx) => {
      await trx.updateTable('matters').where('id', '=', m.id).set({ status: after.status, level: after.level, due_at: after.dueAt, registered_at: after.registeredAt,
        closed_at: after.closedAt, closed_on_time: after.closedOnTime, satisfaction: after.satisfaction }).execute();
      await trx.deleteFrom('matter_assignments').where('matter_id', '=', m.id).execute();
      const status = after.status === 'dispatched' ? 'pending' : after.status === 'closed' ? 'done' : 'accepted';
      for (const subject of after.assignees) {
        const [kind = '', id = ''] = subject.split(':');
        const targetKind = kind === 'unit' ? 'node' : kind === 'post' || kind === 'department' || kind === 'board' ? kind : 'node';
        await trx.insertInto('matter_assignments').values({ matter_id: m.id, role: 'lead', target_kind: targetKind, target_id: Number(id), target_name: subject,
          node_id: t.town.town.id, status }).execute();
      }
      await applyRollups(trx, { before, after, action, at: now });
    });
    m.facts = after;
  }

  beforeAll(async () => {
    const cat = (code: string, name: string) => db().insertInto('categories').values({ code, catalogue: 'city', major: '市容环境', name, default_level: 'grid', scope: 'household',
      complexity: 'simple', deadline_amount: 2, deadline_unit: 'natural_days' })
      // The reference seed may already hold these codes; either way the row ends up with this name.
      .onConflict((oc) => oc.column('code').doUpdateSet({ name })).returning('id').executeTakeFirstOrThrow();
    catB = (await cat('09009', '机动车乱停放')).id;
    catA = (await cat('06010', '暴露垃圾')).id;
    post2 = (await structureRepo.insertPost(t.deps.db, t.town.board.id, '综合执法岗')).id;
    await structureRepo.insertDepartment(t.deps.db, { nodeId: t.town.district.id, name: '区城管局', kind: 'department', jointDutyType: null, boardId: null });
    const [g11, g12, g21] = [t.town.g11, t.town.g12, t.town.g21];
    const p1 = `post:${t.town.post.id}`;

    // M1 (g11, visit, A, grid): the happy path, closed satisfied on time. Due 03-03.
    const m1 = await report(g11, 'visit', catA, 'grid', '03-01T02:00:00');
    await step(m1, 'register', '03-01T03:00:00');
    await step(m1, 'dispatch', '03-01T04:00:00', { dueAt: at('03-03T10:00:00'), assignees: [p1] });
    await step(m1, 'accept', '03-01T05:00:00');
    await step(m1, 'handle', '03-02T02:00:00');
    await step(m1, 'verify_pass', '03-02T03:00:00');
    await step(m1, 'rate_ok', '03-02T04:00:00', { satisfaction: 'satisfied' }); // 25 h after registration

    // M2 (g12, hotline, A, grid): extended 03-04 → 03-06, fails verification, rated dissatisfied; still open, overdue.
    const m2 = await report(g12, 'hotline', catA, 'grid', '03-02T02:00:00');
    await step(m2, 'register', '03-02T03:00:00');
    await step(m2, 'dispatch', '03-02T04:00:00', { dueAt: at('03-04T10:00:00'), assignees: [p1] });
    await step(m2, 'accept', '03-02T05:00:00');
    await step(m2, 'extend', '03-03T02:00:00', { dueAt: at('03-06T10:00:00') });
    await step(m2, 'handle', '03-05T02:00:00');
    await step(m2, 'verify_fail', '03-05T03:00:00');
    await step(m2, 'handle', '03-05T06:00:00');
    await step(m2, 'verify_pass', '03-05T07:00:00');
    await step(m2, 'rate_bad', '03-05T08:00:00', { satisfaction: 'dissatisfied' });

    // M3 (g11, resident report, B, community): reassigned post 1 → post 2, closed, reopened, closed late "basically". Due 03-05.
    const m3 = await report(g11, 'resident_report', catB, 'community', '03-03T02:00:00');
    await step(m3, 'register', '03-03T03:00:00');
    await step(m3, 'dispatch', '03-03T04:00:00', { dueAt: at('03-05T10:00:00'), assignees: [p1] });
    await step(m3, 'reassign', '03-03T05:00:00', { assignees: [`post:${post2}`] });
    await step(m3, 'accept', '03-03T06:00:00');
    await step(m3, 'handle', '03-04T02:00:00');
    await step(m3, 'verify_pass', '03-04T03:00:00');
    await step(m3, 'close', '03-04T04:00:00'); // 25 h after registration
    await step(m3, 'reopen', '03-06T02:00:00');
    await step(m3, 'handle', '03-07T02:00:00');
    await step(m3, 'verify_pass', '03-07T03:00:00');
    await step(m3, 'rate_ok', '03-07T04:00:00', { satisfaction: 'basically' }); // 97 h after registration, after its due time

    // M4 (g21, group message, A, community): police lead, escalated to the town's board, suspended. Due on the `to` day.
    const m4 = await report(g21, 'group_message', catA, 'community', '03-04T02:00:00');
    await step(m4, 'register', '03-04T03:00:00');
    await step(m4, 'dispatch', '03-04T04:00:00', { dueAt: at('03-10T10:00:00'), assignees: [`department:${t.town.police.id}`] });
    await step(m4, 'accept', '03-04T05:00:00');
    await step(m4, 'escalate', '03-05T02:00:00', { level: 'town', assignees: [`board:${t.town.board.id}`] });
    await step(m4, 'suspend', '03-06T02:00:00');

    // M5 (g21, sensor, no category, grid): due 03-10 16:30Z = 03-11 00:30 in Beijing, the day after `to`; overdue, pending.
    const m5 = await report(g21, 'sensor', null, 'grid', '03-09T02:00:00');
    await step(m5, 'register', '03-09T03:00:00');
    await step(m5, 'dispatch', '03-09T04:00:00', { dueAt: at('03-10T16:30:00'), assignees: [p1] });

    // M6 (g12, patrol, B, grid): reported 02-28 (before `from`), due on the `from` day, closed satisfied on time.
    const m6 = await report(g12, 'patrol', catB, 'grid', '02-28T02:00:00');
    await step(m6, 'register', '02-28T03:00:00');
    await step(m6, 'dispatch', '02-28T04:00:00', { dueAt: at('03-01T10:00:00'), assignees: [p1] });
    await step(m6, 'accept', '02-28T05:00:00');
    await step(m6, 'handle', '03-01T02:00:00');
    await step(m6, 'verify_pass', '03-01T03:00:00');
    await step(m6, 'rate_ok', '03-01T04:00:00', { satisfaction: 'satisfied' }); // 25 h after registration

    // M7 (g11, hotline, no category, grid): not accepted as a matter.
    const m7 = await report(g11, 'hotline', null, 'grid', '03-08T02:00:00');
    await step(m7, 'reject', '03-08T03:00:00');
  });

  const range = 'from=2026-03-01&to=2026-03-10';
  const none = { reworkRate: null, satisfactionRate: null, averageHandlingHours: null };
  const sources = { group_message: 0, visit: 0, patrol: 0, resident_report: 0, hotline: 0, sensor: 0, inspection: 0, deliberation: 0 };
  const levels = { grid: 0, community: 0, town: 0, district: 0 };
  const statuses = { reported: 0, registered: 0, dispatched: 0, handling: 0, handled: 0, feedback: 0, closed: 0, suspended: 0, merged: 0, rejected: 0 };
  const catRef = (id: number, code: string, name: string, n: number) => ({ categoryId: id, code, name, n });
  const uncategorised = (n: number) => ({ categoryId: null, code: null, name: null, n });

  it('sums a town over a range exactly as computed by hand, boundaries included', async () => {
    const res = await get(`/api/stats/summary?nodeId=${t.town.town.id}&${range}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      node: { id: t.town.town.id, level: 'town', code: '500105004000', name: '观音桥街道' }, from: '2026-03-01', to: '2026-03-10',
      reported: {
        total: 6, // M1 M2 M3 M4 M5 M7; M6 was reported on 02-28
        bySource: { ...sources, visit: 1, hotline: 2, resident_report: 1, group_message: 1, sensor: 1 }, // M1 | M2 M7 | M3 | M4 | M5
        byCategory: [catRef(catA, '06010', '暴露垃圾', 3), catRef(catB, '09009', '机动车乱停放', 1), uncategorised(2)], // M1 M2 M4 | M3 | M5 M7
        byLevel: { ...levels, grid: 4, community: 1, town: 1 }, // M1 M2 M5 M7 | M3 | M4 after its escalation
        byStatus: { ...statuses, closed: 2, handling: 1, suspended: 1, dispatched: 1, rejected: 1 }, // M1 M3 | M2 | M4 | M5 | M7
      },
      due: 5, // due 03-01..03-10: M6 (03-01), M1 (03-03), M3 (03-05), M2 (03-06 after extension), M4 (03-10); not M5 (03-11 Beijing)
      closed: 3, closedOnTime: 2, closureRate: 3 / 5, onTimeRate: 2 / 5, // closed M1 M3 M6; on time M1 M6 (M3 closed after 03-05)
      rated: 4, satisfied: 2, basically: 1, dissatisfied: 1, satisfactionRate: 3 / 4, // M1 M6 satisfied, M3 basically, M2 dissatisfied
      handled: 6, reworked: 3, reworkRate: 3 / 6, // handled M1 1, M2 2, M3 2, M6 1; rework M2 verify_fail + rate_bad, M3 reopen
      closes: 4, averageHandlingHours: (25 + 25 + 97 + 25) / 4, // M1 25 h, M3 25 h then 97 h, M6 25 h (03-01 is in range) = 43 h
      suspended: 1, extended: 1, escalated: 1, // M4 | M2 | M4
      overdueNow: 2, // M2 (handling, due 03-06), M5 (dispatched, due 03-11); M4 is suspended
    });
  });

  it('gives null rates and zero counts for a range with nothing in it; overdue now stays live', async () => {
    const res = (await get(`/api/stats/summary?nodeId=${t.town.town.id}&from=2026-04-01&to=2026-04-30`)).json();
    expect(res.reported).toEqual({ total: 0, bySource: sources, byCategory: [], byLevel: levels, byStatus: statuses });
    expect(res).toMatchObject({ due: 0, closed: 0, closureRate: null, onTimeRate: null, rated: 0, handled: 0, closes: 0, ...none, overdueNow: 2 });
    // One day: only M6 is due on 03-01, and it closed on time; M6's close and M1's report fall on 03-01 too.
    const first = (await get(`/api/stats/summary?nodeId=${t.town.town.id}&from=2026-03-01&to=2026-03-01`)).json();
    expect(first).toMatchObject({ due: 1, closed: 1, closureRate: 1, onTimeRate: 1, handled: 1, closes: 1, averageHandlingHours: 25, reported: { total: 1 } });
  });

  it('breaks a town down into its communities, by code', async () => {
    const items = (await get(`/api/stats/breakdown?nodeId=${t.town.town.id}&${range}`)).json().items;
    expect(items.map((i: { node: { id: number } }) => i.node.id)).toEqual([t.town.c1.id, t.town.c2.id]);
    expect(items[0]).toEqual({
      node: { id: t.town.c1.id, level: 'community', code: '500105004001', name: '花园社区' },
      reported: {
        total: 4, // M1 M2 M3 M7 (g11, g12)
        bySource: { ...sources, visit: 1, hotline: 2, resident_report: 1 }, byCategory: [catRef(catA, '06010', '暴露垃圾', 2), catRef(catB, '09009', '机动车乱停放', 1), uncategorised(1)],
        byLevel: { ...levels, grid: 3, community: 1 }, byStatus: { ...statuses, closed: 2, handling: 1, rejected: 1 },
      },
      due: 4, closed: 3, closedOnTime: 2, closureRate: 3 / 4, onTimeRate: 2 / 4, // M1 M2 M3 M6 due; M1 M3 M6 closed; M1 M6 on time
      rated: 4, satisfied: 2, basically: 1, dissatisfied: 1, satisfactionRate: 3 / 4, handled: 6, reworked: 3, reworkRate: 3 / 6,
      closes: 4, averageHandlingHours: 43, suspended: 0, extended: 1, escalated: 0, overdueNow: 1, // all of the town's but M4 and M5; overdue M2
    });
    expect(items[1]).toEqual({
      node: { id: t.town.c2.id, level: 'community', code: '500105004002', name: '建新社区' },
      reported: { total: 2, bySource: { ...sources, group_message: 1, sensor: 1 }, byCategory: [catRef(catA, '06010', '暴露垃圾', 1), uncategorised(1)],
        byLevel: { ...levels, town: 1, grid: 1 }, byStatus: { ...statuses, suspended: 1, dispatched: 1 } }, // M4 M5
      due: 1, closed: 0, closedOnTime: 0, closureRate: 0, onTimeRate: 0, // M4 due on the `to` day, suspended; M5 due the day after
      rated: 0, satisfied: 0, basically: 0, dissatisfied: 0, handled: 0, reworked: 0, closes: 0, ...none,
      suspended: 1, extended: 0, escalated: 1, overdueNow: 1, // M4 | M4 | M5
    });
    expect((await get(`/api/stats/breakdown?nodeId=${t.town.g11.id}&${range}`)).json().items).toEqual([]); // a grid without micro-grids
  });

  it('reports each post, department and board serving the town, with its own overdue matters', async () => {
    const posts = (await get(`/api/stats/handlers?nodeId=${t.town.town.id}&${range}&kind=post`)).json().items;
    expect(posts).toEqual([{
      kind: 'post', id: t.town.post.id, name: '交通巡逻岗', subject: `post:${t.town.post.id}`,
      due: 3, closed: 2, closedOnTime: 2, closureRate: 2 / 3, onTimeRate: 2 / 3, // M1 M2 M6 due; M1 M6 closed on time; M3's due left with the reassignment
      rated: 3, satisfied: 2, basically: 0, dissatisfied: 1, satisfactionRate: 2 / 3, // M1 M6 | M2
      handled: 4, reworked: 2, reworkRate: 2 / 4, closes: 2, averageHandlingHours: 25, // M1 1 + M2 2 + M6 1; M2 twice; M1 M6 25 h each
      suspended: 0, extended: 1, escalated: 0, overdueNow: 2, // M2 (accepted), M5 (pending)
    }, {
      kind: 'post', id: post2, name: '综合执法岗', subject: `post:${post2}`,
      due: 1, closed: 1, closedOnTime: 0, closureRate: 1, onTimeRate: 0, // M3, closed after its due time
      rated: 1, satisfied: 0, basically: 1, dissatisfied: 0, satisfactionRate: 1, handled: 2, reworked: 1, reworkRate: 1 / 2, // M3 handled twice, reopened once
      closes: 2, averageHandlingHours: (25 + 97) / 2, suspended: 0, extended: 0, escalated: 0, overdueNow: 0,
    }]);
    const depts = (await get(`/api/stats/handlers?nodeId=${t.town.town.id}&${range}&kind=department`)).json().items;
    // The police lost M4 to the escalation, so nothing stays with them; the district bureau serves the town too.
    expect(depts.map((d: { name: string; due: number; closureRate: number | null }) => [d.name, d.due, d.closureRate])).toEqual([['观音桥派出所', 0, null], ['区城管局', 0, null]]);
    const boards = (await get(`/api/stats/handlers?nodeId=${t.town.c1.id}&${range}&kind=board`)).json().items; // the town's centre serves its communities
    expect(boards).toMatchObject([{ id: t.town.board.id, due: 1, closed: 0, closureRate: 0, escalated: 1, suspended: 1, overdueNow: 0 }]); // M4 after escalation
  });

  it('lets staff read only their part of the tree, handlers only their own figures', async () => {
    const worker = await t.login('t_worker11');
    const grid = await get(`/api/stats/summary?nodeId=${t.town.g11.id}&${range}`, worker);
    expect(grid.statusCode).toBe(200);
    expect(grid.json()).toMatchObject({ reported: { total: 3 }, due: 2, closed: 2, closedOnTime: 1, overdueNow: 0 }); // M1 M3 M7; M1 M3 due and closed
    expectError(await get(`/api/stats/summary?nodeId=${t.town.town.id}&${range}`, worker), 403, 'FORBIDDEN');
    expectError(await get(`/api/stats/breakdown?nodeId=${t.town.c1.id}&${range}`, worker), 403, 'FORBIDDEN');
    const police = await t.login('t_police');
    const own = await get(`/api/stats/handlers?nodeId=${t.town.town.id}&${range}&kind=department`, police);
    expect(own.json().items.map((d: { id: number }) => d.id)).toEqual([t.town.police.id]);
    expectError(await get(`/api/stats/handlers?nodeId=${t.town.town.id}&${range}&kind=post`, police), 403, 'FORBIDDEN');
    expectError(await get(`/api/stats/summary?nodeId=${t.town.town.id}&${range}`, police), 403, 'FORBIDDEN');
    const post = await t.login('t_post');
    expect((await get(`/api/stats/handlers?nodeId=${t.town.g21.id}&${range}&kind=post`, post)).json().items.map((p: { id: number }) => p.id)).toEqual([t.town.post.id]);
    expectError(await get(`/api/stats/summary?nodeId=${t.town.town.id}&${range}`, {}), 401, 'UNAUTHENTICATED');
    expectError(await get(`/api/stats/summary?nodeId=${t.town.g11.id}&${range}`, await t.login('t_volunteer')), 403, 'FORBIDDEN');
  });

  it('refuses reversed, over-long and impossible ranges', async () => {
    for (const q of ['from=2026-03-10&to=2026-03-01', 'from=2023-03-01&to=2026-03-01', 'from=2026-02-30&to=2026-03-01', 'from=2026-3-1&to=2026-03-02', 'from=2026-03-01']) {
      expectError(await get(`/api/stats/summary?nodeId=${t.town.town.id}&${q}`), 400, 'VALIDATION_FAILED');
    }
    expect((await get(`/api/stats/summary?nodeId=${t.town.town.id}&from=2023-03-02&to=2026-03-01`)).statusCode).toBe(200);
    expectError(await get(`/api/stats/handlers?nodeId=${t.town.town.id}&${range}&kind=unit`), 400, 'VALIDATION_FAILED');
    expectError(await get(`/api/stats/summary?nodeId=999999&${range}`), 404, 'NOT_FOUND');
  });
});
