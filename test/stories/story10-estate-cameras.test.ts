import { describe, expect, it } from 'vitest';
import { uploadPhoto } from '../helpers/matters.ts';
import { useTestTown } from '../helpers/town.ts';
import { beijingDay } from './support.ts';

// Story 10: high-rise littering and chaotic parking in a 19,800-flat rental estate; online consultation plus a round
// table at a grid station; 400 cameras installed. (半岛逸景公租房小区: "居民众筹自费安装了400组智能监控".)
interface Topic { id: number; stage: string; scope: string; estateName: string | null; nodeId: number; decision: { eligible: number | null; tally: { passed: boolean; approvals?: Record<string, number>; turnoutPercent: number } | null; outcome: string | null } }

describe('story 10 — the estate agrees on 400 cameras online and at a round table', () => {
  const s = useTestTown({ seed: 'story', closeWithin: 5_000 });
  const [resident, resident12, resident21, admin, community, worker12, property] = s.actors('t_resident', 't_resident12', 't_resident21', 't_admin', 't_staff1', 't_worker12', 't_property');

  it('decides by two thirds with a quorum among the estate\'s residents only, funds the cameras and counts the figures', async () => {
    const town = s.town;
    // The estate 半岛逸景 spans both grids of 花园社区.
    for (const g of [town.g11.id, town.g12.id]) await admin.ok('PATCH', `/api/nodes/${g}`, { estateName: '半岛逸景' });
    const neighbour = await worker12.ok<{ id: number }>('POST', '/api/residents', { gridId: town.g12.id, householdId: town.households.h2.id, name: '周国华', gender: 'M', birthDate: '1975-11-30' });

    // 王建国 raises it for his estate from his phone; it needs two supports.
    const topic = await resident.ok<Topic>('POST', '/api/topics', {
      title: '高空抛物和乱停车咋个管', body: '楼上经常往下丢东西，车子也乱停，能不能装监控？', scope: 'estate', supportThreshold: 2,
      decisionType: 'approve', majority: 'two_thirds', quorumPercent: 50, resultsHidden: true,
    });
    expect(topic).toMatchObject({ stage: 'collecting', scope: 'estate', estateName: '半岛逸景', nodeId: town.c1.id });
    await resident.ok('POST', `/api/topics/${topic.id}/support`);
    await resident12.ok('POST', `/api/topics/${topic.id}/support`);
    // 张伟 lives in 建新社区, outside the estate: he neither sees nor supports it.
    expect((await resident21.raw('POST', `/api/topics/${topic.id}/support`)).statusCode).toBe(404);

    // Online consultation, then the plan and the goals.
    await resident12.ok('POST', `/api/topics/${topic.id}/comments`, { body: '要得，我们那栋楼经常有人丢垃圾下来，吓死个人' });
    const plan = await community.ok<{ id: number; goals: { id: number; kind: string }[] }>('POST', `/api/topics/${topic.id}/plans`, {
      title: '安装400组智能监控', body: '每栋楼顶和出入口装高空抛物监控，停车区装车位识别', costYuan: 480000,
      goals: [{ kind: 'money', label: '居民自筹', unit: '元', target: 40000 }, { kind: 'materials', label: '智能监控', unit: '组', target: 400 }],
    });

    // A round table (圆桌会) at the grid station 小院+, with the topic on its agenda.
    const station = await community.ok<{ id: number; brand: string }>('POST', '/api/grid-stations', { nodeId: town.c1.id, name: '半岛逸景网格驿站', brand: '小院+', address: '花园路1号' });
    const meeting = await community.ok<{ id: number; agenda: { title: string; topicId: number | null }[]; station: { brand: string } | null }>('POST', '/api/meetings', {
      nodeId: town.c1.id, kind: 'round_table', title: '监控安装圆桌会', place: '网格驿站二楼', startsAt: new Date().toISOString(), stationId: station.id, topicId: topic.id,
      agenda: [{ title: '高空抛物和乱停车：安装监控方案', topicId: topic.id }],
    });
    expect(meeting).toMatchObject({ station: { brand: '小院+' }, agenda: [{ title: '高空抛物和乱停车：安装监控方案', topicId: topic.id }] });
    const opened = await community.ok<{ checkin: { code: string; url: string } }>('POST', `/api/meetings/${meeting.id}/open`);

    // The vote: two on the phone (王建国 first checks in at the round table by its QR code), and the round
    // table's show of hands for 周国华, who has no phone; two thirds needed.
    const open = await community.ok<Topic>('POST', `/api/topics/${topic.id}/vote/open`, { closesAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(open.decision.eligible).toBe(3);
    await resident.ok('POST', `/api/meetings/${meeting.id}/checkin`, { code: opened.checkin.code, via: 'qr' });
    await community.ok('POST', `/api/meetings/${meeting.id}/attendance`, { residentId: neighbour.id });
    await resident.ok('POST', `/api/topics/${topic.id}/votes`, { approval: 'yes' });
    await resident12.ok('POST', `/api/topics/${topic.id}/votes`, { approval: 'yes' });
    // Hidden results: nobody sees the count while the vote runs, staff neither.
    expect((await community.ok<Topic>('GET', `/api/topics/${topic.id}`)).decision.tally).toBeNull();
    await community.ok('POST', `/api/topics/${topic.id}/votes/record`, { residentId: neighbour.id, channel: 'meeting', meetingId: meeting.id, approval: 'no' });
    // 王建国 raising his hand at the same table is the vote he already cast on his phone.
    expect((await community.raw('POST', `/api/topics/${topic.id}/votes/record`, { residentId: town.residents.r11, channel: 'meeting', meetingId: meeting.id, approval: 'no' })).json().error.code).toBe('ALREADY_VOTED');
    const closed = await community.ok<Topic>('POST', `/api/topics/${topic.id}/vote/close`, { outcome: '同意居民众筹安装400组智能监控' });
    await community.ok('POST', `/api/meetings/${meeting.id}/close`, { minutes: '到会居民一致同意先装出入口和楼顶，物业负责安装，居民自筹部分费用。' });
    const vote = await s.deps.db.selectFrom('topic_votes').select(['channel', 'meeting_id']).where('resident_id', '=', neighbour.id).executeTakeFirstOrThrow();
    expect(vote).toEqual({ channel: 'meeting', meeting_id: meeting.id });
    expect(closed).toMatchObject({ stage: 'decided', decision: { tally: { passed: true, approvals: { yes: 2, no: 1, abstain: 0 }, turnoutPercent: 100 } } });

    // Crowdfunding: residents' money, the property company's cameras.
    const [money, cameras] = plan.goals;
    await resident.ok('POST', `/api/topics/${topic.id}/pledges`, { goalId: money?.id, amount: 300 });
    await resident12.ok('POST', `/api/topics/${topic.id}/pledges`, { goalId: money?.id, amount: 300 });
    const firm = await community.ok<{ id: number }>('POST', `/api/topics/${topic.id}/pledges`, { goalId: cameras?.id, amount: 400, organisation: '花园物业公司' });
    await community.ok('POST', `/api/topics/${topic.id}/pledges/${firm.id}/deliver`, { note: '400组监控已到货' });
    const again = await community.raw('POST', `/api/topics/${topic.id}/pledges/${firm.id}/deliver`, { note: '再确认一次' });
    expect(again.statusCode).toBe(409);
    const goals = (await resident.ok<{ items: { goals: { kind: string; pledged: number; delivered: number; percent: number }[] }[] }>('GET', `/api/topics/${topic.id}/plans`)).items[0]?.goals;
    expect(goals?.map((g) => [g.kind, g.pledged, g.delivered, g.percent])).toEqual([['money', 600, 0, 1], ['materials', 400, 400, 100]]);

    // Installation: 300 cameras at the entrances and stairwells, 100 on the roofs; the property company reports.
    const project = await community.ok<{ id: number; milestones: { id: number }[] }>('POST', `/api/topics/${topic.id}/project`, {
      departmentIds: [town.departments.property.id],
      milestones: [{ title: '出入口和楼道安装300组', weight: 3 }, { title: '楼顶安装100组', weight: 1 }],
    });
    const [entrances, roofs] = project.milestones;
    expect((await property.ok<{ progress: number }>('POST', `/api/projects/${project.id}/milestones/${entrances?.id}`, { progress: 100 })).progress).toBe(75);
    expect((await property.ok<{ progress: number }>('POST', `/api/projects/${project.id}/milestones/${roofs?.id}`, { progress: 50 })).progress).toBe(88);
    // A resident of another community does not see the estate's project at all.
    expect((await resident21.raw('GET', `/api/topics/${topic.id}/project`)).statusCode).toBe(404);
    await property.ok('POST', `/api/projects/${project.id}/milestones/${roofs?.id}`, { progress: 100 });
    await property.ok('POST', `/api/projects/${project.id}/photos`, { stage: 'after', photos: [await uploadPhoto(s.app, await s.login('t_property'))] });
    await community.ok('POST', `/api/projects/${project.id}/complete`, { note: '400组智能监控全部安装到位' });

    const today = beijingDay();
    const figures = await community.ok<{ raised: number; decided: number; implemented: number; residents: number; participants: number; items: { node: { id: number }; participants: number }[] }>(
      'GET', `/api/deliberation/figures?nodeId=${town.c1.id}&from=${today}&to=${today}`);
    expect(figures).toMatchObject({ raised: 1, decided: 1, implemented: 1, residents: 3, participants: 3 });
    const trail = await community.ok<{ items: { action: string }[] }>('GET', `/api/topics/${topic.id}/trail`);
    expect(trail.items.map((e) => e.action)).toEqual(['raise', 'support', 'support', 'advance', 'comment', 'plan', 'meeting', 'open_vote', 'vote', 'vote', 'vote', 'decide', 'pledge', 'pledge', 'pledge', 'pledge_delivered',
      'implement', 'progress', 'progress', 'progress', 'project_photos', 'complete']);
  });
});
