import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createJobRunner } from '../../src/modules/jobs/jobs.setup.ts';
import { testEngine } from '../helpers/engine.ts';
import { uploadPhoto } from '../helpers/matters.ts';
import { useTestTown } from '../helpers/town.ts';
import { useReceiver } from './support.ts';

const SOURCE_SECRET = 'intake-source-secret-0001';
const TARGET_SECRET = 'outbound-target-secret-0001';

// Acceptance: a message in a group → a matter → dispatch → close → the outcome arrives at the group's receiver.
describe(`小事不出群: the resident sees the outcome where he asked (${testEngine})`, () => {
  const t = useTestTown();
  const rx = useReceiver();
  const [admin, worker, community] = t.actors('t_admin', 't_worker11', 't_staff1');

  it('takes a signed message from the group, makes it a matter, and posts the outcome back to that group', async () => {
    const group = (await t.deps.db.selectFrom('online_groups').select(['id', 'external_id']).where('external_id', '=', 'wrG11').executeTakeFirstOrThrow());
    // Another group of the same grid, with its own target: it must hear nothing.
    const quiet = await admin.ok<{ id: number }>('POST', '/api/online-groups', { gridId: t.town.g11.id, platform: 'wecom', externalId: 'wrG11-quiet', name: '花园1网格二群' });
    await admin.ok('POST', `/api/online-groups/${quiet.id}/targets`, { kind: 'wecom_robot', url: rx.url('/robot/quiet?key=quiet') });
    await community.ok('POST', `/api/online-groups/${group.id}/targets`, { kind: 'webhook', url: rx.url('/hooks/garden-1'), secret: TARGET_SECRET });

    // The message arrives through the signed intake webhook.
    const source = await admin.ok<{ id: number }>('POST', '/api/intake/sources', { kind: 'webhook', name: '群聊转发平台', secret: SOURCE_SECRET });
    const raw = JSON.stringify({ id: 'msg-20261122-0001', groupId: 'wrG11', senderId: 'wm_wang', senderName: '王大爷', text: '1栋1单元楼道灯坏了好几天了，晚上下楼看不见，麻烦网格员看看' });
    const ts = String(Math.floor(Date.now() / 1000));
    const taken = await t.app.inject({
      method: 'POST', url: `/api/intake/webhook/${source.id}`, payload: raw,
      headers: { 'content-type': 'application/json', 'x-dualgrid-timestamp': ts, 'x-dualgrid-signature': createHmac('sha256', SOURCE_SECRET).update(`${ts}.${raw}`).digest('hex') },
    });
    expect(taken.statusCode).toBe(201);
    const messageId: number = taken.json().id;
    expect((await worker.ok<{ groupId: number }>('GET', `/api/group-messages/${messageId}`)).groupId).toBe(group.id);

    // The grid worker turns it into a matter; the community dispatches it to the grid; it is handled and closed.
    const made = await worker.ok<{ matterId: number }>('POST', `/api/group-messages/${messageId}/to-matter`, { categoryCode: 'S03002', location: { buildingId: t.town.building.id } });
    const id = made.matterId;
    await community.step(id, 'register', { categoryCode: 'S03002', scope: 'household', complexity: 'simple' });
    await community.step(id, 'dispatch', { lead: { kind: 'node', id: t.town.g11.id } });
    await worker.step(id, 'accept');
    const photo = await uploadPhoto(t.app, await t.login('t_worker11'));
    await worker.step(id, 'handle', { note: '已更换楼道声控灯，恢复照明', photos: [photo] });
    await community.step(id, 'verify', { passed: true, note: '现场核实灯已亮' });
    const closed = await community.step(id, 'close', {});
    expect(closed.status).toBe('closed');

    expect(await createJobRunner(t.deps).runDue(new Date())).toBeGreaterThanOrEqual(1);
    expect(rx.requests.map((r) => r.path)).toEqual(['/hooks/garden-1']);
    const [got] = rx.requests;
    expect(got?.json).toMatchObject({ kind: 'matter_outcome', groupId: group.id, externalGroupId: 'wrG11', platform: 'wecom', matter: { code: closed.publicCode, status: 'closed' } });
    expect(got?.json.text).toContain('【办结反馈】供水设施维修');
    expect(got?.json.text).toContain('已更换楼道声控灯，恢复照明');
    expect(got?.json.photos).toEqual([`http://localhost:8080/api/public/files/${photo}`]);
    const sig = createHmac('sha256', TARGET_SECRET).update(`${got?.headers['x-dualgrid-timestamp']}.${got?.raw}`).digest('hex');
    expect(got?.headers['x-dualgrid-signature']).toBe(sig);

    // The photo the group sees opens without an account.
    const opened = await t.app.inject({ method: 'GET', url: new URL(got?.json.photos[0]).pathname });
    expect(opened.statusCode).toBe(200);
    const log = await community.ok<{ items: { status: string; groupId: number; matterId: number }[] }>('GET', `/api/outbound/deliveries?matterId=${id}`);
    expect(log.items).toMatchObject([{ status: 'sent', groupId: group.id, matterId: id }]);
  });
});
