import { describe, expect, it } from 'vitest';
import { useTestTown } from '../helpers/town.ts';

interface Topic { id: number; stage: string; support: { count: number; threshold: number; mine: boolean; until: string | null }; hidden: unknown; mergedInto: number | null; raisedBy: string | null; mayTakePart: boolean; mayOrganise: boolean; nodeId: number; scope: string }

describe('topics (议题): raising, support, moderation, merging, discussion', () => {
  const t = useTestTown({ seed: 'story' });
  const [resident, resident12, resident21, staff1, staff2, worker11] = t.actors('t_resident', 't_resident12', 't_resident21', 't_staff1', 't_staff2', 't_worker11');
  const count = async (table: 'topics' | 'topic_supports' | 'topic_comments' | 'topic_events') =>
    (await t.deps.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

  it('lets a resident raise a topic for their own grid, collecting support until the threshold starts deliberation', async () => {
    const topic = await resident.ok<Topic>('POST', '/api/topics', { title: '桥下那块烂泥巴地能不能整平', body: '下雨天娃儿些莫得地方耍，能不能整平了加点儿童设施？', supportThreshold: 2 });
    expect(topic).toMatchObject({ stage: 'collecting', scope: 'grid', nodeId: t.town.g11.id, support: { count: 0, threshold: 2, mine: false }, raisedBy: '王**', mayTakePart: true, mayOrganise: false });
    expect(topic.support.until).not.toBeNull();

    // 王建国 supports once; a second support changes nothing.
    expect(await resident.ok('POST', `/api/topics/${topic.id}/support`)).toMatchObject({ added: true, topic: { stage: 'collecting', support: { count: 1, mine: true } } });
    expect(await resident.ok('POST', `/api/topics/${topic.id}/support`)).toMatchObject({ added: false, topic: { support: { count: 1 } } });
    // 李秀英 lives in another grid of the community: a grid topic is not hers (404: she cannot see it).
    expect((await resident12.raw('POST', `/api/topics/${topic.id}/support`)).statusCode).toBe(404);

    // A community topic is hers and 张伟's is not.
    const community = await staff1.ok<Topic>('POST', '/api/topics', { title: '小区绿化带垃圾堆咋个整', scope: 'community', nodeId: t.town.c1.id, supportThreshold: 2 });
    expect(community).toMatchObject({ stage: 'collecting', scope: 'community', raisedBy: '花园社区干部' });
    await resident.ok('POST', `/api/topics/${community.id}/support`);
    const second = await resident12.ok<{ topic: Topic }>('POST', `/api/topics/${community.id}/support`);
    expect(second.topic).toMatchObject({ stage: 'deliberating', support: { count: 2 } });
    const refused = await resident21.raw('POST', `/api/topics/${community.id}/support`);
    expect(refused.statusCode).toBe(404);
    const trail = await staff1.ok<{ items: { action: string; note: string }[] }>('GET', `/api/topics/${community.id}/trail`);
    expect(trail.items.map((e) => e.action)).toEqual(['raise', 'support', 'support', 'advance']);
  });

  it('refuses a support past the expiry with TOPIC_NOT_OPEN and expires the topic by its job', async () => {
    const topic = await resident.ok<Topic>('POST', '/api/topics', { title: '单元门口装个雨棚', supportThreshold: 5, supportDays: 1 });
    await t.deps.db.updateTable('topics').set({ support_until: new Date(Date.now() - 1000) }).where('id', '=', topic.id).execute();
    const before = await count('topic_supports');
    const late = await resident.raw('POST', `/api/topics/${topic.id}/support`);
    expect(late.statusCode).toBe(409);
    expect(late.json().error).toMatchObject({ code: 'TOPIC_NOT_OPEN' });
    expect(await count('topic_supports')).toBe(before);
    const job = await t.deps.db.selectFrom('jobs').select(['kind', 'run_at']).where('dedupe_key', '=', `topic-expire:${topic.id}`).executeTakeFirstOrThrow();
    expect(job.kind).toBe('deliberation.expire');
    const { createJobRunner } = await import('../../src/modules/jobs/jobs.setup.ts');
    await t.deps.db.updateTable('jobs').set({ run_at: new Date(Date.now() - 1000) }).where('dedupe_key', '=', `topic-expire:${topic.id}`).execute();
    await createJobRunner(t.deps).runDue();
    expect(await resident.ok('GET', `/api/topics/${topic.id}`)).toMatchObject({ stage: 'expired' });
  });

  it('refuses bad input with a stable code and stores nothing', async () => {
    const before = await count('topics');
    for (const body of [{ title: '' }, { title: 5 }, { title: '好', supportThreshold: -1 }, { title: '好', scope: 'city' }, { title: '好', decisionType: 'dot' }]) {
      const r = await resident.raw('POST', '/api/topics', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().error.code).toBe('VALIDATION_FAILED');
    }
    // A grid scope on a community node, and staff raising outside their community.
    expect((await staff1.raw('POST', '/api/topics', { title: '好', scope: 'grid', nodeId: t.town.c1.id })).json().error.code).toBe('VALIDATION_FAILED');
    expect((await staff2.raw('POST', '/api/topics', { title: '好', scope: 'grid', nodeId: t.town.g11.id })).statusCode).toBe(403);
    expect(await count('topics')).toBe(before);
  });

  it('hides a topic with a reason kept in the trail, and merges a duplicate with its supports counted once', async () => {
    const a = await resident.ok<Topic>('POST', '/api/topics', { title: '楼下乱停车', supportThreshold: 3 });
    const b = await worker11.ok<Topic>('POST', '/api/topics', { title: '小区停车乱', scope: 'grid', nodeId: t.town.g11.id, supportThreshold: 3 });
    await resident.ok('POST', `/api/topics/${a.id}/support`);
    await resident.ok('POST', `/api/topics/${b.id}/support`);
    expect((await resident.raw('POST', `/api/topics/${a.id}/hide`, { reason: '重复' })).statusCode).toBe(403);
    const merged = await worker11.ok<Topic>('POST', `/api/topics/${a.id}/merge`, { into: b.id, note: '同一件事' });
    expect(merged).toMatchObject({ stage: 'merged', mergedInto: b.id });
    expect(await resident.ok('GET', `/api/topics/${b.id}`)).toMatchObject({ support: { count: 1 } });

    const hidden = await worker11.ok<Topic>('POST', `/api/topics/${b.id}/hide`, { reason: '含有住户门牌号，先隐藏' });
    expect(hidden.hidden).toMatchObject({ reason: '含有住户门牌号，先隐藏' });
    expect((await resident.raw('GET', `/api/topics/${b.id}`)).statusCode).toBe(404);
    const list = await resident.ok<{ items: { id: number }[] }>('GET', '/api/topics');
    expect(list.items.map((x) => x.id)).not.toContain(b.id);
    const trail = await worker11.ok<{ items: { action: string; note: string }[] }>('GET', `/api/topics/${b.id}/trail`);
    expect(trail.items.at(-1)).toMatchObject({ action: 'hide', note: '含有住户门牌号，先隐藏' });
    expect((await worker11.raw('POST', `/api/topics/${b.id}/hide`, { reason: '' })).statusCode).toBe(400);
  });

  it('turns a matter into a topic linked both ways, and keeps a threaded discussion with real-name status', async () => {
    const m = await resident.ok<{ id: number }>('POST', '/api/matters', { source: 'resident_report', channel: 'phone', location: { buildingId: t.town.building.id }, description: '桥下面的路坑坑洼洼的，能不能整修一下' });
    const topic = await staff1.ok<Topic & { matterId: number; origin: string }>('POST', `/api/matters/${m.id}/topic`, { title: '整修桥下道路、增加儿童游乐设施', supportThreshold: 0 });
    expect(topic).toMatchObject({ matterId: m.id, origin: 'matter', stage: 'deliberating', nodeId: t.town.g11.id });
    expect(await staff1.ok('GET', `/api/matters/${m.id}/topics`)).toEqual({ items: [{ id: topic.id, title: '整修桥下道路、增加儿童游乐设施', stage: 'deliberating' }] });

    const c1 = await resident.ok<{ id: number; author: string; realName: string }>('POST', `/api/topics/${topic.id}/comments`, { body: '要得，我家孙孙天天在那耍' });
    expect(c1).toMatchObject({ author: '王**', realName: 'resident' });
    const reply = await worker11.ok('POST', `/api/topics/${topic.id}/comments`, { body: '好的，我们先去量一下面积', parentId: c1.id });
    expect(reply).toMatchObject({ parentId: c1.id, author: '网格员甲', realName: 'staff' });
    await staff1.ok('POST', `/api/topics/${topic.id}/comments/${c1.id}/hide`, { reason: '测试隐藏' });
    const thread = await resident.ok<{ items: { body: string; hidden: boolean }[] }>('GET', `/api/topics/${topic.id}/comments`);
    expect(thread.items.map((c) => [c.body, c.hidden])).toEqual([['', true], ['好的，我们先去量一下面积', false]]);
    expect((await resident21.raw('POST', `/api/topics/${topic.id}/comments`, { body: '我也说两句' })).statusCode).toBe(404);
  });
});
