import { describe, expect, it } from 'vitest';
import { checkWebhook, signWebhook } from '../../src/core/webhook.ts';
import { expectError } from '../helpers/app.ts';
import { messageCount, postWebhook, SECRET, useOnlineTown, webhookMessage } from './fixture.ts';

describe('webhook intake', () => {
  const o = useOnlineTown();

  it('checks the signature recipe itself', () => {
    const now = 1_800_000_000_000;
    const ts = String(now / 1000);
    const sig = signWebhook(SECRET, ts, '{"a":1}');
    expect(checkWebhook(SECRET, ts, sig, '{"a":1}', now)).toBe('ok');
    expect(checkWebhook(SECRET, ts, sig, '{"a":2}', now)).toBe('bad');
    expect(checkWebhook(SECRET, ts, sig.toUpperCase(), '{"a":1}', now)).toBe('ok');
    expect(checkWebhook(SECRET, String(now / 1000 - 301), signWebhook(SECRET, String(now / 1000 - 301), 'x'), 'x', now)).toBe('stale');
    expect(checkWebhook(SECRET, String(now / 1000 + 299), signWebhook(SECRET, String(now / 1000 + 299), 'x'), 'x', now)).toBe('ok');
    expect(checkWebhook(SECRET, undefined, sig, '{"a":1}', now)).toBe('missing');
  });

  it('stores a signed message once, sensed and in its group; a replay answers with the same id', async () => {
    const before = await messageCount(o);
    const msg = webhookMessage();
    const first = await postWebhook(o, msg);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ duplicate: false, state: 'new' });
    const again = await postWebhook(o, msg);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ id: first.json().id, duplicate: true, state: 'new' });
    expect(await messageCount(o)).toBe(before + 1);
    const row = await o.deps.db.selectFrom('group_messages').selectAll().where('id', '=', first.json().id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ group_id: o.groups.g12, grid_id: o.town.g12.id, via: 'webhook', sender_name: '李阿姨', actionable: true, category_code: '01002', state: 'new' });
    expect(row.hints).toEqual({ buildings: ['3'] });
    expect(row.dedupe_key).toBe(`webhook:${o.webhookId}:${msg.id}`);
  });

  it('refuses forged, stale and malformed requests and stores nothing from them', async () => {
    const before = await messageCount(o);
    const msg = webhookMessage();
    expectError(await postWebhook(o, msg, { secret: 'someone-elses-secret-0123456789' }), 401, 'BAD_SIGNATURE');
    expectError(await postWebhook(o, msg, { signature: 'zz' }), 401, 'BAD_SIGNATURE');
    // The body changed after signing: the signature covers the raw bytes.
    const raw = JSON.stringify(msg);
    const signedOther = await postWebhook(o, msg, { raw: `${raw} ` , signature: signWebhook(SECRET, String(Math.floor(Date.now() / 1000)), raw) });
    expectError(signedOther, 401, 'BAD_SIGNATURE');
    expectError(await postWebhook(o, msg, { timestamp: String(Math.floor(Date.now() / 1000) - 301) }), 401, 'STALE_TIMESTAMP');
    expectError(await postWebhook(o, msg, { timestamp: String(Math.floor(Date.now() / 1000) + 400) }), 401, 'STALE_TIMESTAMP');
    const unsigned = await o.app.inject({ method: 'POST', url: `/api/intake/webhook/${o.webhookId}`, payload: msg });
    expectError(unsigned, 401, 'BAD_SIGNATURE');
    const unknownSource = await o.app.inject({ method: 'POST', url: '/api/intake/webhook/9999', payload: msg });
    expectError(unknownSource, 401, 'BAD_SIGNATURE');
    expectError(await postWebhook(o, null, { raw: '{"id": "x", ' }), 400, 'MALFORMED_MESSAGE');
    expectError(await postWebhook(o, { ...msg, text: 42 }), 400, 'MALFORMED_MESSAGE');
    expectError(await postWebhook(o, { messages: [] }), 400, 'MALFORMED_MESSAGE');
    expectError(await postWebhook(o, { messages: Array.from({ length: 501 }, () => webhookMessage()) }), 400, 'MALFORMED_MESSAGE');
    // One bad message spoils the batch: nothing of it is stored.
    expectError(await postWebhook(o, { messages: [webhookMessage(), { ...webhookMessage(), senderName: '' }] }), 400, 'MALFORMED_MESSAGE');
    expect(await messageCount(o)).toBe(before);
  });

  it('takes a batch, skipping the messages it already has', async () => {
    const known = webhookMessage();
    expect((await postWebhook(o, known)).statusCode).toBe(201);
    const before = await messageCount(o);
    const batch = [known, webhookMessage({ text: '大家早上好' }), webhookMessage({ groupId: 'chat-g21', text: '花园路下水道堵了，污水冒出来了' })];
    const res = await postWebhook(o, { messages: batch });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ accepted: 2, duplicates: 1 });
    expect(res.json().items.map((i: { messageId: string }) => i.messageId)).toEqual(batch.map((m) => m.id));
    expect(await messageCount(o)).toBe(before + 2);
    const again = await postWebhook(o, { messages: batch });
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: 3 });
    expect(again.json().items.map((i: { id: number }) => i.id)).toEqual(res.json().items.map((i: { id: number }) => i.id));
    expect(await messageCount(o)).toBe(before + 2);
  });

  it('holds messages of unknown groups for an administrator and releases them on bind', async () => {
    const held1 = await postWebhook(o, webhookMessage({ groupId: 'chat-new', senderId: 'u-wang', senderName: '王师傅', text: '1栋楼道里着火了，快来人！' }));
    const held2 = await postWebhook(o, webhookMessage({ groupId: 'chat-new', text: '大家早上好' }));
    expect(held1.statusCode).toBe(201);
    expect(held1.json().state).toBe('held');
    const worker = await (await import('../helpers/app.ts')).login(o.app, 't_worker11', 'test-password-1');
    expectError(await o.app.inject({ method: 'GET', url: '/api/held-messages', headers: worker }), 403, 'FORBIDDEN');
    const list = await o.app.inject({ method: 'GET', url: '/api/held-messages', headers: o.admin });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((m: { id: number }) => m.id).sort()).toEqual([held1.json().id, held2.json().id].sort());
    expect(list.json().items[0]).toMatchObject({ state: 'held', groupId: null, gridId: null, externalGroupId: 'chat-new' });
    // Nobody is alerted about a message whose grid nobody knows yet.
    const alertsBefore = await o.deps.db.selectFrom('notices').select('id').where('kind', '=', 'group_message.urgent').execute();

    // Bind the chat to a new online group of grid 花园1网格: the urgent one now alerts that grid's worker.
    const group = await o.app.inject({ method: 'POST', url: '/api/online-groups', headers: o.admin, payload: { gridId: o.town.g11.id, platform: 'webhook', externalId: 'placeholder-g11b', name: '花园1网格二群' } });
    expect(group.statusCode).toBe(201);
    const bad = await o.app.inject({ method: 'POST', url: '/api/held-messages/bind', headers: o.admin, payload: { externalGroupId: 'chat-g12', groupId: group.json().id } });
    expectError(bad, 409, 'CONFLICT');
    const bind = await o.app.inject({ method: 'POST', url: '/api/held-messages/bind', headers: o.admin, payload: { externalGroupId: 'chat-new', groupId: group.json().id } });
    expect(bind.statusCode).toBe(200);
    expect(bind.json()).toMatchObject({ released: 2 });
    const released = await o.app.inject({ method: 'GET', url: `/api/group-messages/${held1.json().id}`, headers: worker });
    expect(released.json()).toMatchObject({ state: 'new', groupId: group.json().id, gridId: o.town.g11.id, urgent: true, urgentKind: 'fire' });
    const alerts = await o.deps.db.selectFrom('notices').select(['user_id']).where('kind', '=', 'group_message.urgent').execute();
    expect(alerts.length - alertsBefore.length).toBe(2);
    expect(alerts.slice(alertsBefore.length).map((a) => a.user_id).sort()).toEqual([o.town.users.worker11, o.town.users.centre].sort());
    expect((await o.app.inject({ method: 'GET', url: '/api/held-messages', headers: o.admin })).json().items).toEqual([]);
    // Later messages of the chat go straight to the group.
    const later = await postWebhook(o, webhookMessage({ groupId: 'chat-new' }));
    expect(later.json().state).toBe('new');
  });
});
