import { describe, expect, it } from 'vitest';
import { atLeastAsGood, heldOutSplit, type SensingFigures } from '../../src/core/sensing/learn.ts';
import { loadBaseSet } from '../../src/modules/sensing/base-set.ts';
import { createJobRunner } from '../../src/modules/jobs/jobs.setup.ts';
import { ensureBaseModel } from '../../src/modules/sensing/models.service.ts';
import { expectError } from '../helpers/app.ts';
import { postWebhook, useOnlineTown, webhookMessage } from '../online/fixture.ts';

type Headers = Record<string, string>;
interface Model { id: number; version: number; status: string; training: { townLabels: number; heldOutLines: number; trainLines: number }; figures: { decision: string; candidate: SensingFigures; current: SensingFigures | null } }

/** Lines heldOutSplit keeps for training (about 80%): only these can teach the candidate anything. */
const trainSide = (texts: string[]) => heldOutSplit(texts.map((text) => ({ text }))).train.map((l) => l.text);

// Three things the base model gets wrong, each in several wordings: a broken parcel locker (a request it calls chatter),
// lost and found (chatter it calls a request), and a loose swing chain (filed under 设施松动损坏, not 健身设施).
const LOCKER = ['快递柜屏幕又黑屏了取不出件', '快递柜黑屏了好几天取不了快递', '门口那个快递柜屏幕黑起的取不到件', '东门快递柜屏幕不亮了件取不出来',
  '快递柜屏幕坏了取件码输不进去', '北门快递柜黑屏了快递拿不出来', '快递柜屏幕一直黑的取不到快递', '3栋楼下快递柜屏幕黑了取件取不出'];
const FOUND = ['谁家的钥匙掉在5栋门口了快来认领', '哪个的门禁卡掉在东门了快来认领哈', '捡到一个钱包在2单元门口失主来认领', '谁的雨伞落在电梯里了快来认领',
  '谁家娃儿的水杯掉在楼下了来认领', '谁掉了一串车钥匙在停车场快来认领', '门卫室有个快递没人领谁的来认领', '谁的校园卡掉在楼道里了来认领'];
const SWING = ['小区秋千的链子松了晃得厉害', '秋千的链子断了一根娃儿不敢耍', '儿童乐园秋千链子松脱了', '那个秋千的座板裂了链子也松了',
  '秋千链子生锈松了荡起来咔咔响', '楼下秋千链条快断了', '秋千一边链子松了坐上去歪的', '小花园秋千的链子脱了'];

/** Other wordings of the same three things, never labelled, and what they should be sensed as. */
const VARIANTS = ['快递柜屏幕黑了取不出快递', '西门快递柜黑屏了取不了件', '谁的眼镜掉在3栋门口了快来认领', '哪个的钥匙落在花园里了来认领一下', '秋千链子松了好危险', '小区里秋千的链子快断了'];
const RIGHT = [[true, 'S08001'], [true, 'S08001'], [false, null], [false, null], [true, 'S08001'], [true, 'S08001']];

