import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { uploadPhoto } from '../helpers/matters.ts';
import { useTestTown } from '../helpers/town.ts';
import { beijingDay } from './support.ts';

// Story 9: a green belt turns into a rubbish dump; an online deliberation collects ideas; a sports park is built.
// (双城社区: "大家有没有什么好办法？既能清理垃圾，又能让这片地方变得美观实用？" — 浪潮体育公园.)
interface Topic { id: number; stage: string; origin: string; decision: { tally: { passed: boolean; winnerPlanId: number | null; rounds?: { planId: number; votes: number }[][] } | null; decidedPlanId: number | null; eligible: number | null } }

describe('story 9 — the rubbish-strewn green belt becomes a sports park by ranked choice', () => {
  const s = useTestTown({ seed: 'story', closeWithin: 5_000 });
  const [resident, resident12, worker, worker12, community, centre, cleanup] = s.actors('t_resident', 't_resident12', 't_worker11', 't_worker12', 't_staff1', 't_centre', 't_cleanup');

  it('collects ideas online, ranks three plans in two rounds, crowdfunds the winner, with the trail and figures', async () => {
    const town = s.town;
    // Two more residents of 花园2网格 on the register, without accounts: they vote on paper.
    const chen = await worker12.ok<{ id: number }>('POST', '/api/residents', { gridId: town.g12.id, householdId: town.households.h2.id, name: '陈素芬', gender: 'F', birthDate: '1956-08-12' });
    const liu = await worker12.ok<{ id: number }>('POST', '/api/residents', { gridId: town.g12.id, householdId: town.households.h2.id, name: '刘德明', gender: 'M', birthDate: '1961-02-03' });

    // The grid worker throws the question to the residents: staff raise it for the community, open at once.
    const topic = await worker.ok<Topic>('POST', '/api/topics', {
      title: '小区旁边垃圾带咋个整', body: '大家有没有什么好办法？既能清理垃圾，又能让这片地方变得美观实用？', scope: 'community', nodeId: town.c1.id,
      supportThreshold: 0, decisionType: 'ranked', quorumPercent: 50,
    });
    expect(topic).toMatchObject({ stage: 'deliberating', origin: 'staff' });

    // Ideas come in as comments and as plans (议题众创、方案众包).
    await resident.ok('POST', `/api/topics/${topic.id}/comments`, { body: '我看整个篮球场，年轻人下班有地方打球' });
    await resident12.ok('POST', `/api/topics/${topic.id}/comments`, { body: '老年人多，搞个健身步道和乒乓球台嘛' });
    const fitness = await resident12.ok<{ id: number }>('POST', `/api/topics/${topic.id}/plans`, { title: '健身步道加乒乓球台', costYuan: 120000, goals: [{ kind: 'money', label: '众筹', unit: '元', target: 10000 }] });
    const court = await resident.ok<{ id: number }>('POST', `/api/topics/${topic.id}/plans`, { title: '篮球场', costYuan: 200000 });
    const green = await community.ok<{ id: number }>('POST', `/api/topics/${topic.id}/plans`, { title: '清垃圾后补种绿化', costYuan: 30000 });
    // A resident of another community cannot put a plan to it.
    const outsider = await s.as('t_resident21');
    expect((await outsider.raw('POST', `/api/topics/${topic.id}/plans`, { title: '我也来一个' })).statusCode).toBe(404);

    // Ranked vote: two on the phone, two paper ballots entered by the community.
    await community.ok('POST', `/api/topics/${topic.id}/vote/open`, { closesAt: new Date(Date.now() + 3 * 86_400_000).toISOString() });
    await resident.ok('POST', `/api/topics/${topic.id}/votes`, { ranking: [fitness.id, court.id] });
    await resident12.ok('POST', `/api/topics/${topic.id}/votes`, { ranking: [court.id, fitness.id, green.id] });
    await community.ok('POST', `/api/topics/${topic.id}/votes/record`, { residentId: chen.id, channel: 'paper', ranking: [green.id, fitness.id] });
    await community.ok('POST', `/api/topics/${topic.id}/votes/record`, { residentId: liu.id, channel: 'paper', ranking: [fitness.id] });
    expect((await resident.raw('POST', `/api/topics/${topic.id}/votes`, { ranking: [court.id] })).json().error.code).toBe('ALREADY_VOTED');
    const closed = await community.ok<Topic>('POST', `/api/topics/${topic.id}/vote/close`, { outcome: '建设健身步道和乒乓球台（浪潮体育公园）' });
    // Round 1: fitness 2, court 1, green 1 → court and green drop; round 2: fitness 4 of 4.
    expect(closed).toMatchObject({ stage: 'decided', decision: { eligible: 4, decidedPlanId: fitness.id, tally: { passed: true, winnerPlanId: fitness.id } } });
    expect(closed.decision.tally?.rounds).toEqual([
      [{ planId: fitness.id, votes: 2 }, { planId: court.id, votes: 1 }, { planId: green.id, votes: 1 }],
      [{ planId: fitness.id, votes: 4 }],
    ]);

    // Crowdfunding for the winner; a plan that lost takes no pledges.
    const plans = await resident.ok<{ items: { id: number; status: string; goals: { id: number }[] }[] }>('GET', `/api/topics/${topic.id}/plans`);
    expect(plans.items.map((p) => p.status)).toEqual(['chosen', 'not_chosen', 'not_chosen']);
    const goal = plans.items[0]?.goals[0]?.id;
    await resident.ok('POST', `/api/topics/${topic.id}/pledges`, { goalId: goal, amount: 200, clientId: randomUUID() });
    await community.ok('POST', `/api/topics/${topic.id}/pledges`, { goalId: goal, amount: 300, residentId: chen.id, note: '陈嬢嬢现金交到社区' });
    // A pledge's note is for the pledger and the organisers; each resident sees which pledges are theirs.
    const seen = await resident.ok<{ items: { by: string; mine: boolean; note: string }[] }>('GET', `/api/topics/${topic.id}/pledges`);
    expect(seen.items.map((p) => [p.by, p.mine, p.note])).toEqual([['陈**', false, ''], ['王**', true, '']]);
    expect((await community.ok<{ items: { note: string }[] }>('GET', `/api/topics/${topic.id}/pledges`)).items[0]?.note).toBe('陈嬢嬢现金交到社区');

    // Implementation: the district's city management clears the rubbish, then the path and the tables go in.
    const project = await community.ok<{ id: number; milestones: { id: number }[] }>('POST', `/api/topics/${topic.id}/project`, {
      title: '浪潮体育公园', departmentIds: [town.departments.cleanup.id],
      milestones: [{ title: '清运垃圾', dueOn: '2027-01-15' }, { title: '修健身步道' }, { title: '安装乒乓球台' }],
    });
    // The grid worker follows it but does not report on it; the owner department does.
    expect(await worker.ok('GET', `/api/topics/${topic.id}/project`)).toMatchObject({ mayUpdate: false, progress: 0 });
    expect((await worker.raw('POST', `/api/projects/${project.id}/milestones/${project.milestones[0]?.id}`, { progress: 100 })).statusCode).toBe(403);
    const progress: number[] = [];
    for (const m of project.milestones) progress.push((await cleanup.ok<{ progress: number }>('POST', `/api/projects/${project.id}/milestones/${m.id}`, { progress: 100 })).progress);
    expect(progress).toEqual([33, 67, 100]);
    const photo = await uploadPhoto(s.app, await s.login('t_cleanup'));
    await cleanup.ok('POST', `/api/projects/${project.id}/photos`, { stage: 'after', photos: [photo] });
    expect(await community.ok('POST', `/api/projects/${project.id}/complete`, { note: '浪潮体育公园建成' })).toMatchObject({ status: 'completed', progress: 100 });

    const trail = await community.ok<{ items: { action: string; details: Record<string, unknown> }[] }>('GET', `/api/topics/${topic.id}/trail`);
    expect(trail.items.map((e) => e.action)).toEqual(['raise', 'comment', 'comment', 'plan', 'plan', 'plan', 'open_vote', 'vote', 'vote', 'vote', 'vote', 'decide', 'pledge', 'pledge',
      'implement', 'progress', 'progress', 'progress', 'project_photos', 'complete']);
    expect(trail.items.find((e) => e.action === 'decide')?.details).toMatchObject({ channels: { phone: 2, paper: 2 } });

    const today = beijingDay();
    const figures = await centre.ok<{ raised: number; decided: number; implemented: number; solvedByDeliberation: number; residents: number; participants: number; participationRate: number; pledgedYuan: number }>(
      'GET', `/api/deliberation/figures?nodeId=${town.c1.id}&from=${today}&to=${today}`);
    expect(figures).toMatchObject({ raised: 1, decided: 1, implemented: 1, solvedByDeliberation: 1, residents: 4, participants: 4, participationRate: 1, pledgedYuan: 500 });
    expect((await resident.raw('GET', `/api/deliberation/figures?nodeId=${town.c1.id}&from=${today}&to=${today}`)).statusCode).toBe(403);
  });
});
