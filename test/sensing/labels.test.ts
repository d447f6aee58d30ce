import { describe, expect, it } from 'vitest';
import { beijingDay } from '../../src/core/beijing.ts';
import { nextRetrainAt } from '../../src/modules/sensing/labels.repository.ts';
import { expectError } from '../helpers/app.ts';
import { postWebhook, useOnlineTown, webhookMessage } from '../online/fixture.ts';

type Headers = Record<string, string>;

describe('labels from operator decisions on group messages', () => {
  const o = useOnlineTown();
  const [worker11, worker12, centre, resident] = o.sessions('t_worker11', 't_worker12', 't_centre', 't_resident');

  const post = (text: string) => postWebhook(o, webhookMessage({ groupId: 'chat-g12', text })).then((r) => r.json().id as number);
  const act = (headers: Headers, id: number, what: string, payload: Record<string, unknown> = {}) =>
    o.app.inject({ method: 'POST', url: `/api/group-messages/${id}/${what}`, headers, payload });
  const labelOf = (id: number) => o.deps.db.selectFrom('sensing_labels').selectAll().where('message_id', '=', id).execute();

  it('records a label for turning a message into a matter, with the matter\'s category, and corrects it at triage', async () => {
    const id = await post('小区秋千的链子松了晃得厉害，娃儿耍的时候怕出事');
    const made = await act(worker12, id, 'to-matter', { categoryCode: '01004' });
    expect(made.statusCode).toBe(201);
    expect(await labelOf(id)).toMatchObject([{ actionable: true, category_code: '01004', urgent_kind: null, source: 'to_matter', decided_by: o.town.users.worker12 }]);

    // The centre files it under another category at triage (研判): the label follows, still one row for the message.
    const reg = await o.app.inject({ method: 'POST', url: `/api/matters/${made.json().matterId}/register`, headers: centre, payload: { categoryCode: 'S08001' } });
    expect(reg.statusCode).toBe(200);
    expect(await labelOf(id)).toMatchObject([{ actionable: true, category_code: 'S08001', source: 'category_corrected', decided_by: o.town.users.centre }]);
  });

  it('records handled in the group with the sensed category, and schedules one retrain for the next 03:00 Beijing time', async () => {
    const id = await post('3号楼的路灯不亮了，麻烦处理一下');
    const sensed = await o.deps.db.selectFrom('group_messages').select(['category_code', 'urgent_kind']).where('id', '=', id).executeTakeFirstOrThrow();
    expect((await act(worker12, id, 'handled-in-group', { note: '已告知物业' })).statusCode).toBe(200);
    expect(await labelOf(id)).toMatchObject([{ actionable: true, category_code: sensed.category_code, urgent_kind: sensed.urgent_kind, source: 'handled_in_group' }]);
    const jobs = await o.deps.db.selectFrom('jobs').select(['dedupe_key', 'run_at', 'status']).where('kind', '=', 'sensing.retrain').execute();
    const runAt = nextRetrainAt(new Date());
    expect(jobs).toEqual([{ dedupe_key: `sensing.retrain:${beijingDay(runAt)}`, run_at: runAt, status: 'pending' }]);
    expect(beijingDay(new Date(runAt.getTime() - 3 * 3600_000))).toBe(beijingDay(runAt));
  });

  it('dismisses a new message as chatter, once, for the grid\'s staff only', async () => {
    const id = await post('谁家的钥匙掉在5栋门口了，快来认领');
    expectError(await act(worker11, id, 'dismiss'), 404, 'NOT_FOUND');
    expectError(await act(resident, id, 'dismiss'), 404, 'NOT_FOUND');
    expectError(await act({}, id, 'dismiss'), 401, 'UNAUTHENTICATED');
    expectError(await act(worker12, 2147483647, 'dismiss'), 404, 'NOT_FOUND');
    expectError(await act(worker12, id, 'dismiss', { reason: '' }), 400, 'VALIDATION_FAILED');
    const res = await act(worker12, id, 'dismiss', { reason: '失物招领，不是诉求' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ state: 'dismissed', handledBy: o.town.users.worker12, handledNote: '失物招领，不是诉求' });
    expect(await labelOf(id)).toMatchObject([{ actionable: false, category_code: null, urgent_kind: null, source: 'dismissed' }]);
    expectError(await act(worker12, id, 'dismiss'), 409, 'INVALID_TRANSITION');
    const audit = await o.deps.db.selectFrom('audit_log').select('action').where('subject_type', '=', 'group_message').where('subject_id', '=', String(id)).execute();
    expect(audit.map((a) => a.action)).toEqual(['message.dismissed']);
    // Dismissed without a reason too.
    const other = await post('楼下有人在卖新鲜草莓，要的私聊');
    expect((await act(worker12, other, 'dismiss')).json()).toMatchObject({ state: 'dismissed', handledNote: null });
  });

  it('raises an urgency with an alert on a new message, clears it, and refuses a kind not in the nine', async () => {
    const id = await post('楼道里好大一股味道，不晓得是啥子');
    const before = await o.deps.db.selectFrom('notices').select('user_id').where('kind', '=', 'group_message.urgent').execute();
    expectError(await act(worker12, id, 'urgency', { urgentKind: 'injury' }), 400, 'VALIDATION_FAILED');
    expectError(await act(worker12, id, 'urgency', {}), 400, 'VALIDATION_FAILED');
    expectError(await act(worker11, id, 'urgency', { urgentKind: 'gas' }), 404, 'NOT_FOUND');
    const raised = await act(worker12, id, 'urgency', { urgentKind: 'gas' });
    expect(raised.statusCode).toBe(200);
    expect(raised.json()).toMatchObject({ urgent: true, urgentKind: 'gas', actionable: true, state: 'new' });
    const alerts = (await o.deps.db.selectFrom('notices').select(['user_id', 'body']).where('kind', '=', 'group_message.urgent').orderBy('id').execute()).slice(before.length);
    expect(alerts.map((n) => n.user_id).sort()).toEqual([o.town.users.worker12, o.town.users.centre].sort());
    expect(alerts[0]?.body).toContain('燃气');
    const sensedCategory = (await o.deps.db.selectFrom('group_messages').select('category_code').where('id', '=', id).executeTakeFirstOrThrow()).category_code;
    expect(await labelOf(id)).toMatchObject([{ actionable: true, urgent_kind: 'gas', category_code: sensedCategory, source: 'urgent_raised' }]);

    // Cleared after it was handled (any state): the label keeps what the last decision said of actionability.
    expect((await act(worker12, id, 'handled-in-group', { note: '燃气公司来看过了，是下水道的味道' })).statusCode).toBe(200);
    const cleared = await act(worker12, id, 'urgency', { urgentKind: null });
    expect(cleared.json()).toMatchObject({ urgent: false, urgentKind: null, state: 'handled_in_group' });
    expect(await labelOf(id)).toMatchObject([{ actionable: true, urgent_kind: null, source: 'urgent_cleared' }]);
    // Raising it again on a settled message alerts nobody.
    const count = (await o.deps.db.selectFrom('notices').select('id').where('kind', '=', 'group_message.urgent').execute()).length;
    expect((await act(worker12, id, 'urgency', { urgentKind: 'fire' })).statusCode).toBe(200);
    expect((await o.deps.db.selectFrom('notices').select('id').where('kind', '=', 'group_message.urgent').execute()).length).toBe(count);
  });

  it('lists the labels for administrators, paged and by source', async () => {
    const all = await o.app.inject({ method: 'GET', url: '/api/sensing/labels?limit=2', headers: o.admin });
    expect(all.statusCode).toBe(200);
    expect(all.json().items).toHaveLength(2);
    expect(all.json().nextCursor).toEqual(expect.any(String));
    const next = await o.app.inject({ method: 'GET', url: `/api/sensing/labels?limit=2&cursor=${all.json().nextCursor}`, headers: o.admin });
    expect(next.json().items[0].id).toBeLessThan(all.json().items[1].id);
    const dismissed = await o.app.inject({ method: 'GET', url: '/api/sensing/labels?source=dismissed', headers: o.admin });
    expect(dismissed.json().items).toHaveLength(2);
    expect(dismissed.json().items.every((l: { source: string }) => l.source === 'dismissed')).toBe(true);
    expectError(await o.app.inject({ method: 'GET', url: '/api/sensing/labels', headers: centre }), 403, 'FORBIDDEN');
    expectError(await o.app.inject({ method: 'GET', url: '/api/sensing/labels?source=bogus', headers: o.admin }), 400, 'VALIDATION_FAILED');
  });
});
