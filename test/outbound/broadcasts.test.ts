import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { createJobRunner } from '../../src/modules/jobs/jobs.setup.ts';
import { beijingWeekday as isoWeekday } from '../../src/core/beijing.ts';
import { expectError } from '../helpers/app.ts';
import { testEngine } from '../helpers/engine.ts';
import { useTestTown } from '../helpers/town.ts';
import { addGroup, useReceiver } from './support.ts';

interface Plan { id: number; nextRunAt: string | null; status: string; groupIds: number[]; nodeId: number | null; theme: string | null; contentId: number | null }
interface Target { id: number; url: string; secretHint: string | null; status: string; kind: string }

const DAY = 86_400_000;
const beijingClock = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(11, 16);

describe(`broadcasts (宣传) and outbound targets (${testEngine})`, () => {
  const t = useTestTown();
  const [admin, centre, staff1] = t.actors('t_admin', 't_centre', 't_staff1');
  const rx = useReceiver();
  const groups: Record<string, number> = {};
  beforeAll(async () => {
    groups.g11 = (await t.deps.db.selectFrom('online_groups').select('id').where('external_id', '=', 'wrG11').executeTakeFirstOrThrow()).id;
    groups.g12 = await addGroup(admin, t.town.g12.id, 'wrG12', '花园2网格群');
    groups.g21 = await addGroup(admin, t.town.g21.id, 'wrG21', '建新1网格群');
    for (const [name, id] of Object.entries(groups)) {
      await admin.ok('POST', `/api/online-groups/${id}/targets`, { kind: 'wecom_robot', url: rx.url(`/robot/${name}?key=k-${name}-secret`) });
    }
  });
  beforeEach(() => {
    rx.requests.length = 0;
  });

  const count = async (table: 'broadcast_plans' | 'broadcast_content' | 'outbound_targets' | 'outbound_deliveries') =>
    (await t.deps.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
  const run = (at: Date) => createJobRunner(t.deps).runDue(at);
  const paths = () => rx.requests.map((r) => r.path.split('?')[0]).sort();

  describe('targets', () => {
    it('keeps secrets masked, one active target per group, and refuses bad input without writing', async () => {
      const g = await addGroup(admin, t.town.g11.id, 'wrG11-targets', '花园1网格测试群');
      const before = await count('outbound_targets');
      for (const bad of [
        { kind: 'wecom_robot', url: 'ftp://example.org/x' },
        { kind: 'wecom_robot', url: 'not a url' },
        { kind: 'webhook', url: rx.url('/hook') },
        { kind: 'webhook', url: rx.url('/hook'), secret: 'short' },
        { kind: 'wecom_robot', url: rx.url('/robot'), secret: 'robots-are-not-signed-0001' },
        { kind: 'sms', url: rx.url('/robot') },
      ]) expectError(await staff1.raw('POST', `/api/online-groups/${g}/targets`, bad), 400, 'VALIDATION_FAILED');
      expect(await count('outbound_targets')).toBe(before);

      const created = await staff1.ok<Target>('POST', `/api/online-groups/${g}/targets`, { kind: 'webhook', url: rx.url('/hook?token=abcdef123456'), secret: 'a-long-signing-secret-wxyz' });
      expect(created).toMatchObject({ kind: 'webhook', secretHint: '****wxyz', status: 'active' });
      expect(created.url).toBe(rx.url('/hook?token=****3456'));
      expect(JSON.stringify(await staff1.ok('GET', `/api/online-groups/${g}/targets`))).not.toContain('a-long-signing-secret');
      expectError(await staff1.raw('POST', `/api/online-groups/${g}/targets`, { kind: 'wecom_robot', url: rx.url('/robot') }), 409, 'CONFLICT');
      expectError(await staff1.raw('PATCH', `/api/online-groups/${g}/targets/${created.id}`, { secret: null }), 400, 'VALIDATION_FAILED');
      expectError(await staff1.raw('PATCH', `/api/online-groups/${g}/targets/${created.id}`, {}), 400, 'VALIDATION_FAILED');
      expect(await staff1.ok<Target>('PATCH', `/api/online-groups/${g}/targets/${created.id}`, { status: 'disabled' })).toMatchObject({ status: 'disabled' });
      const robot = await staff1.ok<Target>('POST', `/api/online-groups/${g}/targets`, { kind: 'wecom_robot', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa' });
      expect(robot.url).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****5aaa');
      expectError(await staff1.raw('PATCH', `/api/online-groups/${g}/targets/${created.id}`, { status: 'active' }), 409, 'CONFLICT');
      const list = await staff1.ok<{ items: Target[] }>('GET', `/api/online-groups/${g}/targets`);
      expect(list.items.map((x) => [x.kind, x.status])).toEqual([['webhook', 'disabled'], ['wecom_robot', 'active']]);
    });

    it('lets only administrators and the community staff of the group near its targets', async () => {
      const g = groups.g11;
      expectError(await t.app.inject({ method: 'GET', url: `/api/online-groups/${g}/targets` }), 401, 'UNAUTHENTICATED');
      for (const who of ['t_worker11', 't_staff2', 't_centre', 't_resident']) {
        const actor = await t.as(who);
        expectError(await actor.raw('GET', `/api/online-groups/${g}/targets`), 403, 'FORBIDDEN');
        expectError(await actor.raw('POST', `/api/online-groups/${g}/targets`, { kind: 'wecom_robot', url: rx.url('/x') }), 403, 'FORBIDDEN');
      }
      expectError(await admin.raw('GET', '/api/online-groups/999999/targets'), 404, 'NOT_FOUND');
    });
  });

  describe('content and plans', () => {
    it('refuses bad content and plans with 400, writing nothing, and strangers with 401/403', async () => {
      const contentBefore = await count('broadcast_content');
      for (const bad of [{ title: '', body: '内容' }, { title: '标题', body: '' }, { title: '标题', body: 'x'.repeat(2001) }, { title: '标题' }]) {
        expectError(await centre.raw('POST', '/api/broadcasts/content', bad), 400, 'VALIDATION_FAILED');
      }
      expectError(await t.app.inject({ method: 'POST', url: '/api/broadcasts/content', payload: { title: '标题', body: '内容' } }), 401, 'UNAUTHENTICATED');
      const worker = await t.as('t_worker11');
      expectError(await worker.raw('POST', '/api/broadcasts/content', { title: '标题', body: '内容' }), 403, 'FORBIDDEN');
      expectError(await worker.raw('GET', '/api/broadcasts/content'), 403, 'FORBIDDEN');
      expect(await count('broadcast_content')).toBe(contentBefore);

      const c = await centre.ok<{ id: number }>('POST', '/api/broadcasts/content', { title: '防诈骗提醒', body: '不听不信不转账。' });
      // Another broadcaster may use it but not change it; the author and administrators may.
      expectError(await staff1.raw('PATCH', `/api/broadcasts/content/${c.id}`, { title: '改' }), 403, 'FORBIDDEN');
      expect(await centre.ok('PATCH', `/api/broadcasts/content/${c.id}`, { title: '防诈骗每日提醒' })).toMatchObject({ title: '防诈骗每日提醒' });

      const plansBefore = await count('broadcast_plans');
      const jobsBefore = await t.deps.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'broadcast.run').executeTakeFirstOrThrow();
      const ok = { name: '每日提醒', cadence: 'daily', timeOfDay: '08:00', contentId: c.id, nodeId: t.town.c1.id };
      for (const bad of [
        { ...ok, timeOfDay: '24:00' }, { ...ok, timeOfDay: '8:00' }, { ...ok, cadence: 'weekly' }, { ...ok, weekday: 3 }, { ...ok, cadence: 'weekly', weekday: 8 },
        { ...ok, theme: '防诈骗' }, { ...ok, contentId: undefined }, { ...ok, groupIds: [groups.g11] }, { ...ok, nodeId: undefined },
        { ...ok, contentId: 999999 }, { ...ok, contentId: undefined, theme: '没有的主题' }, { ...ok, nodeId: undefined, groupIds: [999999] }, { ...ok, name: '' },
      ]) expectError(await centre.raw('POST', '/api/broadcasts/plans', bad), 400, 'VALIDATION_FAILED');
      expectError(await t.app.inject({ method: 'POST', url: '/api/broadcasts/plans', payload: ok }), 401, 'UNAUTHENTICATED');
      expectError(await worker.raw('POST', '/api/broadcasts/plans', ok), 403, 'FORBIDDEN');
      // Community staff of 建新 may not broadcast to 花园's groups.
      const staff2 = await t.as('t_staff2');
      expectError(await staff2.raw('POST', '/api/broadcasts/plans', ok), 403, 'FORBIDDEN');
      expectError(await staff2.raw('POST', '/api/broadcasts/plans', { ...ok, nodeId: undefined, groupIds: [groups.g21, groups.g11] }), 403, 'FORBIDDEN');
      expect(await count('broadcast_plans')).toBe(plansBefore);
      const jobsAfter = await t.deps.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'broadcast.run').executeTakeFirstOrThrow();
      expect(jobsAfter.n).toBe(jobsBefore.n);
    });

    it('runs a daily plan at its time to every group under the node, once per day, even with two runners', async () => {
      const c = await staff1.ok<{ id: number }>('POST', '/api/broadcasts/content', { title: '冬季用火安全', body: '出门断电关气，不在楼道堆放杂物。' });
      const plan = await staff1.ok<Plan>('POST', '/api/broadcasts/plans', { name: '花园社区每日提醒', cadence: 'daily', timeOfDay: '08:00', contentId: c.id, nodeId: t.town.c1.id });
      expect(plan.nextRunAt).not.toBeNull();
      const due = new Date(plan.nextRunAt ?? 0);
      expect(beijingClock(due.toISOString())).toBe('08:00');
      expect(due.getTime() - Date.now()).toBeGreaterThan(0);
      expect(due.getTime() - Date.now()).toBeLessThanOrEqual(DAY);
      // The plan is listed for its author and the centre, not for another community.
      expect((await staff1.ok<{ items: Plan[] }>('GET', '/api/broadcasts/plans')).items.map((p) => p.id)).toContain(plan.id);
      expect((await (await t.as('t_staff2')).ok<{ items: Plan[] }>('GET', '/api/broadcasts/plans')).items.map((p) => p.id)).not.toContain(plan.id);

      // Not before its time.
      await run(new Date(due.getTime() - 1000));
      expect(rx.requests).toHaveLength(0);

      const other = t.database.url ? await openDatabase({ databaseUrl: t.database.url, pgliteDir: null, poolSize: 3 }) : null;
      try {
        const a = createJobRunner(t.deps);
        const b = createJobRunner(other ? { ...t.deps, db: other.db } : t.deps);
        const at = new Date(due.getTime() + 1000);
        await Promise.all([a.runDue(at), b.runDue(at), a.runDue(at), b.runDue(at)]);
      } finally {
        await other?.close();
      }
      // c1's groups (g11 and g12), not c2's.
      expect(paths()).toEqual(['/robot/g11', '/robot/g12']);
      expect(rx.requests[0]?.json.markdown.content).toBe('**【宣传】冬季用火安全**\n出门断电关气，不在楼道堆放杂物。');
      const next = await staff1.ok<Plan>('GET', `/api/broadcasts/plans/${plan.id}`);
      expect(next.nextRunAt).toBe(new Date(due.getTime() + DAY).toISOString());
      const pending = await t.deps.db.selectFrom('jobs').select('run_at').where('kind', '=', 'broadcast.run').where('status', '=', 'pending')
        .where('dedupe_key', 'like', `broadcast:${plan.id}:%`).execute();
      expect(pending.map((j) => j.run_at.toISOString())).toEqual([new Date(due.getTime() + DAY).toISOString()]);
      const log = await staff1.ok<{ items: { kind: string; status: string; groupId: number }[] }>('GET', '/api/outbound/deliveries?kind=broadcast');
      expect(log.items.filter((d) => d.status === 'sent')).toHaveLength(2);

      // The next day, again once.
      rx.requests.length = 0;
      await run(new Date(due.getTime() + DAY + 1000));
      expect(paths()).toEqual(['/robot/g11', '/robot/g12']);

      // Paused: nothing runs and there is no next run; resumed: the next 08:00 again.
      const paused = await staff1.ok<Plan>('PATCH', `/api/broadcasts/plans/${plan.id}`, { status: 'paused' });
      expect(paused).toMatchObject({ status: 'paused', nextRunAt: null });
      rx.requests.length = 0;
      await run(new Date(due.getTime() + 2 * DAY + 1000));
      expect(rx.requests).toHaveLength(0);
      const resumed = await staff1.ok<Plan>('PATCH', `/api/broadcasts/plans/${plan.id}`, { status: 'active' });
      expect(beijingClock(resumed.nextRunAt ?? '')).toBe('08:00');
    });

    it('runs a weekly theme plan on its weekday to its groups, rotating through the theme', async () => {
      const a = await centre.ok<{ id: number }>('POST', '/api/broadcasts/content', { title: '防溺水：不私自下水', body: '不私自下水游泳，不到无安全设施的水域玩耍。', theme: '防溺水' });
      const b = await centre.ok<{ id: number }>('POST', '/api/broadcasts/content', { title: '防溺水：结伴同行', body: '发现有人落水，大声呼救，不盲目施救。', theme: '防溺水' });
      const plan = await centre.ok<Plan>('POST', '/api/broadcasts/plans', { name: '每周主题·防溺水', cadence: 'weekly', weekday: 5, timeOfDay: '19:30', theme: '防溺水', groupIds: [groups.g12, groups.g21] });
      const due = new Date(plan.nextRunAt ?? 0);
      expect(isoWeekday(due)).toBe(5);
      expect(beijingClock(due.toISOString())).toBe('19:30');
      expect(due.getTime() - Date.now()).toBeLessThanOrEqual(7 * DAY);

      await run(new Date(due.getTime() + 1000));
      expect(paths()).toEqual(['/robot/g12', '/robot/g21']);
      const first: string = rx.requests[0]?.json.markdown.content;
      expect(first).toMatch(/^\*\*【宣传·防溺水】防溺水：/);
      rx.requests.length = 0;
      await run(new Date(due.getTime() + 7 * DAY + 1000));
      expect(paths()).toEqual(['/robot/g12', '/robot/g21']);
      const second: string = rx.requests[0]?.json.markdown.content;
      expect(second).toMatch(/^\*\*【宣传·防溺水】防溺水：/);
      expect(second).not.toBe(first);
      expect([a.id, b.id]).toHaveLength(2);
      expect((await centre.ok<Plan>('GET', `/api/broadcasts/plans/${plan.id}`)).nextRunAt).toBe(new Date(due.getTime() + 14 * DAY).toISOString());

      // A run more than 6 h late (the server was down) sends nothing and only schedules the next.
      rx.requests.length = 0;
      await run(new Date(due.getTime() + 14 * DAY + 7 * 3_600_000));
      expect(rx.requests).toHaveLength(0);
      expect((await centre.ok<Plan>('GET', `/api/broadcasts/plans/${plan.id}`)).nextRunAt).toBe(new Date(due.getTime() + 21 * DAY).toISOString());
    });
  });
});
