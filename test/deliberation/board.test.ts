import { describe, expect, it } from 'vitest';
import { useTestTown } from '../helpers/town.ts';

interface BoardItem { id: number; title: string; stage: string; placeName: string; funding: { pledgedYuan: number; deliveredYuan: number; labourHours: number; pledgers: number }; decision: { passed: boolean | null; voters: number | null; outcome: string | null }; project: { progress: number } | null }
interface CommunityBoard { community: { name: string }; url: string; qrSvg: string; totals: Record<string, number>; topics: BoardItem[] }
interface TopicBoard { url: string; qrSvg: string; community: { name: string } | null; topic: BoardItem & { body: string }; pledges: { by: string; amount: number; delivered: boolean }[]; meetings: { minutes: string; attended: number; station: string | null }[]; plans: { title: string; status: string }[]; project: { progress: number; milestones: { title: string; progress: number }[] } | null }

describe('the public notice board (公示栏)', () => {
  const t = useTestTown({ seed: 'story' });
  const [staff1, worker11, resident, resident12] = t.actors('t_staff1', 't_worker11', 't_resident', 't_resident12');
  const anonymous = (url: string) => t.app.inject({ method: 'GET', url });

  it('shows what was raised, decided, funded and built to anyone, with nothing personal', async () => {
    const town = t.town;
    const topic = await staff1.ok<{ id: number }>('POST', '/api/topics', {
      title: '花园1网格院坝加装晾衣架', body: '王建国（电话13812345678）说院坝莫得地方晒被子', scope: 'community', nodeId: town.c1.id, supportThreshold: 0, decisionType: 'approve',
    });
    const plan = await staff1.ok<{ id: number; goals: { id: number }[] }>('POST', `/api/topics/${topic.id}/plans`, {
      title: '不锈钢晾衣架', body: '院坝东边装六组', costYuan: 3000, goals: [{ kind: 'money', label: '众筹', unit: '元', target: 3000 }, { kind: 'labour', label: '出工', unit: '小时', target: 10 }],
    });
    await resident.ok('POST', `/api/topics/${topic.id}/comments`, { body: '我是王建国，要得' });
    const station = await staff1.ok<{ id: number }>('POST', '/api/grid-stations', { nodeId: town.g11.id, name: '花园1网格驿站', brand: '连心桥' });
    const meeting = await staff1.ok<{ id: number }>('POST', '/api/meetings', { nodeId: town.g11.id, kind: 'round_table', title: '晾衣架圆桌会', startsAt: new Date().toISOString(), stationId: station.id, topicId: topic.id });
    await staff1.ok('POST', `/api/meetings/${meeting.id}/open`);
    await staff1.ok('POST', `/api/meetings/${meeting.id}/attendance`, { residentId: town.residents.r11 });
    await staff1.ok('POST', `/api/meetings/${meeting.id}/close`, { minutes: '李秀英提出装在东边，联系电话13987654321，大家同意。' });
    await staff1.ok('POST', `/api/topics/${topic.id}/vote/open`, { closesAt: new Date(Date.now() + 86_400_000).toISOString() });
    await resident.ok('POST', `/api/topics/${topic.id}/votes`, { approval: 'yes' });
    await staff1.ok('POST', `/api/topics/${topic.id}/vote/close`, { outcome: '同意安装' });
    const [money, labour] = plan.goals;
    await resident.ok('POST', `/api/topics/${topic.id}/pledges`, { goalId: money?.id, amount: 200, note: '王建国 身份证500101195001011234' });
    const firm = await staff1.ok<{ id: number }>('POST', `/api/topics/${topic.id}/pledges`, { goalId: money?.id, amount: 2800, organisation: '花园物业公司' });
    await staff1.ok('POST', `/api/topics/${topic.id}/pledges/${firm.id}/deliver`, { note: '已转账' });
    await staff1.ok('POST', `/api/topics/${topic.id}/pledges`, { goalId: labour?.id, amount: 4, residentId: town.residents.r12 });
    const project = await staff1.ok<{ id: number; milestones: { id: number }[] }>('POST', `/api/topics/${topic.id}/project`, { milestones: [{ title: '采购', weight: 1 }, { title: '安装', weight: 3 }] });
    await staff1.ok('POST', `/api/projects/${project.id}/milestones/${project.milestones[0]?.id}`, { progress: 100 });
    // A hidden topic is not on the board.
    const hidden = await worker11.ok<{ id: number }>('POST', '/api/topics', { title: '不该公示的议题', scope: 'grid', nodeId: town.g11.id, supportThreshold: 0 });
    await staff1.ok('POST', `/api/topics/${hidden.id}/hide`, { reason: '与本网格无关' });

    const res = await anonymous(`/api/public/board/communities/${town.c1.id}`);
    expect(res.statusCode).toBe(200);
    const board = res.json<CommunityBoard>();
    expect(board.community.name).toBe('花园社区');
    expect(board.url).toBe(`${t.deps.config.publicUrl}/board/c/${town.c1.id}`);
    expect(board.qrSvg).toMatch(/^<svg/);
    expect(board.topics.map((x) => x.id)).toEqual([topic.id]);
    expect(board.topics[0]).toMatchObject({
      title: '花园1网格院坝加装晾衣架', stage: 'implementing', placeName: '花园社区', decision: { passed: true, voters: 1, outcome: '同意安装' },
      funding: { pledgedYuan: 3000, deliveredYuan: 2800, labourHours: 4, pledgers: 3 }, project: { progress: 25 },
    });
    expect(board.totals).toMatchObject({ raised: 1, decided: 1, implementing: 1, completed: 0, pledgedYuan: 3000, labourHours: 4 });

    const one = (await anonymous(`/api/public/board/topics/${topic.id}`)).json<TopicBoard>();
    expect(one.community?.name).toBe('花园社区');
    expect(one.url).toBe(`${t.deps.config.publicUrl}/board/t/${topic.id}`);
    expect(one.pledges.map((p) => [p.by, p.amount, p.delivered])).toEqual([['李**', 4, false], ['花园物业公司', 2800, true], ['王**', 200, false]]);
    expect(one.meetings).toEqual([expect.objectContaining({ attended: 1, station: '花园1网格驿站（连心桥）' })]);
    expect(one.project?.milestones).toEqual([{ title: '采购', progress: 100 }, { title: '安装', progress: 0 }]);
    expect(one.plans.map((p) => [p.title, p.status])).toEqual([['不锈钢晾衣架', 'proposed']]);
    // Nothing personal anywhere in either answer: no full name, no phone or ID number, no pledge note, no comment.
    for (const text of [res.body, JSON.stringify(one)]) {
      for (const secret of ['王建国', '李秀英', '13812345678', '13987654321', '500101195001011234', '身份证', '要得']) expect(text).not.toContain(secret);
    }
    expect(one.topic.body).toContain('院坝莫得地方晒被子');
    // Hidden topics, and boards of what is not a community, are not found.
    expect((await anonymous(`/api/public/board/topics/${hidden.id}`)).statusCode).toBe(404);
    expect((await anonymous(`/api/public/board/communities/${town.g11.id}`)).statusCode).toBe(404);
    expect((await anonymous('/api/public/board/communities/abc')).statusCode).toBe(400);
    void resident12;
  });
});
