import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { isPublicCode, NEUTRAL_TITLE } from '../src/core/matters/public.ts';
import * as publicCodes from '../src/db/migrations/2026_12_02_0012_public_codes.ts';
import { render } from '../src/modules/outbound/outbound.render.ts';
import { expectError } from './helpers/app.ts';
import { testEngine } from './helpers/engine.ts';
import { useTestTown } from './helpers/town.ts';
import { linkMessage } from './outbound/support.ts';

// The public page of a matter (/r/m/<publicCode>, GET /api/public/matters/:code, no sign-in) shows the stage trail,
// the category, staff's title and the masked outcome: never the resident's words, and never by a guessable code.

/** What a resident in Chongqing writes: a name, a mobile with spaces, an ID number. */
const PII_REPORT = '我是张三，电话138 1234 5678，身份证500105199001011234，3栋楼道灯坏了三天了，莫得人管';
const PII_FRAGMENTS = ['张三', '13812345678', '138 1234 5678', '1234 5678', '500105199001011234', '0105199', '楼道灯坏了三天', '莫得人管'];
const PUBLIC_KEYS = ['category', 'code', 'result', 'satisfaction', 'stages', 'status', 'title'];

interface Out { id: number; code: string; publicCode: string; title: string; categoryId: number | null }

describe(`the public matter page leaks nothing (${testEngine})`, () => {
  const t = useTestTown();
  const [resident, worker, community, admin] = t.actors('t_resident', 't_worker11', 't_staff1', 't_admin');
  const anonymous = (code: string) => t.app.inject({ method: 'GET', url: `/api/public/matters/${encodeURIComponent(code)}` });

  /** The resident's report, walked through to feedback with a handler's note that names someone and gives numbers. */
  async function residentMatterInFeedback(note: string) {
    const m = await resident.ok<Out>('POST', '/api/matters', {
      source: 'resident_report', channel: 'phone', title: '我是张三13812345678', description: PII_REPORT, location: { nodeId: t.town.g11.id }, reporter: {},
    });
    await community.step(m.id, 'register', { categoryCode: 'S03002', scope: 'household', complexity: 'simple' });
    await community.step(m.id, 'dispatch', { lead: { kind: 'node', id: t.town.g11.id } });
    await worker.step(m.id, 'accept');
    await worker.step(m.id, 'handle', { note, photos: [] });
    await community.step(m.id, 'verify', { passed: true, note: '已核实' });
    return m;
  }

  it('answers by the public code with the stages, the category and the masked result, and nothing of the resident\'s words', async () => {
    const m = await residentMatterInFeedback('已更换灯泡。联系人：王秀英，电话13987654321，座机023-68861234');
    expect(isPublicCode(m.publicCode)).toBe(true);
    expect(m.code).toMatch(/^SJ\d{8}-\d{6}$/);
    const res = await anonymous(m.publicCode);
    expect(res.statusCode).toBe(200);
    const pub = res.json();
    expect(Object.keys(pub).sort()).toEqual(PUBLIC_KEYS);
    expect(pub).toMatchObject({ code: m.publicCode, title: '供水设施维修', category: '供水设施维修', status: 'feedback' });
    expect(pub.result).toBe('已更换灯泡。联系人：***，电话***********，座机***-********');
    expect(pub.stages.map((s: { reached: boolean }) => s.reached)).toEqual([true, true, true, true, true, false]);
    for (const fragment of [...PII_FRAGMENTS, '王秀英', '13987654321', '68861234', m.code, m.title]) expect(res.body).not.toContain(fragment);
    // The resident's own account (the seed's 王建国) and their number are not there either.
    expect(res.body).not.toContain('王建国');
    expect(res.body).not.toMatch(/1381234|138\*{4}5678/);
  });

  it('titles a matter nobody on the staff has titled by its category, or neutrally before it has one', async () => {
    const m = await resident.ok<Out>('POST', '/api/matters', {
      source: 'resident_report', channel: 'phone', title: '我是张三，电话13812345678', description: PII_REPORT, location: { nodeId: t.town.g11.id }, reporter: {},
    });
    const pub = (await anonymous(m.publicCode)).json();
    const detail = await community.matter(m.id);
    expect(pub.title).toBe(detail.category?.name ?? NEUTRAL_TITLE);
    for (const fragment of PII_FRAGMENTS) expect(JSON.stringify(pub)).not.toContain(fragment);

    // With no category at all: the neutral title.
    await t.deps.db.updateTable('matters').set({ category_id: null }).where('id', '=', m.id).execute();
    expect((await anonymous(m.publicCode)).json()).toMatchObject({ title: NEUTRAL_TITLE, category: null });
  });

  it('shows a title staff wrote, masked like anything public', async () => {
    const m = await worker.ok<Out>('POST', '/api/matters', {
      source: 'patrol', channel: 'phone', title: '3栋楼道灯不亮，联系人：刘德明', description: '巡查发现3栋楼道灯不亮，联系人刘德明13512345678', location: { buildingId: t.town.building.id },
    });
    const pub = (await anonymous(m.publicCode)).json();
    expect(pub.title).toBe('3栋楼道灯不亮，联系人：***');
    expect(JSON.stringify(pub)).not.toMatch(/刘德明|13512345678/);
  });

  it('shows the title the operator writes at registration, in place of the resident\'s words', async () => {
    const m = await resident.ok<Out>('POST', '/api/matters', {
      source: 'resident_report', channel: 'phone', title: '我是张三，电话13812345678', description: PII_REPORT, location: { nodeId: t.town.g11.id }, reporter: {},
    });
    expectError(await community.raw('POST', `/api/matters/${m.id}/register`, { categoryCode: 'S03002', title: 'x' }), 400, 'VALIDATION_FAILED');
    await community.step(m.id, 'register', { categoryCode: 'S03002', title: '3栋楼道灯不亮' });
    expect((await anonymous(m.publicCode)).json().title).toBe('3栋楼道灯不亮');
    expect((await community.matter(m.id)).title).toBe('3栋楼道灯不亮');
  });

  it('answers 404 for the internal code, its neighbours and a public code one symbol off; any case and spacing of the public code work', async () => {
    const made: Out[] = [];
    for (let i = 0; i < 3; i++) {
      made.push(await worker.ok<Out>('POST', '/api/matters', { source: 'patrol', channel: 'phone', description: `巡查发现第${i + 1}处井盖松动`, location: { buildingId: t.town.building.id } }));
    }
    const [first] = made;
    if (!first) throw new Error('no matter made');
    // Twenty guesses by counting: the internal codes of these matters and their neighbours.
    const [day, seq] = first.code.slice(2).split('-');
    const guesses = Array.from({ length: 20 }, (_, k) => `SJ${day}-${String(Number(seq) - 10 + k).padStart(6, '0')}`);
    for (const code of guesses) expectError(await anonymous(code), 404, 'NOT_FOUND');

    const codes = made.map((m) => m.publicCode);
    expect(new Set(codes).size).toBe(3);
    for (const code of codes) expect(isPublicCode(code)).toBe(true);
    const last = first.publicCode.at(-1) === '0' ? '1' : '0';
    expectError(await anonymous(`${first.publicCode.slice(0, -1)}${last}`), 404, 'NOT_FOUND');
    expectError(await anonymous('not-a-code'), 404, 'NOT_FOUND');
    expect((await anonymous(first.publicCode.toLowerCase().replaceAll('-', ' '))).json().code).toBe(first.publicCode);
    expect((await anonymous(first.publicCode.replaceAll('-', ''))).statusCode).toBe(200);
  });

  it('gives staff and the reporting resident the public code, and finds the matter by it', async () => {
    const m = await resident.ok<Out>('POST', '/api/matters', { source: 'resident_report', channel: 'phone', description: '小区门口路灯不亮', location: { nodeId: t.town.g11.id }, reporter: {} });
    expect((await community.ok<Out>('GET', `/api/matters/${m.id}`)).publicCode).toBe(m.publicCode);
    const mine = await resident.ok<{ items: Out[] }>('GET', `/api/matters?q=${encodeURIComponent(m.publicCode)}&order=recent`);
    expect(mine.items.map((x) => [x.id, x.publicCode])).toEqual([[m.id, m.publicCode]]);
  });

  it('links outcomes posted to groups by the public code, titled and masked as the page is', async () => {
    const g11 = (await t.deps.db.selectFrom('online_groups').select('id').where('external_id', '=', 'wrG11').executeTakeFirstOrThrow()).id;
    const m = await residentMatterInFeedback('已更换灯泡，我叫刘小军，有事打13987654321');
    await linkMessage(t, g11, m.id, PII_REPORT);
    await community.step(m.id, 'close', { note: '居民确认' });
    const [delivery] = (await admin.ok<{ items: { text: string | null }[] }>('GET', `/api/outbound/deliveries?matterId=${m.id}`)).items;
    const text = delivery?.text ?? '';
    expect(text).toContain(`http://localhost:8080/r/m/${m.publicCode}`);
    expect(text).toContain(`编号 ${m.publicCode}`);
    expect(text).toContain('【办结反馈】供水设施维修\n');
    expect(text).toContain('处理结果：已更换灯泡，我叫***，有事打***********');
    for (const fragment of [...PII_FRAGMENTS, m.code, '刘小军', '13987654321']) expect(text).not.toContain(fragment);
  });

  it('renders facts stored before public codes without a link that would 404, masking them again', () => {
    const message = render({
      type: 'matter_outcome', photos: [],
      matter: { id: 1, code: 'SJ20261121-000042', title: '我是张三，电话13812345678', category: null, note: '联系人：王秀英', status: 'closed', closedAt: '2026-11-21T08:00:00.000Z' },
    }, 'https://grid.example');
    expect(message.text).not.toMatch(/SJ20261121|\/r\/m\/|张三|13812345678|王秀英/);
    expect(message.matter).toMatchObject({ code: null, status: 'closed' });
  });
});

