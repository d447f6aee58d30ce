import type { FastifyInstance } from 'fastify';
import { drawPng } from '../../core/demo/png.ts';
import type { AppDeps } from '../../deps.ts';
import { DEMO_PASSWORD } from './demo.loader.ts';
import { deliberationCast } from './demo.repository.ts';

type Call = <T = Record<string, unknown>>(method: 'GET' | 'POST', url: string, payload?: unknown) => Promise<T>;

/**
 * Deliberation in the demo town (议事协商), taken through the HTTP API as its people would, so every rule, trail and
 * figure is the real one: in community 01 two grid stations (连心桥, 小院+), a pocket park under the bridge decided,
 * crowdfunded and built; charging points for e-bikes being built; the move of a rubbish kiosk being voted on;
 * square dancing too loud collecting support; a lift for an old building under discussion; a round table with
 * minutes and a neighbourhood meeting next week with its pending items. Loaded after the demo town, once; a
 * failure is logged and leaves the town as it is.
 */
export async function loadDemoDeliberation(app: FastifyInstance, deps: AppDeps): Promise<{ topics: number; meetings: number }> {
  const cookies = new Map<string, string>();
  const login = async (username: string): Promise<Call> => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
    const cookie = res.cookies.find((c) => c.name === 'dg_session');
    if (!cookie) throw new Error(`demo deliberation: ${username} could not sign in (${res.statusCode})`);
    cookies.set(username, `dg_session=${cookie.value}`);
    const headers = { cookie: `dg_session=${cookie.value}`, 'accept-language': 'zh-CN' };
    return async (method, url, payload) => {
      const r = await app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
      if (r.statusCode >= 300) throw new Error(`demo deliberation: ${username} ${method} ${url} → ${r.statusCode} ${r.body}`);
      return r.json();
    };
  };
  /** A photo uploaded by a signed-in account, as its phone would (multipart to /api/files). */
  const upload = async (username: string, seed: number) => {
    const boundary = `----demo${seed}`;
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="park.png"\r\nContent-Type: image/png\r\n\r\n`),
      parkPhoto(seed), Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const r = await app.inject({ method: 'POST', url: '/api/files', headers: { cookie: cookies.get(username) ?? '', 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body });
    if (r.statusCode >= 300) throw new Error(`demo deliberation: upload → ${r.statusCode} ${r.body}`);
    return r.json<{ hash: string }>().hash;
  };

  // Community 01, its first grid, its staff and worker, and residents of the register who have accounts there.
  const { community, grid, accounts, department: property } = await deliberationCast(deps.db);
  if (accounts.length < 6) throw new Error(`demo deliberation: community 01 has ${accounts.length} resident accounts, 6 needed`);
  const inGrid = accounts.filter((a) => a.grid_id === grid.id);

  const staff = await login('c01_staff1');
  const worker = await login('w01001');
  const residents = await Promise.all(accounts.map((a) => login(a.username)));
  const [r1, r2, r3, r4, r5, r6] = residents as [Call, Call, Call, Call, Call, Call];
  const days = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();
  let topics = 0;
  let meetings = 0;

  const bridge = await staff<{ id: number }>('POST', '/api/grid-stations', { nodeId: grid.id, name: '双龙桥网格驿站', brand: '连心桥', address: '双龙桥下社区活动室' });
  await staff('POST', '/api/grid-stations', { nodeId: community.id, name: '社区小院', brand: '小院+', address: '社区服务中心后院' });

  // 1. The pocket park under the bridge: raised, discussed, two plans, chosen, crowdfunded, built (story 8).
  const park = await staff<{ id: number }>('POST', '/api/topics', {
    title: '双龙桥下烂泥巴地整成口袋公园', body: '桥下那块地坑坑洼洼的，一下雨全是稀泥巴，娃儿些莫得地方耍。大家看咋个整？',
    scope: 'community', nodeId: community.id, supportThreshold: 0, decisionType: 'choose',
  });
  topics++;
  await r1('POST', `/api/topics/${park.id}/comments`, { body: '要得！整平了铺点塑胶，再安两个滑梯，娃儿放学就有地方耍了' });
  await r2('POST', `/api/topics/${park.id}/comments`, { body: '晚上黑黢黢的，记得加两盏路灯' });
  const parkPlan = await staff<{ id: number; goals: { id: number }[] }>('POST', `/api/topics/${park.id}/plans`, {
    title: '桥下口袋公园', body: '整平路面，铺塑胶步道，安装儿童滑梯、秋千和两盏路灯', costYuan: 92000,
    departmentIds: property ? [property.id] : [],
    goals: [{ kind: 'money', label: '居民众筹资金', unit: '元', target: 6000 }, { kind: 'labour', label: '义务出工', unit: '小时', target: 40 }],
  });
  const gravel = await worker<{ id: number }>('POST', `/api/topics/${park.id}/plans`, { title: '先填平铺碎石', body: '先把坑填平，铺一层碎石，花钱少', costYuan: 12000 });
  await staff('POST', `/api/topics/${park.id}/vote/open`, { closesAt: days(7) });
  for (const r of [r1, r2, r3]) await r('POST', `/api/topics/${park.id}/votes`, { planId: parkPlan.id });
  await r4('POST', `/api/topics/${park.id}/votes`, { planId: gravel.id });
  await staff('POST', `/api/topics/${park.id}/vote/close`, { outcome: '采纳「桥下口袋公园」方案，居民众筹、物业配合实施' });
  const [money, labour] = parkPlan.goals;
  await r1('POST', `/api/topics/${park.id}/pledges`, { goalId: money?.id, amount: 500 });
  await r2('POST', `/api/topics/${park.id}/pledges`, { goalId: labour?.id, amount: 8 });
  const firm = await staff<{ id: number }>('POST', `/api/topics/${park.id}/pledges`, { goalId: money?.id, amount: 5000, organisation: '小区物业公司' });
  await staff('POST', `/api/topics/${park.id}/pledges/${firm.id}/deliver`, { note: '物业已转账' });
  const round = await staff<{ id: number }>('POST', '/api/meetings', {
    nodeId: grid.id, kind: 'round_table', title: '桥下公园圆桌会', place: '双龙桥网格驿站', startsAt: days(-3), stationId: bridge.id, topicId: park.id,
  });
  await staff('POST', `/api/meetings/${round.id}/open`);
  for (const a of inGrid.slice(0, 3)) await staff('POST', `/api/meetings/${round.id}/attendance`, { residentId: a.id });
  await staff('POST', `/api/meetings/${round.id}/close`, { minutes: '到会居民同意先整平路面再装滑梯；物业出资五千元，居民义务出工；路灯请物业安装。' });
  meetings++;
  const parkProject = await staff<{ id: number; milestones: { id: number }[] }>('POST', `/api/topics/${park.id}/project`, {
    departmentIds: property ? [property.id] : [], photos: [await upload('c01_staff1', 1)],
    milestones: [{ title: '整平路面', weight: 2 }, { title: '铺塑胶步道', weight: 1 }, { title: '安装滑梯秋千和路灯', weight: 1 }],
  });
  for (const m of parkProject.milestones) await staff('POST', `/api/projects/${parkProject.id}/milestones/${m.id}`, { progress: 100 });
  await staff('POST', `/api/projects/${parkProject.id}/photos`, { stage: 'after', photos: [await upload('c01_staff1', 2)] });
  await staff('POST', `/api/projects/${parkProject.id}/complete`, { note: '桥下口袋公园建成开放，从提议到建成45天' });

  // 2. Charging points for e-bikes in the grid: decided by approval, being built.
  const charging = await worker<{ id: number }>('POST', '/api/topics', {
    title: '院坝里装电瓶车充电桩', body: '好多人把电瓶车推上楼充电，太危险了，院坝里装几个充电桩要不要得？', scope: 'grid', nodeId: grid.id, supportThreshold: 0,
  });
  topics++;
  await worker('POST', `/api/topics/${charging.id}/plans`, { title: '院坝东侧装20个充电口', body: '装一排带遮雨棚的充电桩，扫码付费', costYuan: 18000 });
  await worker('POST', `/api/topics/${charging.id}/vote/open`, { closesAt: days(5) });
  for (const r of residents.slice(0, Math.min(4, inGrid.length))) await r('POST', `/api/topics/${charging.id}/votes`, { approval: 'yes' });
  await worker('POST', `/api/topics/${charging.id}/vote/close`, { outcome: '同意在院坝东侧安装充电桩' });
  const chargingProject = await worker<{ id: number; milestones: { id: number }[] }>('POST', `/api/topics/${charging.id}/project`, {
    milestones: [{ title: '选址和报装', weight: 1 }, { title: '安装充电桩和雨棚', weight: 3 }],
  });
  await worker('POST', `/api/projects/${chargingProject.id}/milestones/${chargingProject.milestones[0]?.id}`, { progress: 100 });
  await worker('POST', `/api/projects/${chargingProject.id}/milestones/${chargingProject.milestones[1]?.id}`, { progress: 40, note: '雨棚已经搭好了' });

  // 3. Moving the rubbish kiosk: being voted on.
  const kiosk = await staff<{ id: number }>('POST', '/api/topics', {
    title: '垃圾分类亭挪到背街那边', body: '垃圾亭挨到幼儿园门口，夏天气味大，挪到背街去要得不？', scope: 'community', nodeId: community.id, supportThreshold: 0,
  });
  topics++;
  await staff('POST', `/api/topics/${kiosk.id}/vote/open`, { closesAt: days(5) });
  await r5('POST', `/api/topics/${kiosk.id}/votes`, { approval: 'yes' });
  await r6('POST', `/api/topics/${kiosk.id}/votes`, { approval: 'no' });

  // 4. Square dancing too loud: a resident's topic collecting support.
  const dancing = await r3<{ id: number }>('POST', '/api/topics', { title: '广场舞声音太大咋个整', body: '每天晚上八点过还在放，屋头娃儿要做作业，能不能商量个时间？', scope: 'community', supportThreshold: 10 });
  topics++;
  for (const r of [r4, r5, r6]) await r('POST', `/api/topics/${dancing.id}/support`);

  // 5. A lift for an old building: under discussion.
  const lift = await staff<{ id: number }>('POST', '/api/topics', { title: '老楼加装电梯', body: '7栋老年人多，爬楼梯恼火，加装电梯的钱咋个分摊大家说一说', scope: 'community', nodeId: community.id, supportThreshold: 0 });
  topics++;
  await r1('POST', `/api/topics/${lift.id}/comments`, { body: '一楼住户莫得好处，分摊要考虑一下' });
  await r2('POST', `/api/topics/${lift.id}/comments`, { body: '楼层越高出钱越多，我觉得要得' });

  // A neighbourhood meeting next week; its agenda takes up the open pending items (三事分流).
  await staff('POST', '/api/pending-items', { nodeId: grid.id, title: '3栋楼梯扶手松了', kind: 'shared', owner: '物业' });
  await staff('POST', '/api/pending-items', { nodeId: grid.id, title: '院坝路灯不亮，晚上莫得光', kind: 'public', owner: '社区' });
  await staff('POST', '/api/meetings', {
    nodeId: community.id, kind: 'neighbourhood', title: '网格邻里会', place: '社区小院', startsAt: days(6), topicId: lift.id, agenda: [{ title: '老楼加装电梯费用分摊', topicId: lift.id }],
  });
  meetings++;
  return { topics, meetings };
}

/** A green park with a path and a slide, drawn in a few lines, so the demo's project photos look like a place. */
function parkPhoto(seed: number): Buffer {
  return drawPng(320, 240, (x, y) => {
    if (y < 90) return [150 + seed * 20, 200, 240];
    if (Math.abs(x - 160 - (y - 160) * 0.6) < 18) return [200, 80, 60];
    if (x > 230 && x < 280 && y > 110 && y < 200 && (x - 230) * 1.8 > y - 110) return [240, 200, 40];
    return [60, 150 + ((x * y + seed) % 20), 70];
  });
}
