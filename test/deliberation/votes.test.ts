import { describe, expect, it } from 'vitest';
import { useTestTown } from '../helpers/town.ts';

interface Topic { id: number; stage: string; decision: { voters: number; eligible: number | null; tally: { passed: boolean; approvals?: Record<string, number>; winnerPlanId: number | null; voters: number } | null; myVote: { channel: string } | null; decidedPlanId: number | null; outcome: string | null } }

describe('decisions (表决): one person, one vote, whatever the channel', () => {
  const t = useTestTown({ seed: 'story' });
  const [resident, resident12, resident21, staff1, centre] = t.actors('t_resident', 't_resident12', 't_resident21', 't_staff1', 't_centre');
  const votes = async (topicId: number) =>
    (await t.deps.db.selectFrom('topic_votes').select((eb) => eb.fn.countAll<number>().as('n')).where('topic_id', '=', topicId).executeTakeFirstOrThrow()).n;
  const future = () => new Date(Date.now() + 3 * 86_400_000).toISOString();

  async function votingTopic(body: Record<string, unknown> = {}, plans: string[] = []) {
    const topic = await staff1.ok<Topic>('POST', '/api/topics', { title: '小区加装监控', scope: 'community', nodeId: t.town.c1.id, supportThreshold: 0, ...body });
    const planIds: number[] = [];
    for (const title of plans) planIds.push((await staff1.ok<{ id: number }>('POST', `/api/topics/${topic.id}/plans`, { title })).id);
    const open = await staff1.ok<Topic>('POST', `/api/topics/${topic.id}/vote/open`, { closesAt: future() });
    return { id: open.id, open, planIds };
  }

  it('counts a resident who voted on the phone and is then recorded at the meeting once, and refuses the second clearly', async () => {
    const { id, open } = await votingTopic();
    expect(open).toMatchObject({ stage: 'voting', decision: { eligible: 2, voters: 0 } });
    const first = await resident.ok<{ channel: string; topic: Topic }>('POST', `/api/topics/${id}/votes`, { approval: 'yes' });
    expect(first).toMatchObject({ channel: 'phone', topic: { decision: { voters: 1, myVote: { channel: 'phone' } } } });

    const again = await staff1.raw('POST', `/api/topics/${id}/votes/record`, { residentId: t.town.residents.r11, channel: 'meeting', approval: 'no' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'ALREADY_VOTED', details: { channel: 'phone' } });
    const zh = await t.app.inject({ method: 'POST', url: `/api/topics/${id}/votes/record`, headers: { ...(await t.login('t_staff1')), 'accept-language': 'zh-CN' }, payload: { residentId: t.town.residents.r11, channel: 'paper', approval: 'no' } });
    expect(zh.json().error.message).toMatch(/^王建国已经于.*在手机上投过票了，一人只能投一票。$/);
    const phoneAgain = await resident.raw('POST', `/api/topics/${id}/votes`, { approval: 'no' });
    expect(phoneAgain.json().error.code).toBe('ALREADY_VOTED');
    expect(await votes(id)).toBe(1);
    const row = await t.deps.db.selectFrom('topic_votes').select(['approval', 'channel']).where('topic_id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ approval: 'yes', channel: 'phone' });

    // 李秀英 has no phone vote: the meeting records hers.
    expect(await staff1.ok('POST', `/api/topics/${id}/votes/record`, { residentId: t.town.residents.r12, channel: 'meeting', approval: 'yes' })).toMatchObject({ channel: 'meeting' });
    expect((await resident12.raw('POST', `/api/topics/${id}/votes`, { approval: 'no' })).json().error.code).toBe('ALREADY_VOTED');

    const closed = await staff1.ok<Topic>('POST', `/api/topics/${id}/vote/close`, { outcome: '同意在小区出入口加装监控' });
    expect(closed).toMatchObject({ stage: 'decided', decision: { outcome: '同意在小区出入口加装监控', tally: { passed: true, voters: 2, approvals: { yes: 2, no: 0, abstain: 0 } } } });
    const late = await resident12.raw('POST', `/api/topics/${id}/votes`, { approval: 'no' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('TOPIC_NOT_OPEN');
    expect(await votes(id)).toBe(2);
  });

  it('stores one vote out of 200 concurrent votes of one resident', async () => {
    const { id } = await votingTopic();
    const headers = await t.login('t_resident');
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => t.app.inject({ method: 'POST', url: `/api/topics/${id}/votes`, headers, payload: { approval: i % 2 ? 'no' : 'yes' } })));
    const codes = answers.map((a) => a.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(199);
    expect(new Set(answers.filter((a) => a.statusCode === 409).map((a) => a.json().error.code))).toEqual(new Set(['ALREADY_VOTED']));
    expect(await votes(id)).toBe(1);
  });

  it('lets nobody vote outside the scope: another community, an unverified account, staff without a home, the anonymous', async () => {
    const { id } = await votingTopic();
    expect((await resident21.raw('POST', `/api/topics/${id}/votes`, { approval: 'yes' })).statusCode).toBe(404);
    const unverified = await t.as('t_unverified', 'unverified-pass-1').catch(() => null);
    expect(unverified).toBeNull();
    const admin = await t.as('t_admin');
    await admin.ok('POST', '/api/users', { username: 't_unverified', displayName: '刘大爷', password: 'unverified-pass-1', roles: [{ role: 'resident', nodeId: t.town.g11.id }] });
    const stranger = await t.as('t_unverified', 'unverified-pass-1');
    const r = await stranger.raw('POST', `/api/topics/${id}/votes`, { approval: 'yes' });
    expect(r.statusCode).toBe(404);
    for (const staff of [staff1, centre]) {
      const s = await staff.raw('POST', `/api/topics/${id}/votes`, { approval: 'yes' });
      expect(s.statusCode).toBe(403);
      expect(s.json().error.code).toBe('NOT_A_VOTER');
    }
    expect((await t.app.inject({ method: 'POST', url: `/api/topics/${id}/votes`, payload: { approval: 'yes' } })).statusCode).toBe(401);
    // Staff cannot record a resident of another community either.
    const other = await staff1.raw('POST', `/api/topics/${id}/votes/record`, { residentId: t.town.residents.r21, channel: 'paper', approval: 'yes' });
    expect(other.json().error.code).toBe('NOT_A_VOTER');
    expect(await votes(id)).toBe(0);
  });

  it('refuses a ballot that does not fit, a vote before it opens or after its time, and wrong types, changing nothing', async () => {
    const { id, planIds } = await votingTopic({ decisionType: 'choose' }, ['方案一：出入口装', '方案二：每栋都装']);
    for (const body of [{ approval: 'yes' }, { planId: 999999 }, { planId: 'one' }, {}, { planId: planIds[0], approval: 'yes' }]) {
      const r = await resident.raw('POST', `/api/topics/${id}/votes`, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().error.code).toBe('VALIDATION_FAILED');
    }
    await t.deps.db.updateTable('topics').set({ vote_closes_at: new Date(Date.now() - 1000) }).where('id', '=', id).execute();
    const closed = await resident.raw('POST', `/api/topics/${id}/votes`, { planId: planIds[0] });
    expect(closed.json().error.code).toBe('VOTE_CLOSED');
    const before = await staff1.ok<Topic>('POST', '/api/topics', { title: '还在协商', nodeId: t.town.g11.id, supportThreshold: 0 });
    expect((await resident.raw('POST', `/api/topics/${before.id}/votes`, { approval: 'yes' })).json().error.code).toBe('TOPIC_NOT_OPEN');
    expect((await staff1.raw('POST', `/api/topics/${before.id}/vote/open`, { closesAt: new Date(Date.now() - 1000).toISOString() })).json().error.code).toBe('VALIDATION_FAILED');
    expect(await votes(id)).toBe(0);
  });

  it('chooses a plan, hides the count until the close when asked, and closes by its job at the closing time', async () => {
    const { id, planIds } = await votingTopic({ decisionType: 'choose', resultsHidden: true }, ['在大门口装', '在每栋楼装']);
    const v = await resident.ok<{ topic: Topic }>('POST', `/api/topics/${id}/votes`, { planId: planIds[1] });
    expect(v.topic.decision).toMatchObject({ voters: 1, tally: null });
    await resident12.ok('POST', `/api/topics/${id}/votes`, { planId: planIds[1] });
    await t.deps.db.updateTable('jobs').set({ run_at: new Date(Date.now() - 1000) }).where('dedupe_key', '=', `topic-close-vote:${id}`).execute();
    const { createJobRunner } = await import('../../src/modules/jobs/jobs.setup.ts');
    await createJobRunner(t.deps).runDue();
    const after = await resident.ok<Topic>('GET', `/api/topics/${id}`);
    expect(after).toMatchObject({ stage: 'decided', decision: { decidedPlanId: planIds[1], tally: { passed: true, winnerPlanId: planIds[1] } } });
    const plans = await resident.ok<{ items: { id: number; status: string }[] }>('GET', `/api/topics/${id}/plans`);
    expect(plans.items.map((p) => p.status)).toEqual(['not_chosen', 'chosen']);
  });

  it('rejects an approval short of quorum, with the reason as the outcome', async () => {
    const { id } = await votingTopic({ quorumPercent: 100 });
    await resident.ok('POST', `/api/topics/${id}/votes`, { approval: 'yes' });
    const closed = await staff1.ok<Topic>('POST', `/api/topics/${id}/vote/close`, {});
    expect(closed).toMatchObject({ stage: 'rejected', decision: { tally: { passed: false } } });
    expect(closed.decision.outcome).toContain('未达到 100% 的法定人数');
  });

  it('lets a grid worker record hands only at a meeting they run, and only of the residents living there', async () => {
    const worker = await t.as('t_worker11');
    const { id } = await votingTopic();
    // Without a meeting, a grid worker does not organise the community's vote.
    expect((await worker.raw('POST', `/api/topics/${id}/votes/record`, { residentId: t.town.residents.r11, channel: 'paper', approval: 'yes' })).statusCode).toBe(403);
    const meeting = await staff1.ok<{ id: number }>('POST', '/api/meetings', { nodeId: t.town.g11.id, kind: 'round_table', title: '圆桌会', startsAt: new Date().toISOString(), topicId: id });
    // 李秀英 lives in the other grid: her ballot is for the community's staff to record.
    const outside = await worker.raw('POST', `/api/topics/${id}/votes/record`, { residentId: t.town.residents.r12, channel: 'meeting', meetingId: meeting.id, approval: 'yes' });
    expect(outside.json().error.code).toBe('NOT_A_VOTER');
    expect(await votes(id)).toBe(0);
    await worker.ok('POST', `/api/topics/${id}/votes/record`, { residentId: t.town.residents.r11, channel: 'meeting', meetingId: meeting.id, approval: 'yes' });
    expect(await votes(id)).toBe(1);
  });
});