describe(`the public-codes migration backfills what was there before it (${testEngine})`, () => {
  const t = useTestTown();
  const [worker] = t.actors('t_worker11');

  it('gives every existing matter its own public code and no public title, and re-links queued outcomes', async () => {
    const db = t.deps.db;
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await worker.ok<Out>('POST', '/api/matters', { source: 'patrol', channel: 'phone', title: `第${i + 1}处井盖`, description: `巡查发现第${i + 1}处井盖松动`, location: { buildingId: t.town.building.id } })).id);
    }
    const g11 = (await db.selectFrom('online_groups').select('id').where('external_id', '=', 'wrG11').executeTakeFirstOrThrow()).id;
    // As the release before: no public code, and an outcome queued with the title as it was.
    await publicCodes.down(db);
    await db.insertInto('outbound_deliveries').values({
      group_id: g11, kind: 'matter_outcome', matter_id: ids[0] ?? 0, dedupe_key: 'old-outcome',
      payload: JSON.stringify({ type: 'matter_outcome', photos: [], matter: { id: ids[0], code: 'SJ20261121-000001', title: '我是张三13812345678', category: null, note: null, status: 'closed', closedAt: '2026-11-21T08:00:00.000Z' } }),
    }).execute();
    await publicCodes.up(db);

    const rows = await db.selectFrom('matters as m').leftJoin('categories as c', 'c.id', 'm.category_id')
      .select(['m.id', 'm.public_code', 'm.title_public', 'c.name as category']).where('m.id', 'in', ids).execute();
    expect(rows).toHaveLength(5);
    expect(new Set(rows.map((r) => r.public_code)).size).toBe(5);
    for (const r of rows) expect(isPublicCode(r.public_code)).toBe(true);
    expect(rows.every((r) => r.title_public === false)).toBe(true);
    const queued = await db.selectFrom('outbound_deliveries').select('payload').where('dedupe_key', '=', 'old-outcome').executeTakeFirstOrThrow();
    const first = rows.find((r) => r.id === ids[0]);
    // Titled as the page now titles it: by the category, never by the title stored in the old facts.
    expect(queued.payload).toMatchObject({ matter: { publicCode: first?.public_code, title: first?.category ?? NEUTRAL_TITLE } });
    expect(JSON.stringify(queued.payload)).not.toMatch(/张三|13812345678/);

    // A row inserted by any path gets one from the column default; two cannot share one.
    const raw = await db.insertInto('matters').values({
      code: 'RAW-1', source: 'patrol', channel: 'web', title: 't', description: 'd', area_node_id: t.town.g11.id, area_path: t.town.g11.path,
      owner_node_id: t.town.town.id, owner_path: t.town.town.path, status: 'reported', level: 'grid', reported_at: new Date(),
    }).returning('public_code').executeTakeFirstOrThrow();
    expect(isPublicCode(raw.public_code)).toBe(true);
    await expect(sql`update matters set public_code = ${raw.public_code} where id = ${ids[1] ?? 0}`.execute(db)).rejects.toThrow();
  });
});
