import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { expectError } from '../helpers/app.ts';
import { postWebhook, useOnlineTown, webhookMessage } from './fixture.ts';

type Headers = Record<string, string>;

/** Reads server-sent events over a real socket until `until` holds or the bounded wait ends. */
async function readEvents(url: string, headers: Headers, act: () => Promise<void>, until: (events: string[]) => boolean): Promise<string[]> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { ...headers, accept: 'text/event-stream' }, signal: controller.signal });
  if (!res.body) throw new Error('no stream');
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const events: string[] = [];
  const deadline = Date.now() + 5000;
  let acted = false;
  try {
    while (Date.now() < deadline) {
      const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), 200))]);
      if (chunk && !chunk.done) text += decoder.decode(chunk.value, { stream: true });
      for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n')) {
        events.push(text.slice(0, end));
        text = text.slice(end + 2);
      }
      if (!acted && events.some((e) => e.startsWith('retry:'))) {
        acted = true;
        await act();
      }
      if (acted && until(events)) break;
    }
  } finally {
    controller.abort();
  }
  return events;
}

describe('forwarded messages, outcomes, scope, alerts and figures', () => {
  const o = useOnlineTown();
  const [worker11, worker12, staff1, staff2, centre] = o.sessions('t_worker11', 't_worker12', 't_staff1', 't_staff2', 't_centre');

  const forward = (headers: Headers, groupId: number, payload: Record<string, unknown>) =>
    o.app.inject({ method: 'POST', url: `/api/online-groups/${groupId}/messages`, headers, payload });

  it('lets a grid worker forward into their grid\'s group, once per clientId; another grid\'s worker is refused', async () => {
    const clientId = randomUUID();
    const first = await forward(worker11, o.groups.g11, { text: '3号楼的路灯不亮了，麻烦处理一下', senderName: '赵大爷', clientId });
    expect(first.statusCode).toBe(201);
    const again = await forward(worker11, o.groups.g11, { text: '3号楼的路灯不亮了，麻烦处理一下', senderName: '赵大爷', clientId });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const row = await o.deps.db.selectFrom('group_messages').selectAll().where('id', '=', first.json().id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ via: 'forward', forwarded_by: o.town.users.worker11, sender_name: '赵大爷', group_id: o.groups.g11, state: 'new', actionable: true });
    expectError(await forward(worker12, o.groups.g11, { text: '路灯不亮', clientId: randomUUID() }), 403, 'FORBIDDEN');
    expectError(await forward(worker11, o.groups.g11, { text: '', clientId: randomUUID() }), 400, 'VALIDATION_FAILED');
    expectError(await forward(worker11, o.groups.g11, { text: '路灯不亮', clientId: 'not-a-uuid' }), 400, 'VALIDATION_FAILED');
    expectError(await forward(worker11, o.groups.g11, { text: '路灯不亮', clientId: randomUUID(), attachments: [{ fileHash: 'a'.repeat(64) }] }), 400, 'VALIDATION_FAILED');
    const count = await o.deps.db.selectFrom('group_messages').select((eb) => eb.fn.countAll<number>().as('n')).where('forwarded_by', 'is not', null).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('alerts the grid worker and the centre about an urgent message, with a live event', async () => {
    await o.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(o.app.server.address() as AddressInfo).port}`; // listening on TCP gives an AddressInfo
    const urgentBefore = (await o.deps.db.selectFrom('notices').select(['id']).where('kind', '=', 'group_message.urgent').execute()).length;
    let messageId = 0;
    const events = await readEvents(`${base}/api/live/messages`, centre, async () => {
      const res = await postWebhook(o, webhookMessage({ groupId: 'chat-g12', text: '2单元楼下着火了，快来人！' }));
      messageId = res.json().id;
    }, (ev) => ev.some((e) => e.includes('event: urgent')));
    const urgent = events.find((e) => e.includes('event: urgent'));
    expect(urgent).toBeDefined();
    expect(urgent).toContain(`"id":${messageId}`);
    const fresh = (await o.deps.db.selectFrom('notices').select(['user_id', 'kind', 'body']).where('kind', '=', 'group_message.urgent').orderBy('id').execute())
      .slice(urgentBefore);
    expect(fresh.map((n) => n.user_id).sort()).toEqual([o.town.users.worker12, o.town.users.centre].sort());
    const mine = await o.app.inject({ method: 'GET', url: '/api/notices', headers: worker12 });
    expect(mine.json().items[0]).toMatchObject({ kind: 'group_message.urgent' });
    expect(mine.json().items[0].body).toContain(`#${messageId}`);
    // The worker of another grid hears nothing of it.
    const other = await o.app.inject({ method: 'GET', url: '/api/notices', headers: worker11 });
    expect(other.json().items.some((n: { body: string }) => n.body.includes(`#${messageId}`))).toBe(false);
  });

  it('scopes the message list: a grid worker their grid, community staff their community', async () => {
    await postWebhook(o, webhookMessage({ groupId: 'chat-g21', text: '花园路下水道堵了，污水冒出来了' }));
    const gridsOf = async (h: Headers, q = '') => new Set((await o.app.inject({ method: 'GET', url: `/api/group-messages${q}`, headers: h })).json().items.map((m: { gridId: number }) => m.gridId));
    expect(await gridsOf(worker11)).toEqual(new Set([o.town.g11.id]));
    expect(await gridsOf(worker12)).toEqual(new Set([o.town.g12.id]));
    expect(await gridsOf(staff1)).toEqual(new Set([o.town.g11.id, o.town.g12.id]));
    expect(await gridsOf(staff2)).toEqual(new Set([o.town.g21.id]));
    expect(await gridsOf(centre)).toEqual(new Set([o.town.g11.id, o.town.g12.id, o.town.g21.id]));
    expect(await gridsOf(centre, `?gridId=${o.town.g21.id}`)).toEqual(new Set([o.town.g21.id]));
    const resident = await o.login('t_resident');
    expectError(await o.app.inject({ method: 'GET', url: '/api/group-messages', headers: resident }), 403, 'FORBIDDEN');
    expectError(await o.app.inject({ method: 'GET', url: '/api/group-messages' }), 401, 'UNAUTHENTICATED');
    // A message of another grid is not found for a worker, however its id is guessed.
    const g21 = (await o.app.inject({ method: 'GET', url: '/api/group-messages', headers: staff2 })).json().items[0];
    expectError(await o.app.inject({ method: 'GET', url: `/api/group-messages/${g21.id}`, headers: worker11 }), 404, 'NOT_FOUND');
    // Keyset pages: two at a time, no overlap, all of them.
    const all: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: number }[]; nextCursor: string | null } = (await o.app.inject({ method: 'GET', url: `/api/group-messages?limit=2${cursor ? `&cursor=${cursor}` : ''}`, headers: centre })).json();
      all.push(...page.items.map((m) => m.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe((await o.app.inject({ method: 'GET', url: '/api/group-messages?limit=200', headers: centre })).json().items.length);
  });

  it('turns a message into a matter reported by its sender, or marks it handled in the group, and counts both', async () => {
    // 王建国 (resident r11) is a linked member of the 花园1网格 group.
    const member = await o.app.inject({ method: 'POST', url: `/api/online-groups/${o.groups.g11}/members`, headers: worker11, payload: { externalUserId: 'wang', displayName: '王建国', residentId: o.town.residents.r11 } });
    expect(member.statusCode).toBe(201);
    const lamp = await postWebhookWecomless('wang', '1栋门口路灯不亮了，麻烦处理一下');
    const chat = await postWebhookWecomless('zhao', '小区门口的井盖坏了，谁管一下');
    const statsBefore = (await o.app.inject({ method: 'GET', url: `/api/stats/online?under=${o.town.town.id}`, headers: o.admin })).json();

    expectError(await o.app.inject({ method: 'POST', url: `/api/group-messages/${lamp}/to-matter`, headers: worker12, payload: {} }), 404, 'NOT_FOUND');
    const made = await o.app.inject({ method: 'POST', url: `/api/group-messages/${lamp}/to-matter`, headers: worker11, payload: {} });
    expect(made.statusCode).toBe(201);
    expect(made.json().message).toMatchObject({ state: 'to_matter', matterId: made.json().matterId });
    const matter = await o.deps.db.selectFrom('matters').selectAll().where('id', '=', made.json().matterId).executeTakeFirstOrThrow();
    expect(matter).toMatchObject({ source: 'group_message', channel: 'group', reporter_resident_id: o.town.residents.r11, building_id: o.town.building.id, grid_id: o.town.g11.id });
    expectError(await o.app.inject({ method: 'POST', url: `/api/group-messages/${lamp}/to-matter`, headers: worker11, payload: {} }), 409, 'INVALID_TRANSITION');

    expectError(await o.app.inject({ method: 'POST', url: `/api/group-messages/${chat}/handled-in-group`, headers: worker11, payload: { note: '' } }), 400, 'VALIDATION_FAILED');
    const handled = await o.app.inject({ method: 'POST', url: `/api/group-messages/${chat}/handled-in-group`, headers: worker11, payload: { note: '已在群里告知物业，当天修好' } });
    expect(handled.statusCode).toBe(200);
    expect(handled.json()).toMatchObject({ state: 'handled_in_group', handledBy: o.town.users.worker11, handledNote: '已在群里告知物业，当天修好' });
    expectError(await o.app.inject({ method: 'POST', url: `/api/group-messages/${chat}/to-matter`, headers: worker11, payload: {} }), 409, 'INVALID_TRANSITION');

    // The sender is not linked: the matter names them as the contact and sits on the grid.
    const loose = await postWebhookWecomless('qian', '路灯不亮，晚上黑漆漆的');
    const made2 = await o.app.inject({ method: 'POST', url: `/api/group-messages/${loose}/to-matter`, headers: staff1, payload: { categoryCode: '01002' } });
    expect(made2.statusCode).toBe(201);
    const m2 = await o.deps.db.selectFrom('matters').selectAll().where('id', '=', made2.json().matterId).executeTakeFirstOrThrow();
    expect(m2).toMatchObject({ contact_name: '钱', reporter_resident_id: null, area_node_id: o.town.g11.id, building_id: null });

    const after = (await o.app.inject({ method: 'GET', url: `/api/stats/online?under=${o.town.town.id}`, headers: o.admin })).json();
    expect(after.totals.messages - statsBefore.totals.messages).toBe(1);
    expect(after.totals.toMatter - statsBefore.totals.toMatter).toBe(2);
    expect(after.totals.handledInGroup - statsBefore.totals.handledInGroup).toBe(1);
    const g11 = after.grids.find((g: { gridId: number }) => g.gridId === o.town.g11.id);
    expect(g11).toMatchObject({ toMatter: 2, handledInGroup: 1 });
    const c1 = after.communities.find((c: { communityId: number }) => c.communityId === o.town.c1.id);
    expect(c1.messages).toBe(after.grids.filter((g: { gridId: number }) => [o.town.g11.id, o.town.g12.id].includes(g.gridId)).reduce((s: number, g: { messages: number }) => s + g.messages, 0));
    expect(after.totals.held).toBe(0);
    const forStaff2 = (await o.app.inject({ method: 'GET', url: `/api/stats/online?under=${o.town.c2.id}`, headers: staff2 })).json();
    expect(forStaff2.grids.map((g: { gridId: number }) => g.gridId)).toEqual([o.town.g21.id]);
    expect(forStaff2.totals.held).toBeNull();
    expectError(await o.app.inject({ method: 'GET', url: `/api/stats/online?under=${o.town.c1.id}`, headers: staff2 }), 403, 'FORBIDDEN');
  });

  /** A message in the 花园1网格 group through the webhook (the seed's group is bound to WeCom, the same external id). */
  async function postWebhookWecomless(senderId: string, text: string): Promise<number> {
    const names: Record<string, string> = { wang: '王建国', zhao: '赵', qian: '钱' };
    const res = await postWebhook(o, webhookMessage({ groupId: 'wrG11', senderId, senderName: names[senderId] ?? senderId, text }));
    if (res.statusCode !== 201 || res.json().state !== 'new') throw new Error(res.body);
    return res.json().id;
  }
});
