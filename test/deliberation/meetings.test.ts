import { describe, expect, it } from 'vitest';
import { useTestTown } from '../helpers/town.ts';

interface Agenda { id: number; title: string; itemId: number | null; itemState: string | null; outcome: string; stateAfter: string | null }
interface Meeting { id: number; state: string; agenda: Agenda[]; attendance: number; attendees: { name: string; via: string }[] | null; minutes: string; closedAt: string | null; station: { brand: string } | null }
interface Opened extends Meeting { checkin: { code: string; url: string; qrSvg: string } }

describe('meetings (议事会): stations, the pending-items log, attendance by code', () => {
  const t = useTestTown({ seed: 'story' });
  const [staff1, resident, resident21] = t.actors('t_staff1', 't_resident', 't_resident21');
  const attendees = async (meetingId: number) =>
    (await t.deps.db.selectFrom('meeting_attendees').select((eb) => eb.fn.countAll<number>().as('n')).where('meeting_id', '=', meetingId).executeTakeFirstOrThrow()).n;
  const soon = () => new Date(Date.now() + 86_400_000).toISOString();

  it('runs a neighbourhood meeting through the log, from check-in to the next meeting', async () => {
    const station = await staff1.ok<{ id: number; brand: string; name: string }>('POST', '/api/grid-stations', { nodeId: t.town.g11.id, name: '花园1网格驿站', brand: '连心桥', address: '花园路1号' });
    expect(station).toMatchObject({ brand: '连心桥', name: '花园1网格驿站' });
    const seen = await resident.ok<{ items: { id: number; brand: string }[] }>('GET', `/api/grid-stations?nodeId=${t.town.g11.id}`);
    expect(seen.items.map((s) => [s.id, s.brand])).toEqual([[station.id, '连心桥']]);
    expect((await resident21.raw('GET', `/api/grid-stations?nodeId=${t.town.g11.id}`)).statusCode).toBe(404);

    const item = (title: string) => staff1.ok<{ id: number; state: string }>('POST', '/api/pending-items', { nodeId: t.town.g11.id, title, kind: 'shared', owner: '网格员甲' });
    const railing = await item('3栋楼梯扶手松了');
    const lamp = await item('院坝路灯不亮，晚上莫得光');
    const done = await item('垃圾桶挪位置');
    expect((await staff1.ok<{ state: string }>('POST', `/api/pending-items/${done.id}`, { state: 'done' })).state).toBe('done');

    const m = await staff1.ok<Meeting>('POST', '/api/meetings', {
      nodeId: t.town.c1.id, kind: 'neighbourhood', title: '花园社区邻里会', place: '驿站', startsAt: soon(), stationId: station.id, agenda: [{ title: '娃儿放学路上的安全' }],
    });
    expect(m.state).toBe('planned');
    expect(m.station?.brand).toBe('连心桥');
    expect(m.agenda.map((a) => [a.title, a.itemId, a.itemState])).toEqual([
      ['娃儿放学路上的安全', null, null], ['3栋楼梯扶手松了', railing.id, 'open'], ['院坝路灯不亮，晚上莫得光', lamp.id, 'open'],
    ]);

    // A resident may neither open nor close.
    expect((await resident.raw('POST', `/api/meetings/${m.id}/open`)).statusCode).toBe(403);
    expect((await resident.raw('POST', `/api/meetings/${m.id}/checkin`, { code: '000000', via: 'code' })).json().error.code).toBe('CONFLICT');

    const opened = await staff1.ok<Opened>('POST', `/api/meetings/${m.id}/open`);
    expect(opened.state).toBe('open');
    expect(opened.checkin.code).toMatch(/^\d{6}$/);
    expect(opened.checkin.url).toBe(`${t.deps.config.publicUrl}/r/meetings/${m.id}/checkin?code=${opened.checkin.code}`);
    expect(opened.checkin.qrSvg).toMatch(/^<svg/);
    const code = opened.checkin.code;

    const wrong = await resident.raw('POST', `/api/meetings/${m.id}/checkin`, { code: code === '123456' ? '654321' : '123456', via: 'code' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe('VALIDATION_FAILED');
    expect(await attendees(m.id)).toBe(0);

    const first = await resident.raw('POST', `/api/meetings/${m.id}/checkin`, { code, via: 'code' });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ name: '王**', via: 'code' });
    const again = await resident.raw('POST', `/api/meetings/${m.id}/checkin`, { code, via: 'qr' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    const other = await resident21.raw('POST', `/api/meetings/${m.id}/checkin`, { code, via: 'code' });
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('NOT_A_VOTER');
    expect(await attendees(m.id)).toBe(1);

    const li = await staff1.raw('POST', `/api/meetings/${m.id}/attendance`, { residentId: t.town.residents.r12 });
    expect(li.statusCode).toBe(201);
    expect(li.json()).toMatchObject({ name: '李**', via: 'staff' });
    expect((await staff1.raw('POST', `/api/meetings/${m.id}/attendance`, { residentId: t.town.residents.r12 })).statusCode).toBe(200);
    expect(await attendees(m.id)).toBe(2);

    const asResident = await resident.ok<Meeting>('GET', `/api/meetings/${m.id}`);
    expect(asResident).toMatchObject({ attendance: 2, attendees: null });
    const asStaff = await staff1.ok<Meeting>('GET', `/api/meetings/${m.id}`);
    expect(asStaff.attendees?.map((a) => [a.name, a.via])).toEqual([['王**', 'code'], ['李**', 'staff']]);
    expect((await resident21.raw('GET', `/api/meetings/${m.id}`)).statusCode).toBe(404);

    const railingRow = m.agenda.find((a) => a.itemId === railing.id);
    if (!railingRow) throw new Error('railing not on the agenda');
    const after = await staff1.ok<Meeting>('POST', `/api/meetings/${m.id}/agenda/${railingRow.id}`, { outcome: '物业下周一来修，修好了就销账', stateAfter: 'done' });
    expect(after.agenda.find((a) => a.id === railingRow.id)).toMatchObject({ itemState: 'done', stateAfter: 'done', outcome: '物业下周一来修，修好了就销账' });
    const itemRow = await t.deps.db.selectFrom('pending_items').select('state').where('id', '=', railing.id).executeTakeFirstOrThrow();
    expect(itemRow.state).toBe('done');

    expect((await resident.raw('POST', `/api/meetings/${m.id}/close`, { minutes: '散会' })).statusCode).toBe(403);
    const closed = await staff1.ok<Meeting>('POST', `/api/meetings/${m.id}/close`, { minutes: '大家都晓得了：扶手物业修，路灯报社区。' });
    expect(closed).toMatchObject({ state: 'closed', minutes: '大家都晓得了：扶手物业修，路灯报社区。' });
    expect(closed.closedAt).not.toBeNull();
    expect((await staff1.raw('POST', `/api/meetings/${m.id}/close`, { minutes: '' })).json().error.code).toBe('CONFLICT');
    expect((await resident.raw('POST', `/api/meetings/${m.id}/checkin`, { code, via: 'code' })).json().error.code).toBe('CONFLICT');

    const next = await staff1.ok<Meeting>('POST', '/api/meetings', { nodeId: t.town.c1.id, kind: 'review', title: '花园社区评议会', startsAt: soon() });
    expect(next.agenda.map((a) => a.itemId)).toEqual([lamp.id]);

    const list = await resident.ok<{ items: { id: number }[] }>('GET', `/api/meetings?nodeId=${t.town.c1.id}&state=closed`);
    expect(list.items.map((x) => x.id)).toEqual([m.id]);
    const log = await staff1.ok<{ items: { id: number }[] }>('GET', `/api/pending-items?nodeId=${t.town.c1.id}&state=open`);
    expect(log.items.map((x) => x.id)).toEqual([lamp.id]);
    const audits = await t.deps.db.selectFrom('audit_log').select('details').where('action', '=', 'pending_item.change').where('subject_id', '=', String(railing.id)).execute();
    expect(audits.length).toBe(1);
  });

  it('refuses a topic from another community and a meeting above a community, changing nothing', async () => {
    const meetings = async () => (await t.deps.db.selectFrom('deliberation_meetings').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const before = await meetings();
    const topic = await resident21.ok<{ id: number }>('POST', '/api/topics', { title: '楼下停车乱得很', supportThreshold: 0 });
    const res = await staff1.raw('POST', '/api/meetings', { nodeId: t.town.c1.id, kind: 'round_table', title: '圆桌会', startsAt: soon(), topicId: topic.id });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    const town = await staff1.raw('POST', '/api/meetings', { nodeId: t.town.district.id, kind: 'review', title: '区里评议', startsAt: soon() });
    expect(town.statusCode).toBe(400);
    expect(await meetings()).toBe(before);
  });

  it('voids a check-in code after 30 wrong ones, until the organisers open check-in again', async () => {
    const m = await staff1.ok<{ id: number }>('POST', '/api/meetings', { nodeId: t.town.g11.id, kind: 'round_table', title: '圆桌会', startsAt: soon() });
    const { checkin } = await staff1.ok<Opened>('POST', `/api/meetings/${m.id}/open`);
    const wrong = checkin.code === '000000' ? '000001' : '000000';
    for (let i = 0; i < 30; i++) expect((await resident.raw('POST', `/api/meetings/${m.id}/checkin`, { code: wrong })).json().error.code).toBe('VALIDATION_FAILED');
    // Even the right code is refused now, saying why; nobody was checked in.
    const refused = await resident.raw('POST', `/api/meetings/${m.id}/checkin`, { code: checkin.code });
    expect(refused.json().error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('void') });
    expect(await attendees(m.id)).toBe(0);
    const again = await staff1.ok<Opened>('POST', `/api/meetings/${m.id}/open`);
    await resident.ok('POST', `/api/meetings/${m.id}/checkin`, { code: again.checkin.code });
    expect(await attendees(m.id)).toBe(1);
  });
});
