import { describe, expect, it } from 'vitest';
import { expectError } from '../helpers/app.ts';
import { postWebhook, SECRET, useOnlineTown, WECOM, webhookMessage } from './fixture.ts';

describe('intake sources and sensing phrases (administrators)', () => {
  const o = useOnlineTown();

  it('lists sources with their secrets masked and refuses others', async () => {
    const res = await o.app.inject({ method: 'GET', url: '/api/intake/sources', headers: o.admin });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(SECRET);
    expect(res.body).not.toContain(WECOM.aesKey);
    const webhook = res.json().items.find((s: { kind: string }) => s.kind === 'webhook');
    expect(webhook).toMatchObject({ secret: expect.stringMatching(/^webh\*+$/), callbackPath: `/api/intake/webhook/${o.webhookId}` });
    const worker = await o.login('t_worker11');
    expectError(await o.app.inject({ method: 'GET', url: '/api/intake/sources', headers: worker }), 403, 'FORBIDDEN');
    expectError(await o.app.inject({ method: 'POST', url: '/api/intake/sources', headers: o.admin, payload: { kind: 'wecom', name: 'x', token: 'abc' } }), 400, 'VALIDATION_FAILED');
    expectError(await o.app.inject({ method: 'POST', url: '/api/intake/sources', headers: o.admin, payload: { kind: 'webhook', name: 'x', secret: 'short' } }), 400, 'VALIDATION_FAILED');
  });

  it('senses new messages with an added phrase at once, and stops when it is removed', async () => {
    const text = '楼下有人在搞杀猪盘，大家小心';
    const before = await postWebhook(o, webhookMessage({ text }));
    expect(await urgencyOf(before.json().id)).toBe('normal');
    const added = await o.app.inject({ method: 'POST', url: '/api/sensing/phrases', headers: o.admin, payload: { kind: 'urgent', urgentKind: 'fraud', phrase: '杀猪盘' } });
    expect(added.statusCode).toBe(201);
    expectError(await o.app.inject({ method: 'POST', url: '/api/sensing/phrases', headers: o.admin, payload: { kind: 'urgent', urgentKind: 'fraud', phrase: '杀猪盘' } }), 409, 'CONFLICT');
    expectError(await o.app.inject({ method: 'POST', url: '/api/sensing/phrases', headers: o.admin, payload: { kind: 'category', categoryCode: 'NOPE', phrase: '某事' } }), 400, 'VALIDATION_FAILED');
    const during = await postWebhook(o, webhookMessage({ text }));
    expect(await urgencyOf(during.json().id)).toBe('urgent');
    const list = await o.app.inject({ method: 'GET', url: '/api/sensing/phrases', headers: o.admin });
    expect(list.json().items).toMatchObject([{ kind: 'urgent', urgentKind: 'fraud', phrase: '杀猪盘', weight: 1 }]);
    expect((await o.app.inject({ method: 'DELETE', url: `/api/sensing/phrases/${added.json().id}`, headers: o.admin })).statusCode).toBe(204);
    const after = await postWebhook(o, webhookMessage({ text }));
    expect(await urgencyOf(after.json().id)).toBe('normal');
    const worker = await o.login('t_worker11');
    expectError(await o.app.inject({ method: 'POST', url: '/api/sensing/phrases', headers: worker, payload: { kind: 'chatter', phrase: '哈哈' } }), 403, 'FORBIDDEN');
  });

  async function urgencyOf(id: number) {
    return (await o.deps.db.selectFrom('group_messages').select('urgency').where('id', '=', id).executeTakeFirstOrThrow()).urgency;
  }
});
