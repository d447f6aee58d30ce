import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { tinyJpeg, uploadPhoto } from '../helpers/matters.ts';
import { useTestTown } from '../helpers/town.ts';
import { beijingDay } from './support.ts';

// Story 8: a resident suggests fixing the rough ground under a bridge; deliberation in the group; a park in 45 days.
// (Baqiao, 丽景社区双龙桥下: "从微信群提议到「桥下公园」建成，仅用时45天".)
interface Topic { id: number; stage: string; origin: string; messageId: number | null; support: { count: number; threshold: number }; decision: { tally: { passed: boolean; winnerPlanId: number | null; voters: number } | null; decidedPlanId: number | null; outcome: string | null; voters: number } }
interface Project { id: number; status: string; progress: number; title: string; departments: { name: string }[]; milestones: { id: number; title: string; progress: number }[]; photos: { stage: string }[]; matters: { id: number; status: string }[]; mayUpdate: boolean; mayOrganise: boolean }
interface Plan { id: number; title: string; body: string; status: string; authors: string[]; goals: { id: number; kind: string; pledged: number; delivered: number; pledgers: number; percent: number }[]; amendments: { id: number; state: string }[] }

describe('story 8 — the rough ground under the bridge becomes a park', () => {
  const s = useTestTown({ seed: 'story', closeWithin: 5_000 });
  const [resident, resident12, worker, worker12, community, admin, property, school] = s.actors('t_resident', 't_resident12', 't_worker11', 't_worker12', 't_staff1', 't_admin', 't_property', 't_school');

  it('runs from a group message to a decided, crowdfunded and built plan, with the trail and the figures', async () => {
    const town = s.town;
    const group = (await s.deps.db.selectFrom('online_groups').select('id').where('external_id', '=', 'wrG11').executeTakeFirstOrThrow()).id;
    const group2 = (await admin.ok<{ id: number }>('POST', '/api/online-groups', { gridId: town.g12.id, platform: 'wecom', externalId: 'wrG12', name: '花园2网格群' })).id;
    // The groups' members by real name: 王建国 and 李秀英 are residents of the register, each in their grid's group.
    await worker.ok('POST', `/api/online-groups/${group}/members`, { externalUserId: 'wx-wangjianguo', displayName: '王建国', residentId: town.residents.r11 });
    await worker.ok('POST', `/api/online-groups/${group}/members`, { externalUserId: 'wx-wanggeyuan', displayName: '网格员甲', userId: town.users.worker11 });
    await worker12.ok('POST', `/api/online-groups/${group2}/members`, { externalUserId: 'wx-lixiuying', displayName: '李秀英', residentId: town.residents.r12 });
    const say = (senderName: string, text: string, g = group) => (g === group ? worker : worker12).ok<{ id: number }>('POST', `/api/online-groups/${g}/messages`, { senderName, text, clientId: randomUUID() });

    // Collect: 王建国's suggestion in the group; the grid worker turns it into a topic of the community.
    const first = await say('王建国', '双龙桥下面道路不平整，能不能整修并增加儿童游乐设施？娃儿些莫得地方耍');
    const topic = await community.ok<Topic>('POST', `/api/group-messages/${first.id}/topic`, {
      title: '整修双龙桥下道路，增加儿童游乐设施', scope: 'community', nodeId: town.c1.id, supportThreshold: 2, decisionType: 'choose',
    });
    expect(topic).toMatchObject({ stage: 'collecting', origin: 'group_message', messageId: first.id, support: { count: 0, threshold: 2 } });
    expect((await community.raw('POST', `/api/group-messages/${first.id}/topic`, { title: '又一个' })).json().error.code).toBe('CONFLICT');

    // The neighbours support it on their phones; the second support starts deliberation.
    await resident.ok('POST', `/api/topics/${topic.id}/support`);
    expect((await resident12.ok<{ topic: Topic }>('POST', `/api/topics/${topic.id}/support`)).topic).toMatchObject({ stage: 'deliberating', support: { count: 2 } });

    // Discussion: what people said in the group comes into the topic, with their real-name status.
    const m2 = await say('李秀英', '要得！桥下那块平了，屋头娃儿放学就有地方耍了', group2);
    const m3 = await say('网格员甲', '我们先去量一下面积，大家有啥子想法都可以说');
    expect(await community.ok('POST', `/api/topics/${topic.id}/comments/import`, { messageIds: [m2.id, m3.id, m2.id] })).toEqual({ imported: 2, skipped: 0 });
    expect(await community.ok('POST', `/api/topics/${topic.id}/comments/import`, { messageIds: [m2.id] })).toEqual({ imported: 0, skipped: 1 });
    const thread = await resident.ok<{ items: { author: string; realName: string; fromGroup: boolean; body: string }[] }>('GET', `/api/topics/${topic.id}/comments`);
    expect(thread.items.map((c) => [c.author, c.realName, c.fromGroup])).toEqual([['王**', 'resident', true], ['李**', 'resident', true], ['网格员甲', 'staff', true]]);

    // Plans (方案众包): the community's plan with goals, 王建国 as co-author; a cheaper plan from the grid worker.
    const park = await community.ok<Plan>('POST', `/api/topics/${topic.id}/plans`, {
      title: '桥下口袋公园', body: '整平路面，铺塑胶步道，安装儿童滑梯和秋千', costYuan: 86000, coAuthorIds: [town.users.resident],
      departmentIds: [town.departments.property.id],
      goals: [{ kind: 'money', label: '居民众筹资金', unit: '元', target: 6000 }, { kind: 'labour', label: '义务出工', unit: '小时', target: 40 }],
    });
    expect(park.authors).toEqual(['花园社区干部', '王建国']);
    const gravel = await worker.ok<Plan>('POST', `/api/topics/${topic.id}/plans`, { title: '只整平铺碎石', body: '先把坑填平，铺一层碎石', costYuan: 12000 });
    // 李秀英 proposes an amendment; 王建国, a co-author, accepts it.
    const amended = await resident12.ok<Plan>('POST', `/api/topics/${topic.id}/plans/${park.id}/amendments`, { body: '整平路面，铺塑胶步道，安装儿童滑梯和秋千，再加两盏路灯，晚上也敢去' , costYuan: 92000 });
    const amendment = amended.amendments[0];
    expect(amendment).toMatchObject({ state: 'proposed' });
    const accepted = await resident.ok<Plan>('POST', `/api/topics/${topic.id}/plans/${park.id}/amendments/${amendment?.id}/decide`, { accept: true, note: '路灯要得' });
    expect(accepted).toMatchObject({ body: '整平路面，铺塑胶步道，安装儿童滑梯和秋千，再加两盏路灯，晚上也敢去', amendments: [{ state: 'accepted' }] });

    // Decision: choose one plan. 王建国 on his phone; 李秀英's show of hands recorded by the community.
    await community.ok('POST', `/api/topics/${topic.id}/vote/open`, { closesAt: new Date(Date.now() + 7 * 86_400_000).toISOString(), quorumPercent: 50 });
    await resident.ok('POST', `/api/topics/${topic.id}/votes`, { planId: park.id });
    await community.ok('POST', `/api/topics/${topic.id}/votes/record`, { residentId: town.residents.r12, channel: 'meeting', planId: park.id });
    const twice = await community.raw('POST', `/api/topics/${topic.id}/votes/record`, { residentId: town.residents.r11, channel: 'meeting', planId: gravel.id });
    expect(twice.json().error.code).toBe('ALREADY_VOTED');
    const decided = await community.ok<Topic>('POST', `/api/topics/${topic.id}/vote/close`, { outcome: '采纳「桥下口袋公园」方案，居民众筹、物业配合实施', reviewOn: '2027-03-01' });
    expect(decided).toMatchObject({ stage: 'decided', decision: { decidedPlanId: park.id, outcome: '采纳「桥下口袋公园」方案，居民众筹、物业配合实施', tally: { passed: true, winnerPlanId: park.id, voters: 2 } } });
    const plans = await resident.ok<{ items: Plan[] }>('GET', `/api/topics/${topic.id}/plans`);
    expect(plans.items.map((p) => [p.title, p.status])).toEqual([['桥下口袋公园', 'chosen'], ['只整平铺碎石', 'not_chosen']]);

    // Crowdfunding (建设众筹): residents pledge money and hours; the property company pledges through the community.
    const [money, labour] = park.goals;
    await resident.ok('POST', `/api/topics/${topic.id}/pledges`, { goalId: money?.id, amount: 500, clientId: randomUUID() });
    const hours = await resident12.ok<{ id: number }>('POST', `/api/topics/${topic.id}/pledges`, { goalId: labour?.id, amount: 8 });
    const firm = await community.ok<{ id: number; by: string }>('POST', `/api/topics/${topic.id}/pledges`, { goalId: money?.id, amount: 5000, organisation: '花园物业公司' });
    expect(firm.by).toBe('花园物业公司');
    expect((await resident.raw('POST', `/api/topics/${topic.id}/pledges`, { goalId: money?.id, amount: -5 })).statusCode).toBe(400);
    expect((await resident.raw('POST', `/api/topics/${topic.id}/pledges`, { goalId: 999999, amount: 5 })).statusCode).toBe(404);
    await community.ok('POST', `/api/topics/${topic.id}/pledges/${firm.id}/deliver`, { note: '物业已转账' });
    await community.ok('POST', `/api/topics/${topic.id}/pledges/${hours.id}/deliver`, { note: '周六出工 8 小时' });
    const funded = (await resident.ok<{ items: Plan[] }>('GET', `/api/topics/${topic.id}/plans`)).items[0];
    expect(funded?.goals.map((g) => [g.kind, g.pledged, g.delivered, g.pledgers, g.percent])).toEqual([['money', 5500, 5000, 2, 91], ['labour', 8, 8, 1, 20]]);
    const pledges = await resident.ok<{ items: { by: string; amount: number; state: string }[] }>('GET', `/api/topics/${topic.id}/pledges`);
    expect(pledges.items.map((p) => [p.by, p.amount, p.state])).toEqual([['花园物业公司', 5000, 'delivered'], ['李**', 8, 'delivered'], ['王**', 500, 'pledged']]);

    // Implementation (实施): the decided plan becomes a project with weighted milestones, the property company owning it.
    const before = await uploadPhoto(s.app, await s.login('t_staff1'));
    expect((await resident.raw('POST', `/api/topics/${topic.id}/project`, { milestones: [{ title: '整平路面' }] })).statusCode).toBe(403);
    expect((await community.raw('POST', `/api/topics/${topic.id}/project`, { milestones: [] })).json().error.code).toBe('VALIDATION_FAILED');
    const project = await community.ok<Project>('POST', `/api/topics/${topic.id}/project`, {
      departmentIds: [town.departments.property.id], photos: [before],
      milestones: [{ title: '整平路面', weight: 2 }, { title: '铺塑胶步道', weight: 1 }, { title: '安装滑梯秋千和路灯', weight: 1 }],
    });
    expect(project).toMatchObject({ title: '桥下口袋公园', status: 'running', progress: 0, departments: [{ name: '花园物业公司' }], photos: [{ stage: 'before' }], mayOrganise: true });
    expect((await community.raw('POST', `/api/topics/${topic.id}/project`, { milestones: [{ title: '再来一个' }] })).json().error.code).toBe('TOPIC_NOT_OPEN');
    const [ground, path, swings] = project.milestones;
    // The owner department reports progress; a department that does not own it cannot, and a resident only reads.
    expect((await property.ok<Project>('POST', `/api/projects/${project.id}/milestones/${ground?.id}`, { progress: 100, note: '路面整平完成' })).progress).toBe(50);
    expect((await school.raw('POST', `/api/projects/${project.id}/milestones/${path?.id}`, { progress: 50 })).statusCode).toBe(404);
    expect((await resident.raw('POST', `/api/projects/${project.id}/milestones/${path?.id}`, { progress: 50 })).statusCode).toBe(403);
    expect((await property.raw('POST', `/api/projects/${project.id}/milestones/${path?.id}`, { progress: 101 })).statusCode).toBe(400);
    expect(await resident.ok<Project>('GET', `/api/topics/${topic.id}/project`)).toMatchObject({ progress: 50, mayUpdate: false });
    // The lamps need the property company to act: a matter from the project runs the closed loop.
    const sent = await community.ok<Project & { matterId: number }>('POST', `/api/projects/${project.id}/matters`, { title: '桥下公园安装两盏路灯', description: '议事决定在桥下公园加装两盏路灯，请物业安装' });
    const matter = await s.deps.db.selectFrom('matters').select(['source', 'status', 'area_node_id']).where('id', '=', sent.matterId).executeTakeFirstOrThrow();
    expect(matter).toEqual({ source: 'deliberation', status: 'reported', area_node_id: town.c1.id });
    expect((await community.ok<{ items: { id: number }[] }>('GET', `/api/matters/${sent.matterId}/topics`)).items.map((t) => t.id)).toEqual([topic.id]);
    await community.step(sent.matterId, 'register', { categoryCode: '01002', level: 'community', complexity: 'simple' });
    await community.step(sent.matterId, 'dispatch', { lead: { kind: 'department', id: town.departments.property.id }, assists: [] });
    await property.step(sent.matterId, 'accept');
    await property.step(sent.matterId, 'handle', { note: '两盏路灯已安装通电', photos: [] });
    await community.step(sent.matterId, 'verify', { passed: true, note: '晚上去看了，亮的' });
    await property.ok('POST', `/api/projects/${project.id}/milestones/${path?.id}`, { progress: 100 });
    expect((await property.ok<Project>('POST', `/api/projects/${project.id}/milestones/${swings?.id}`, { progress: 60 })).progress).toBe(90);
    // Not complete until every milestone is done and a photo shows the result.
    expect((await community.raw('POST', `/api/projects/${project.id}/complete`, {})).json().error.code).toBe('CONFLICT');
    await property.ok('POST', `/api/projects/${project.id}/milestones/${swings?.id}`, { progress: 100 });
    expect((await community.raw('POST', `/api/projects/${project.id}/complete`, {})).json().error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('photo of the result') });
    const after = await uploadPhoto(s.app, await s.login('t_property'), tinyJpeg());
    expect((await property.raw('POST', `/api/projects/${project.id}/photos`, { stage: 'after', photos: [before] })).json().error.code).toBe('VALIDATION_FAILED');
    await property.ok('POST', `/api/projects/${project.id}/photos`, { stage: 'after', photos: [after] });
    const built = await community.ok<Project>('POST', `/api/projects/${project.id}/complete`, { note: '桥下公园建成开放' });
    expect(built).toMatchObject({ status: 'completed', progress: 100, matters: [{ id: sent.matterId, status: 'feedback' }], photos: [{ stage: 'before' }, { stage: 'after' }] });
    expect((await resident.ok<Topic>('GET', `/api/topics/${topic.id}`)).stage).toBe('completed');
    expect((await property.raw('POST', `/api/projects/${project.id}/milestones/${swings?.id}`, { progress: 90 })).json().error.code).toBe('TOPIC_NOT_OPEN');

    // The trail, in order.
    const trail = await community.ok<{ items: { action: string }[] }>('GET', `/api/topics/${topic.id}/trail`);
    expect(trail.items.map((e) => e.action)).toEqual([
      'raise', 'support', 'support', 'advance', 'import_messages', 'import_messages', 'plan', 'plan', 'amend', 'amendment_accepted',
      'open_vote', 'vote', 'vote', 'decide', 'pledge', 'pledge', 'pledge', 'pledge_delivered', 'pledge_delivered',
      'implement', 'progress', 'project_matter', 'progress', 'progress', 'progress', 'project_photos', 'complete',
    ]);

    // Figures for the community: one topic raised, decided and built — a matter solved by deliberation; both residents took part.
    const today = beijingDay();
    const figures = await admin.ok<{ raised: number; decided: number; implemented: number; solvedByDeliberation: number; participants: number; residents: number; participationRate: number; pledgedYuan: number; deliveredYuan: number; labourHours: number; items: { node: { id: number }; raised: number }[] }>(
      'GET', `/api/deliberation/figures?nodeId=${town.c1.id}&from=${today}&to=${today}`);
    expect(figures).toMatchObject({ raised: 1, decided: 1, implemented: 1, solvedByDeliberation: 1, residents: 2, participants: 2, participationRate: 1, pledgedYuan: 5500, deliveredYuan: 5000, labourHours: 8 });
    expect(figures.items.map((i) => [i.node.id, i.raised])).toEqual([[town.g11.id, 0], [town.g12.id, 0]]);
    // The big screen's panel for the town: this year's figures and the topic among the latest.
    const panel = await admin.ok<{ raised: number; decided: number; latest: { id: number; title: string; stage: string; nodeName: string }[] }>('GET', `/api/screen/deliberation?nodeId=${town.town.id}`);
    expect(panel).toMatchObject({ raised: 1, decided: 1 });
    expect(panel.latest[0]).toEqual(expect.objectContaining({ id: topic.id, title: '整修双龙桥下道路，增加儿童游乐设施', stage: 'completed', nodeName: '花园社区' }));
    expect((await resident.raw('GET', `/api/screen/deliberation?nodeId=${town.town.id}`)).statusCode).toBe(403);
  });
});
