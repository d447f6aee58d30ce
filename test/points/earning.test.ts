import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { beijingDay, startOfBeijingDay } from '../../src/core/beijing.ts';
import type { EarnRule } from '../../src/core/vocabulary.ts';
import { signWebhook } from '../../src/core/webhook.ts';
import * as repo from '../../src/modules/points/points.repository.ts';
import type { Actor, MatterOut } from '../helpers/matters.ts';
import { useTestTown } from '../helpers/town.ts';

interface Mine { balance: number; items: { delta: number; kind: string; rule: string | null }[] }
interface Terms { points: number; dailyCap?: number; monthlyCap?: number; active?: boolean }

/**
 * Points granted by the events that earn them (德分宝, issue 14): each event over HTTP grants its rule's points to the
 * registered resident it is about, once, in the event's own transaction; a repeated or double-clicked event grants
 * once, a refused one nothing, a rule past its daily cap or switched off nothing; the ledger reconciles at the end.
 */
describe('points earned by the events that earn them', () => {
  const t = useTestTown({ seed: 'story' });
  const [admin, centre, resident, resident12, resident21, staff1, worker11, worker12] =
    t.actors('t_admin', 't_centre', 't_resident', 't_resident12', 't_resident21', 't_staff1', 't_worker11', 't_worker12');
  const db = () => t.deps.db;
  const SECRET = 'webhook-secret-for-points-0123456789';
  let webhookId = 0;
  let g11Group = 0;

  beforeAll(async () => {
    const source = await admin.ok<{ id: number }>('POST', '/api/intake/sources', { kind: 'webhook', name: '群消息网关', secret: SECRET });
    webhookId = source.id;
    g11Group = (await db().selectFrom('online_groups').select('id').where('external_id', '=', 'wrG11').executeTakeFirstOrThrow()).id;
    // 王建国 (r11) is a real-name member of the 花园1网格 group; 赵 is not linked to the register.
    await worker11.ok('POST', `/api/online-groups/${g11Group}/members`, { externalUserId: 'wang', displayName: '王建国', residentId: t.town.residents.r11 });
  });

  /** A resident's balance from the ledger (0 before the account opens). */
  const balance = async (residentId: number) => (await repo.residentAccount(db(), residentId))?.balance ?? 0;
  const balances = async () => ({ r11: await balance(t.town.residents.r11), r12: await balance(t.town.residents.r12), r21: await balance(t.town.residents.r21) });
  /** The grant of a rule for one event, if any. */
  const grant = (rule: EarnRule, eventRef: string) => repo.transferByKey(db(), `rule:${rule}:${eventRef}`);
  /** What a rule credited a resident today (Beijing day), as the caps count it. */
  async function earnedToday(residentId: number, rule: EarnRule) {
    const account = await repo.ensureResidentAccount(db(), residentId);
    const day = beijingDay(new Date());
    return (await repo.earnedSince(db(), account.id, rule, startOfBeijingDay(day), startOfBeijingDay(`${day.slice(0, 8)}01`))).today;
  }
  const setRule = (rule: EarnRule, v: Terms) =>
    admin.ok('PUT', `/api/points/rules/${rule}`, { points: v.points, dailyCap: v.dailyCap ?? 0, monthlyCap: v.monthlyCap ?? 0, active: v.active ?? true });
  /** My points as the resident sees them: the balance and the newest entry of the statement. */
  const latest = async (by: Actor) => {
    const mine = await by.ok<Mine>('GET', '/api/points/me');
    return { balance: mine.balance, last: mine.items[0] };
  };
  const statusOf = (responses: { statusCode: number }[]) => responses.map((r) => r.statusCode).sort();
  const errorCode = (r: { json: () => { error?: { code?: string } } }) => r.json().error?.code;

  // ---- matters ----
  const report = (by: Actor, extra: Record<string, unknown> = {}) =>
    by.ok<MatterOut>('POST', '/api/matters', { source: 'resident_report', description: '楼道的灯坏了好几天，晚上黑漆漆的', location: { buildingId: t.town.building.id }, ...extra });
  const register = (id: number) => centre.raw('POST', `/api/matters/${id}/register`, { categoryCode: 'S06001' });

  it('grants accepted_report when a resident\'s report is registered (立案), once, to the reporter, and never for a refused, rejected or merged one', async () => {
    await setRule('accepted_report', { points: 10 });
    const before = await balances();

    const a = await report(resident);
    expect(await balance(t.town.residents.r11)).toBe(before.r11);
    expect((await register(a.id)).statusCode).toBe(200);
    const mine = await resident.ok<Mine>('GET', '/api/points/me');
    expect(mine.balance).toBe(before.r11 + 10);
    expect(mine.items[0]).toMatchObject({ delta: 10, kind: 'earn', rule: 'accepted_report' });
    expect(await grant('accepted_report', `matter:${a.id}`)).toMatchObject({ amount: 10, kind: 'earn', state: 'posted' });

    // A double click on 立案: one registers, the other is refused; one grant.
    const b = await report(resident);
    expect(statusOf(await Promise.all([register(b.id), register(b.id)]))).toEqual([200, 409]);
    expect(await balance(t.town.residents.r11)).toBe(before.r11 + 20);

    // Refused (an unknown category, the wrong person), then rejected: nothing. A merged duplicate: nothing.
    const c = await report(resident);
    expect(errorCode(await centre.raw('POST', `/api/matters/${c.id}/register`, { categoryCode: 'NO_SUCH' }))).toBe('VALIDATION_FAILED');
    expect((await resident.raw('POST', `/api/matters/${c.id}/register`, { categoryCode: 'S06001' })).statusCode).toBeGreaterThanOrEqual(400);
    await centre.step(c.id, 'reject', { reason: '不属于受理范围' });
    const d = await report(resident);
    await centre.step(d.id, 'merge', { intoMatterId: a.id, note: '同一件事' });
    expect(await grant('accepted_report', `matter:${c.id}`)).toBeUndefined();
    expect(await grant('accepted_report', `matter:${d.id}`)).toBeUndefined();

    // Staff reporting for a resident of the register: the resident earns; a patrol of their own: nobody does.
    const forLi = await worker12.ok<MatterOut>('POST', '/api/matters', { source: 'patrol', description: '李秀英说院坝的下水道堵了', location: { nodeId: t.town.g12.id }, reporter: { residentId: t.town.residents.r12 } });
    const patrol = await worker11.ok<MatterOut>('POST', '/api/matters', { source: 'patrol', description: '巡查发现井盖松动', location: { nodeId: t.town.g11.id } });
    await centre.step(forLi.id, 'register', { categoryCode: 'S06001' });
    await centre.step(patrol.id, 'register', { categoryCode: 'S06001' });
    expect(await grant('accepted_report', `matter:${patrol.id}`)).toBeUndefined();
    expect(await latest(resident12)).toMatchObject({ balance: before.r12 + 10, last: { delta: 10, rule: 'accepted_report' } });
    expect(await balance(t.town.residents.r11)).toBe(before.r11 + 20);

    // The daily cap: one more full grant fits, the next report registered earns nothing.
    await setRule('accepted_report', { points: 10, dailyCap: (await earnedToday(t.town.residents.r11, 'accepted_report')) + 10 });
    const e = await report(resident);
    const f = await report(resident);
    await centre.step(e.id, 'register', { categoryCode: 'S06001' });
    await centre.step(f.id, 'register', { categoryCode: 'S06001' });
    expect(await balance(t.town.residents.r11)).toBe(before.r11 + 30);
    expect(await grant('accepted_report', `matter:${f.id}`)).toBeUndefined();

    // The rule switched off: nothing.
    await setRule('accepted_report', { points: 10, active: false });
    const g = await report(resident);
    await centre.step(g.id, 'register', { categoryCode: 'S06001' });
    expect(await grant('accepted_report', `matter:${g.id}`)).toBeUndefined();
    expect(await balances()).toEqual({ ...before, r11: before.r11 + 30, r12: before.r12 + 10 });
    await setRule('accepted_report', { points: 10 });
  });

  // ---- online groups ----
  async function groupMessage(senderId: string, senderName: string, text: string): Promise<number> {
    const raw = JSON.stringify({ id: randomUUID(), groupId: 'wrG11', senderId, senderName, text });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const res = await t.app.inject({
      method: 'POST', url: `/api/intake/webhook/${webhookId}`, payload: raw,
      headers: { 'content-type': 'application/json', 'x-dualgrid-timestamp': timestamp, 'x-dualgrid-signature': signWebhook(SECRET, timestamp, raw) },
    });
    if (res.statusCode !== 201 || res.json().state !== 'new') throw new Error(`webhook: ${res.statusCode} ${res.body}`);
    return res.json().id;
  }
  const handled = (id: number, by: Actor = worker11, note = '已在群里告知物业，当天修好') => by.raw('POST', `/api/group-messages/${id}/handled-in-group`, { note });

  it('grants handled_in_group to a registered sender of a message handled in the group, once, and accepted_report for a message turned into a registered matter', async () => {
    await setRule('handled_in_group', { points: 5 });
    await setRule('accepted_report', { points: 10 });
    const before = await balances();

    const lamp = await groupMessage('wang', '王建国', '1栋门口路灯不亮了，麻烦处理一下');
    // Refused: another grid's worker, an empty note. Nothing granted.
    expect(errorCode(await handled(lamp, worker12))).toBe('NOT_FOUND');
    expect(errorCode(await handled(lamp, worker11, ''))).toBe('VALIDATION_FAILED');
    expect(await grant('handled_in_group', `message:${lamp}`)).toBeUndefined();
    // A double click: one marks it, the other is refused; one grant to 王建国.
    expect(statusOf(await Promise.all([handled(lamp), handled(lamp)]))).toEqual([200, 409]);
    const mine = await resident.ok<Mine>('GET', '/api/points/me');
    expect(mine.balance).toBe(before.r11 + 5);
    expect(mine.items[0]).toMatchObject({ delta: 5, kind: 'earn', rule: 'handled_in_group' });

    // A sender who is not in the register earns nothing, and no one else does either.
    const chat = await groupMessage('zhao', '赵', '小区门口的井盖坏了，谁管一下');
    expect((await handled(chat)).statusCode).toBe(200);
    expect(await grant('handled_in_group', `message:${chat}`)).toBeUndefined();

    // A message turned into a matter is 王建国's report: registered, it earns accepted_report; to-matter alone nothing.
    const drain = await groupMessage('wang', '王建国', '1栋下水道堵了，污水冒出来了');
    const made = await worker11.ok<{ matterId: number }>('POST', `/api/group-messages/${drain}/to-matter`, {});
    expect(await balance(t.town.residents.r11)).toBe(before.r11 + 5);
    await centre.step(made.matterId, 'register', { categoryCode: 'S06001' });
    expect(await grant('accepted_report', `matter:${made.matterId}`)).toMatchObject({ amount: 10 });
    expect(await grant('handled_in_group', `message:${drain}`)).toBeUndefined();
    expect(await balance(t.town.residents.r11)).toBe(before.r11 + 15);

    // The daily cap, then the rule switched off.
    await setRule('handled_in_group', { points: 5, dailyCap: (await earnedToday(t.town.residents.r11, 'handled_in_group')) + 5 });
    const [m1, m2] = [await groupMessage('wang', '王建国', '3栋楼道堆满了杂物'), await groupMessage('wang', '王建国', '3栋电梯又停了')];
    expect((await handled(m1)).statusCode).toBe(200);
    expect((await handled(m2)).statusCode).toBe(200);
    expect(await grant('handled_in_group', `message:${m1}`)).toMatchObject({ amount: 5 });
    expect(await grant('handled_in_group', `message:${m2}`)).toBeUndefined();
    await setRule('handled_in_group', { points: 5, active: false });
    const m3 = await groupMessage('wang', '王建国', '院坝的树枝挂到电线了');
    expect((await handled(m3)).statusCode).toBe(200);
    expect(await grant('handled_in_group', `message:${m3}`)).toBeUndefined();
    expect(await balances()).toEqual({ ...before, r11: before.r11 + 20 });
    await setRule('handled_in_group', { points: 5 });
  });

  // ---- deliberation ----
  const future = () => new Date(Date.now() + 3 * 86_400_000).toISOString();
  async function topic(title: string, goals: { kind: string; label: string; unit: string; target: number }[] = []) {
    const tp = await staff1.ok<{ id: number }>('POST', '/api/topics', { title, scope: 'community', nodeId: t.town.c1.id, supportThreshold: 0 });
    const plan = await staff1.ok<{ id: number; goals: { id: number }[] }>('POST', `/api/topics/${tp.id}/plans`, { title: `${title}的方案`, goals });
    return { id: tp.id, goalIds: plan.goals.map((g) => g.id) };
  }
  async function votingTopic(title: string) {
    const { id } = await topic(title);
    await staff1.ok('POST', `/api/topics/${id}/vote/open`, { closesAt: future() });
    return id;
  }
  const vote = (by: Actor, id: number) => by.raw('POST', `/api/topics/${id}/votes`, { approval: 'yes' });

  it('grants deliberation_vote once per topic per resident, by phone or recorded by staff, and nothing for a refused or second vote', async () => {
    await setRule('deliberation_vote', { points: 5 });
    const before = await balances();

    const notYet = await topic('还在协商的议题');
    expect(errorCode(await vote(resident, notYet.id))).toBe('TOPIC_NOT_OPEN');
    const first = await votingTopic('小区加装监控');
    expect(errorCode(await vote(resident21, first))).toBe('NOT_FOUND');
    expect((await vote(resident, first)).statusCode).toBe(201);
    // A second vote (another channel, another answer) is refused and grants nothing more.
    expect(errorCode(await resident.raw('POST', `/api/topics/${first}/votes`, { approval: 'no' }))).toBe('ALREADY_VOTED');
    expect(errorCode(await staff1.raw('POST', `/api/topics/${first}/votes/record`, { residentId: t.town.residents.r11, channel: 'paper', approval: 'no' }))).toBe('ALREADY_VOTED');
    expect((await staff1.raw('POST', `/api/topics/${first}/votes/record`, { residentId: t.town.residents.r12, channel: 'meeting', approval: 'yes' })).statusCode).toBe(201);
    expect(await grant('deliberation_vote', `vote:${first}:${t.town.residents.r11}`)).toMatchObject({ amount: 5 });
    expect(await latest(resident12)).toMatchObject({ balance: before.r12 + 5, last: { delta: 5, rule: 'deliberation_vote' } });

    // A double click on the phone: one vote, one grant.
    const second = await votingTopic('院坝加装晾衣架');
    expect(statusOf(await Promise.all([vote(resident, second), vote(resident, second)]))).toEqual([201, 409]);
    expect(await latest(resident)).toMatchObject({ balance: before.r11 + 10, last: { delta: 5, kind: 'earn', rule: 'deliberation_vote' } });

    // The daily cap, then the rule switched off.
    await setRule('deliberation_vote', { points: 5, dailyCap: (await earnedToday(t.town.residents.r11, 'deliberation_vote')) + 5 });
    const [third, fourth] = [await votingTopic('楼道装感应灯'), await votingTopic('院坝划停车位')];
    expect((await vote(resident, third)).statusCode).toBe(201);
    expect((await vote(resident, fourth)).statusCode).toBe(201);
    expect(await grant('deliberation_vote', `vote:${fourth}:${t.town.residents.r11}`)).toBeUndefined();
    await setRule('deliberation_vote', { points: 5, active: false });
    expect((await vote(resident12, third)).statusCode).toBe(201);
    expect(await grant('deliberation_vote', `vote:${third}:${t.town.residents.r12}`)).toBeUndefined();
    expect(await balances()).toEqual({ ...before, r11: before.r11 + 15, r12: before.r12 + 5 });
    await setRule('deliberation_vote', { points: 5 });
  });

  it('grants deliberation_pledge when a resident\'s pledge is confirmed delivered, once, and nothing for a promise, a cancel or an organisation', async () => {
    await setRule('deliberation_pledge', { points: 10 });
    const before = await balances();
    const { id, goalIds } = await topic('小区门口修雨棚', [{ kind: 'money', label: '众筹', unit: '元', target: 5000 }, { kind: 'labour', label: '出工', unit: '小时', target: 20 }]);
    const [money, labour] = goalIds;
    const pledge = (by: Actor, body: Record<string, unknown>) => by.ok<{ id: number }>('POST', `/api/topics/${id}/pledges`, body);
    const deliver = (pledgeId: number, by: Actor = staff1) => by.raw('POST', `/api/topics/${id}/pledges/${pledgeId}/deliver`, { note: '已兑现' });

    const mine = await pledge(resident, { goalId: money, amount: 200 });
    const firm = await pledge(staff1, { goalId: money, amount: 2000, organisation: '花园物业公司' });
    const forLi = await pledge(staff1, { goalId: labour, amount: 4, residentId: t.town.residents.r12 });
    const dropped = await pledge(resident, { goalId: labour, amount: 2 });
    // Promising earns nothing; a resident cannot confirm their own; a cancelled pledge never earns.
    expect(await balances()).toEqual(before);
    expect((await deliver(mine.id, resident)).statusCode).toBe(403);
    expect((await staff1.raw('POST', `/api/topics/${id}/pledges/${dropped.id}/cancel`, { note: '出差了' })).statusCode).toBe(200);
    expect(errorCode(await deliver(dropped.id))).toBe('CONFLICT');
    expect(await grant('deliberation_pledge', `pledge:${dropped.id}`)).toBeUndefined();

    // A double click on 兑现: one confirms, the other is refused; one grant to 王建国.
    expect(statusOf(await Promise.all([deliver(mine.id), deliver(mine.id)]))).toEqual([200, 409]);
    expect(await latest(resident)).toMatchObject({ balance: before.r11 + 10, last: { delta: 10, kind: 'earn', rule: 'deliberation_pledge' } });
    // The organisation's pledge earns nobody anything; the one staff recorded for 李秀英 earns her.
    expect((await deliver(firm.id)).statusCode).toBe(200);
    expect(await grant('deliberation_pledge', `pledge:${firm.id}`)).toBeUndefined();
    expect((await deliver(forLi.id)).statusCode).toBe(200);
    expect(await latest(resident12)).toMatchObject({ balance: before.r12 + 10, last: { delta: 10, rule: 'deliberation_pledge' } });

    // The daily cap, then the rule switched off.
    await setRule('deliberation_pledge', { points: 10, dailyCap: (await earnedToday(t.town.residents.r11, 'deliberation_pledge')) + 10 });
    const [p1, p2, p3] = [await pledge(resident, { goalId: money, amount: 50 }), await pledge(resident, { goalId: money, amount: 60 }), await pledge(resident, { goalId: labour, amount: 1 })];
    expect((await deliver(p1.id)).statusCode).toBe(200);
    expect((await deliver(p2.id)).statusCode).toBe(200);
    expect(await grant('deliberation_pledge', `pledge:${p1.id}`)).toMatchObject({ amount: 10 });
    expect(await grant('deliberation_pledge', `pledge:${p2.id}`)).toBeUndefined();
    await setRule('deliberation_pledge', { points: 10, active: false });
    expect((await deliver(p3.id)).statusCode).toBe(200);
    expect(await grant('deliberation_pledge', `pledge:${p3.id}`)).toBeUndefined();
    expect(await balances()).toEqual({ ...before, r11: before.r11 + 20, r12: before.r12 + 10 });
    await setRule('deliberation_pledge', { points: 10 });
  });

  async function openMeeting(title: string) {
    const m = await staff1.ok<{ id: number }>('POST', '/api/meetings', { nodeId: t.town.c1.id, kind: 'round_table', title, startsAt: new Date().toISOString() });
    const opened = await staff1.ok<{ checkin: { code: string } }>('POST', `/api/meetings/${m.id}/open`);
    return { id: m.id, code: opened.checkin.code };
  }
  const checkin = (by: Actor, m: { id: number; code: string }, code = m.code) => by.raw('POST', `/api/meetings/${m.id}/checkin`, { code, via: 'code' });

  it('grants meeting_attendance for a resident\'s attendance by code, QR or staff, once per meeting, and nothing for a refused check-in or staff', async () => {
    await setRule('meeting_attendance', { points: 10 });
    const before = await balances();

    const m = await openMeeting('花园社区圆桌会');
    expect(errorCode(await checkin(resident, m, m.code === '123456' ? '654321' : '123456'))).toBe('VALIDATION_FAILED');
    expect(errorCode(await checkin(resident21, m))).toBe('NOT_A_VOTER');
    expect(await balances()).toEqual(before);
    // A double click on the code, then again by QR: one attendance, one grant.
    expect(statusOf(await Promise.all([checkin(resident, m), checkin(resident, m)]))).toEqual([200, 201]);
    expect((await resident.raw('POST', `/api/meetings/${m.id}/checkin`, { code: m.code, via: 'qr' })).statusCode).toBe(200);
    expect(await latest(resident)).toMatchObject({ balance: before.r11 + 10, last: { delta: 10, kind: 'earn', rule: 'meeting_attendance' } });
    expect(await grant('meeting_attendance', `attendance:${m.id}:${t.town.residents.r11}`)).toMatchObject({ amount: 10 });
    // Staff record 李秀英 (twice: once); staff checking in themselves are no resident and earn nothing.
    expect((await staff1.raw('POST', `/api/meetings/${m.id}/attendance`, { residentId: t.town.residents.r12 })).statusCode).toBe(201);
    expect((await staff1.raw('POST', `/api/meetings/${m.id}/attendance`, { residentId: t.town.residents.r12 })).statusCode).toBe(200);
    expect((await checkin(staff1, m)).statusCode).toBe(201);
    expect(await latest(resident12)).toMatchObject({ balance: before.r12 + 10, last: { delta: 10, rule: 'meeting_attendance' } });
    // A closed meeting takes no check-in.
    await staff1.ok('POST', `/api/meetings/${m.id}/close`, { minutes: '大家同意修雨棚。' });
    const closed = await openMeeting('散了的会');
    await staff1.ok('POST', `/api/meetings/${closed.id}/close`, { minutes: '' });
    expect(errorCode(await checkin(resident, closed))).toBe('CONFLICT');
    expect(await grant('meeting_attendance', `attendance:${closed.id}:${t.town.residents.r11}`)).toBeUndefined();

    // The daily cap, then the rule switched off.
    await setRule('meeting_attendance', { points: 10, dailyCap: (await earnedToday(t.town.residents.r11, 'meeting_attendance')) + 10 });
    const [m1, m2] = [await openMeeting('第二次圆桌会'), await openMeeting('第三次圆桌会')];
    expect((await checkin(resident, m1)).statusCode).toBe(201);
    expect((await checkin(resident, m2)).statusCode).toBe(201);
    expect(await grant('meeting_attendance', `attendance:${m1.id}:${t.town.residents.r11}`)).toMatchObject({ amount: 10 });
    expect(await grant('meeting_attendance', `attendance:${m2.id}:${t.town.residents.r11}`)).toBeUndefined();
    await setRule('meeting_attendance', { points: 10, active: false });
    expect((await staff1.raw('POST', `/api/meetings/${m1.id}/attendance`, { residentId: t.town.residents.r12 })).statusCode).toBe(201);
    expect(await grant('meeting_attendance', `attendance:${m1.id}:${t.town.residents.r12}`)).toBeUndefined();
    expect(await balances()).toEqual({ ...before, r11: before.r11 + 20, r12: before.r12 + 10 });
    await setRule('meeting_attendance', { points: 10 });
  });

  it('keeps the ledger whole: every balance the sum of its entries, all balances summing to zero', async () => {
    expect(await repo.reconcile(db())).toEqual({ mismatched: [], total: 0, entriesTotal: 0 });
  });
});
