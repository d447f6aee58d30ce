import { createHmac } from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { createJobRunner } from '../../src/modules/jobs/jobs.setup.ts';
import { expectError } from '../helpers/app.ts';
import { testEngine } from '../helpers/engine.ts';
import { useTestTown } from '../helpers/town.ts';
import { addGroup, linkMessage, matterInFeedback, useReceiver } from './support.ts';

interface Delivery { id: number; groupId: number; status: string; attempts: number; lastStatus: number | null; lastError: string | null; kind: string; matterId: number | null; nextAttemptAt: string | null; attemptLog: { status: number | null; error: string | null }[]; text: string | null }

const MIN = 60_000;

describe(`a closed matter's outcome goes back to its groups (${testEngine})`, () => {
  const t = useTestTown();
  const [admin] = t.actors('t_admin');
  const rx = useReceiver();
  let g11: number;
  let g11b: number;
  let g12: number;
  beforeAll(async () => {
    g11 = (await t.deps.db.selectFrom('online_groups').select('id').where('external_id', '=', 'wrG11').executeTakeFirstOrThrow()).id;
    g11b = await addGroup(admin, t.town.g11.id, 'wrG11b', '花园1网格二群');
    g12 = await addGroup(admin, t.town.g12.id, 'wrG12', '花园2网格群');
    await admin.ok('POST', `/api/online-groups/${g11}/targets`, { kind: 'wecom_robot', url: rx.url('/cgi-bin/webhook/send?key=robot-g11-0001') });
    await admin.ok('POST', `/api/online-groups/${g11b}/targets`, { kind: 'webhook', url: rx.url('/hooks/g11b'), secret: 'g11b-signing-secret-0001' });
  });
  beforeEach(() => {
    rx.requests.length = 0;
    rx.failNext(0);
  });

  const deliveries = async (q: string) => (await admin.ok<{ items: Delivery[] }>('GET', `/api/outbound/deliveries?${q}`)).items;
  const run = (at: Date) => createJobRunner(t.deps).runDue(at);

  it('posts the outcome, with the result photo link, once to each source group and its own target', async () => {
    const m = await matterInFeedback(t);
    // Two messages in the robot group, one in the webhook group: each group hears it once.
    await linkMessage(t, g11, m.id, '3栋楼道灯坏了');
    await linkMessage(t, g11, m.id, '对，晚上很黑');
    await linkMessage(t, g11b, m.id, '楼道灯坏了好几天');
    const closed = await m.community.step(m.id, 'close', { note: '居民确认' });
    expect(closed.status).toBe('closed');
    expect(await deliveries(`matterId=${m.id}`)).toMatchObject([{ status: 'pending' }, { status: 'pending' }]);
    expect(rx.requests).toHaveLength(0);

    await run(new Date());
    expect(rx.requests).toHaveLength(2);
    const robot = rx.requests.find((r) => r.path.startsWith('/cgi-bin/webhook/send'));
    const hook = rx.requests.find((r) => r.path === '/hooks/g11b');
    expect(robot?.path).toBe('/cgi-bin/webhook/send?key=robot-g11-0001');
    expect(robot?.json.msgtype).toBe('markdown');
    const content: string = robot?.json.markdown.content;
    expect(content).toContain('【办结反馈】');
    // Titled as the public page is: the resident's words (here the message) are not repeated in public.
    expect(content).toContain('**【办结反馈】**供水设施维修\n');
    expect(content).not.toContain('群里反映');
    expect(content).toContain('更换楼道灯泡，已恢复照明');
    expect(content).toContain(`http://localhost:8080/api/public/files/${m.resultPhoto}`);
    expect(content).toContain(`http://localhost:8080/r/m/${m.publicCode}`);
    expect(content).not.toContain(m.code);
    expect(content).not.toContain(m.reportPhoto);
    expect(content).not.toContain('王');

    // The webhook: addressed to the group, signed over `${timestamp}.${body}`.
    expect(hook?.json).toMatchObject({ kind: 'matter_outcome', groupId: g11b, externalGroupId: 'wrG11b', platform: 'wecom', matter: { code: m.publicCode, status: 'closed' } });
    expect(hook?.json.photos).toEqual([`http://localhost:8080/api/public/files/${m.resultPhoto}`]);
    expect(hook?.json.text).toContain('处理结果：更换楼道灯泡，已恢复照明');
    const ts = String(hook?.headers['x-dualgrid-timestamp']);
    expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(600);
    expect(hook?.headers['x-dualgrid-signature']).toBe(createHmac('sha256', 'g11b-signing-secret-0001').update(`${ts}.${hook?.raw}`).digest('hex'));

    const log = await deliveries(`matterId=${m.id}`);
    expect(log.map((d) => [d.groupId, d.status, d.attempts, d.lastStatus]).sort()).toEqual([[g11, 'sent', 1, 200], [g11b, 'sent', 1, 200]].sort());
    // Nothing more to send: running again sends nothing.
    await run(new Date(Date.now() + 3 * 3_600_000));
    expect(rx.requests).toHaveLength(2);

    // The photo link works without signing in; the report photo is not public.
    const photo = await t.app.inject({ method: 'GET', url: `/api/public/files/${m.resultPhoto}` });
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/png');
    expectError(await t.app.inject({ method: 'GET', url: `/api/public/files/${m.reportPhoto}` }), 404, 'NOT_FOUND');
    expectError(await t.app.inject({ method: 'GET', url: `/api/public/files/${'0'.repeat(64)}` }), 404, 'NOT_FOUND');
    expectError(await t.app.inject({ method: 'GET', url: '/api/public/files/not-a-hash' }), 400, 'VALIDATION_FAILED');
  });

  it('closing by the reporter\'s rating posts too; reopened and closed again posts a second outcome', async () => {
    const m = await matterInFeedback(t, '群里反映：单元门禁坏了');
    await linkMessage(t, g11, m.id, '单元门禁坏了');
    const resident = await t.as('t_resident');
    expect((await resident.step(m.id, 'rate', { satisfaction: 'satisfied' })).status).toBe('closed');
    await run(new Date());
    expect(rx.requests).toHaveLength(1);
    await m.community.step(m.id, 'reopen', { reason: '门禁又坏了' });
    await m.worker.step(m.id, 'handle', { note: '更换门禁主板', photos: [] });
    await m.community.step(m.id, 'verify', { passed: true });
    await m.community.step(m.id, 'close', {});
    await run(new Date());
    expect(rx.requests).toHaveLength(2);
    expect(rx.requests[1]?.json.markdown.content).toContain('更换门禁主板');
    expect((await deliveries(`matterId=${m.id}`)).map((d) => d.status)).toEqual(['sent', 'sent']);
  });

  it('tells the groups of a duplicate merged into the matter too', async () => {
    const m = await matterInFeedback(t, '群里反映：2栋门口水管漏水');
    await linkMessage(t, g11, m.id, '2栋门口水管漏水');
    const dup = await m.worker.ok<{ id: number }>('POST', '/api/matters', { source: 'group_message', channel: 'group', description: '二群也有人说2栋门口漏水', location: { buildingId: t.town.building.id } });
    await linkMessage(t, g11b, dup.id, '2栋门口漏水');
    await m.community.step(dup.id, 'merge', { intoMatterId: m.id });
    await m.community.step(m.id, 'close', {});
    await run(new Date());
    expect(rx.requests.map((r) => r.path).sort()).toEqual(['/cgi-bin/webhook/send?key=robot-g11-0001', '/hooks/g11b']);
    expect((await deliveries(`matterId=${m.id}`)).map((d) => d.groupId).sort()).toEqual([g11, g11b].sort());
    expect(await deliveries(`matterId=${dup.id}`)).toEqual([]);
  });

  it('retries after failures at 1 and 5 minutes, logging each attempt, then succeeds', async () => {
    const m = await matterInFeedback(t, '群里反映：垃圾桶满了没人清');
    await linkMessage(t, g11, m.id, '垃圾桶满了');
    await m.community.step(m.id, 'close', {});
    rx.failNext(2);
    const t0 = new Date(Date.now() + 1000);
    await run(t0);
    let [d] = await deliveries(`matterId=${m.id}`);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 500 });
    expect(d?.lastError).toContain('HTTP_500');
    expect(d?.nextAttemptAt).toBe(new Date(t0.getTime() + MIN).toISOString());
    // Not before the backoff.
    await run(new Date(t0.getTime() + MIN - 1000));
    expect(rx.requests).toHaveLength(1);
    await run(new Date(t0.getTime() + MIN));
    [d] = await deliveries(`matterId=${m.id}`);
    expect(d).toMatchObject({ status: 'pending', attempts: 2, nextAttemptAt: new Date(t0.getTime() + 6 * MIN).toISOString() });
    await run(new Date(t0.getTime() + 6 * MIN));
    [d] = await deliveries(`matterId=${m.id}`);
    expect(d).toMatchObject({ status: 'sent', attempts: 3, lastStatus: 200, lastError: null, nextAttemptAt: null });
    expect(d?.attemptLog.map((a) => a.status)).toEqual([500, 500, 200]);
    expect(rx.requests).toHaveLength(3);
    expect(new Set(rx.requests.map((r) => r.headers['x-dualgrid-delivery'])).size).toBe(1);
  });

  it('fails for good after the fifth attempt (1 min, 5 min, 30 min, 2 h), and an administrator may send it again', async () => {
    const m = await matterInFeedback(t, '群里反映：小区路灯不亮');
    await linkMessage(t, g11, m.id, '路灯不亮');
    await m.community.step(m.id, 'close', {});
    rx.failNext(100, 502);
    const t0 = new Date(Date.now() + 1000);
    let at = t0.getTime();
    await run(new Date(at));
    for (const wait of [MIN, 5 * MIN, 30 * MIN, 120 * MIN]) {
      at += wait;
      await run(new Date(at));
    }
    let [d] = await deliveries(`matterId=${m.id}`);
    expect(d).toMatchObject({ status: 'failed', attempts: 5, lastStatus: 502, nextAttemptAt: null });
    expect(rx.requests).toHaveLength(5);
    await run(new Date(at + 24 * 60 * MIN));
    expect(rx.requests).toHaveLength(5);
    expect((await deliveries('status=failed')).some((x) => x.id === d?.id)).toBe(true);

    // Only an administrator retries, only a failed delivery.
    const staff = await t.as('t_staff1');
    expectError(await staff.raw('POST', `/api/outbound/deliveries/${d?.id}/retry`), 403, 'FORBIDDEN');
    expectError(await t.app.inject({ method: 'POST', url: `/api/outbound/deliveries/${d?.id}/retry` }), 401, 'UNAUTHENTICATED');
    rx.failNext(0);
    expect(await admin.ok<Delivery>('POST', `/api/outbound/deliveries/${d?.id}/retry`)).toMatchObject({ status: 'pending' });
    expectError(await admin.raw('POST', `/api/outbound/deliveries/${d?.id}/retry`), 409, 'CONFLICT');
    await run(new Date());
    [d] = await deliveries(`matterId=${m.id}`);
    expect(d).toMatchObject({ status: 'sent', attempts: 6 });
    expect(rx.requests).toHaveLength(6);
  });

  it('logs a group without a target as failed NO_TARGET, and sends it once a target is added and it is retried', async () => {
    const m = await matterInFeedback(t, '群里反映：楼下井盖松动');
    await linkMessage(t, g12, m.id, '井盖松动');
    await m.community.step(m.id, 'close', {});
    let [d] = await deliveries(`groupId=${g12}`);
    expect(d).toMatchObject({ status: 'failed', attempts: 0, matterId: m.id });
    expect(d?.lastError).toMatch(/^NO_TARGET/);
    await admin.ok('POST', `/api/online-groups/${g12}/targets`, { kind: 'wecom_robot', url: rx.url('/cgi-bin/webhook/send?key=robot-g12') });
    await admin.ok('POST', `/api/outbound/deliveries/${d?.id}/retry`);
    await run(new Date());
    [d] = await deliveries(`groupId=${g12}`);
    expect(d).toMatchObject({ status: 'sent', attempts: 1 });
    expect(rx.requests.map((r) => r.path)).toEqual(['/cgi-bin/webhook/send?key=robot-g12']);
  });

  it('counts a WeCom errcode as a failure', async () => {
    const m = await matterInFeedback(t, '群里反映：电梯异响');
    await linkMessage(t, g11, m.id, '电梯异响');
    await m.community.step(m.id, 'close', {});
    rx.answerWith({ errcode: 93000, errmsg: 'invalid webhook url' });
    try {
      await run(new Date(Date.now() + 1000));
    } finally {
      rx.answerWith({ errcode: 0, errmsg: 'ok' });
    }
    const [d] = await deliveries(`matterId=${m.id}`);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 200 });
    expect(d?.lastError).toContain('WECOM_93000');
    await run(new Date(Date.now() + 2 * MIN));
    expect((await deliveries(`matterId=${m.id}`))[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('never sends one delivery twice with two runners on the same database', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) {
      const m = await matterInFeedback(t, `群里反映：第${i + 1}个问题需要处理`);
      await linkMessage(t, g11, m.id, '问题');
      await linkMessage(t, g11b, m.id, '问题');
      await m.community.step(m.id, 'close', {});
      ids.push(m.id);
    }
    // A second app copy: another connection pool on the same PostgreSQL database (PGlite has one process to offer).
    const other = t.database.url ? await openDatabase({ databaseUrl: t.database.url, pgliteDir: null, poolSize: 3 }) : null;
    try {
      const a = createJobRunner(t.deps, { batch: 2 });
      const b = createJobRunner(other ? { ...t.deps, db: other.db } : t.deps, { batch: 2 });
      const now = new Date(Date.now() + 1000);
      const ran = await Promise.all([a.runDue(now), b.runDue(now), a.runDue(now), b.runDue(now)]);
      expect(ran.reduce((x, y) => x + y, 0)).toBe(8);
    } finally {
      await other?.close();
    }
    expect(rx.requests).toHaveLength(8);
    const sentIds = rx.requests.map((r) => String(r.headers['x-dualgrid-delivery']));
    expect(new Set(sentIds).size).toBe(8);
    for (const id of ids) expect((await deliveries(`matterId=${id}`)).map((d) => [d.status, d.attempts])).toEqual([['sent', 1], ['sent', 1]]);
  });
});