describe('sensing model versions: the base model, retraining from labels, promote and rollback', () => {
  const o = useOnlineTown();
  const [worker12, centre] = o.sessions('t_worker12', 't_centre');

  const post = async (texts: string[]) => {
    const res = await postWebhook(o, { messages: texts.map((text) => webhookMessage({ groupId: 'chat-g12', text })) });
    expect(res.statusCode).toBe(200);
    return (res.json().items as { id: number }[]).map((i) => i.id);
  };
  const act = (headers: Headers, url: string, payload?: Record<string, unknown>) => o.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });
  const models = async () => (await o.app.inject({ method: 'GET', url: '/api/sensing/models', headers: o.admin })).json().items as Model[];
  const retrain = async () => {
    const res = await act(o.admin, '/api/sensing/models/retrain');
    expect(res.statusCode).toBe(202);
    const jobId = res.json().jobId as number;
    await createJobRunner(o.deps).runDue(new Date());
    expect(await o.deps.db.selectFrom('jobs').select(['status', 'last_error']).where('id', '=', jobId).executeTakeFirstOrThrow()).toEqual({ status: 'done', last_error: null });
    return (await models())[0] as Model;
  };
  const sensedAs = async (texts: string[]) => {
    const ids = await post(texts);
    return o.deps.db.selectFrom('group_messages').select(['text', 'actionable', 'category_code']).where('id', 'in', ids).orderBy('id').execute();
  };

  it('makes one base version 1 at start, even when two processes start at once', { timeout: 60_000 }, async () => {
    await Promise.all([ensureBaseModel(o.deps), ensureBaseModel(o.deps)]);
    await ensureBaseModel(o.deps);
    const list = await models();
    expect(list.map((m) => [m.version, m.status])).toEqual([[1, 'current']]);
    expect(list[0]).toMatchObject({ engine: 'fasttext-1', reason: 'base', figures: { decision: 'base', current: null }, training: { townLabels: 0, baseLines: loadBaseSet().length } });
    expect(list[0]?.training.heldOutLines).toBeGreaterThan(50);
    expectError(await o.app.inject({ method: 'GET', url: '/api/sensing/models', headers: centre }), 403, 'FORBIDDEN');
  });

  it('retrains from the decisions operators made, and the new version senses other wordings of them rightly', { timeout: 120_000 }, async () => {
    // The base model gets some of them wrong (which ones depends on the shipped base set).
    const before = await sensedAs(VARIANTS);
    expect(before.map((m) => [m.actionable, m.category_code])).not.toEqual(RIGHT);

    const lockers = await post(trainSide(LOCKER));
    for (const id of lockers) expect((await act(worker12, `/api/group-messages/${id}/to-matter`, { categoryCode: 'S08001' })).statusCode).toBe(201);
    const found = await post(trainSide(FOUND));
    for (const id of found) expect((await act(worker12, `/api/group-messages/${id}/dismiss`, { reason: '失物招领' })).statusCode).toBe(200);
    const swings = await post(trainSide(SWING));
    for (const id of swings) {
      const made = await act(worker12, `/api/group-messages/${id}/to-matter`, { categoryCode: '01004' });
      expect((await act(centre, `/api/matters/${made.json().matterId}/register`, { categoryCode: 'S08001' })).statusCode).toBe(200);
    }
    const labels = await o.deps.db.selectFrom('sensing_labels').select('source').execute();
    expect(labels.length).toBe(lockers.length + found.length + swings.length);
    expect(labels.filter((l) => l.source === 'category_corrected')).toHaveLength(swings.length);

    const v2 = await retrain();
    expect(v2).toMatchObject({ version: 2, training: { townLabels: labels.length } });
    // Promoted exactly when it measured at least as well as version 1 on the same held-out lines. Which way that goes
    // can turn on one urgent line of the shipped base set (urgent recall may not drop at all), so the test follows the
    // figures, and an administrator promotes a rejected candidate by hand, as the console would.
    const good = atLeastAsGood(v2.figures.candidate, v2.figures.current ?? v2.figures.candidate);
    expect([v2.status, v2.figures.decision]).toEqual(good ? ['current', 'promoted'] : ['rejected', 'rejected']);
    if (!good) expect((await act(o.admin, `/api/sensing/models/${v2.id}/promote`, { reason: '标注学到了，紧急召回只差一条' })).statusCode).toBe(200);
    expect((await models()).map((m) => [m.version, m.status])).toEqual([[2, 'current'], [1, 'retired']]);

    // Intake senses with version 2 at once: other wordings of the same three things.
    const after = await sensedAs(VARIANTS);
    expect(after.map((m) => [m.actionable, m.category_code])).toEqual(RIGHT);
  });

  it('rejects a candidate that measures worse: labels contradicting the base set', { timeout: 120_000 }, async () => {
    // Operators dismiss a run of real requests as chatter: the candidate learns to miss requests.
    const all = heldOutSplit(loadBaseSet().filter((l) => l.actionable && !l.urgentKind)).train.map((l) => l.text);
    const requests = all.slice(0, Math.min(450, Math.max(150, Math.ceil(all.length / 3))));
    const ids: number[] = [];
    for (let at = 0; at < requests.length; at += 150) ids.push(...(await post(requests.slice(at, at + 150))));
    for (const id of ids) expect((await act(worker12, `/api/group-messages/${id}/dismiss`, {})).statusCode).toBe(200);
    const v3 = await retrain();
    expect(v3).toMatchObject({ version: 3, status: 'rejected', figures: { decision: 'rejected' } });
    expect(v3.figures.candidate.f1).toBeLessThan(v3.figures.current?.f1 ?? 0);
    expect((await models()).map((m) => [m.version, m.status])).toEqual([[3, 'rejected'], [2, 'current'], [1, 'retired']]);
  });

  it('promotes and rolls back versions for administrators, and refuses what does not fit', async () => {
    const [v3, v2, v1] = await models();
    if (!v1 || !v2 || !v3) throw new Error('three versions expected');
    expectError(await act(worker12, `/api/sensing/models/${v3.id}/promote`, { reason: '试试' }), 403, 'FORBIDDEN');
    expectError(await act(o.admin, `/api/sensing/models/${v3.id}/promote`, {}), 400, 'VALIDATION_FAILED');
    expectError(await act(o.admin, `/api/sensing/models/${v2.id}/promote`, { reason: '已经是了' }), 409, 'INVALID_TRANSITION');
    expectError(await act(o.admin, '/api/sensing/models/2147483647/promote', { reason: '没有' }), 404, 'NOT_FOUND');

    const promoted = await act(o.admin, `/api/sensing/models/${v3.id}/promote`, { reason: '人工确认第三版' });
    expect(promoted.json()).toMatchObject({ version: 3, status: 'current', promotedAt: expect.any(String) });
    expect((await models()).map((m) => m.status)).toEqual(['current', 'retired', 'retired']);

    expectError(await act(worker12, '/api/sensing/models/rollback', { reason: '回退' }), 403, 'FORBIDDEN');
    expect((await act(o.admin, '/api/sensing/models/rollback', { reason: '第三版漏报多' })).json()).toMatchObject({ version: 2, status: 'current' });
    expect((await act(o.admin, '/api/sensing/models/rollback', { reason: '再退一版' })).json()).toMatchObject({ version: 1, status: 'current' });
    expect((await models()).map((m) => [m.version, m.status])).toEqual([[3, 'retired'], [2, 'retired'], [1, 'current']]);
    expectError(await act(o.admin, '/api/sensing/models/rollback', { reason: '没有更早的了' }), 409, 'INVALID_TRANSITION');
    const audit = await o.deps.db.selectFrom('audit_log').select('action').where('subject_type', '=', 'sensing_model').orderBy('id').execute();
    expect(audit[0]?.action).toBe('sensing.model.base');
    expect(audit.slice(-4).map((a) => a.action)).toEqual(['sensing.model.reject', 'sensing.model.promote', 'sensing.model.rollback', 'sensing.model.rollback']);
  });

  it('never returns the artifact', async () => {
    for (const url of ['/api/sensing/models']) {
      const res = await o.app.inject({ method: 'GET', url, headers: o.admin });
      expect(res.body).not.toMatch(/artifact|DGSM1/);
    }
    const openapi = await o.app.inject({ method: 'GET', url: '/openapi.json' });
    const item = openapi.json().paths['/api/sensing/models'].get.responses['200'].content['application/json'].schema.properties.items.items;
    expect(Object.keys(item.properties)).not.toContain('artifact');
    expect(item.additionalProperties).toBe(false);
  });
});
