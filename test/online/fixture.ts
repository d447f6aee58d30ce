import { randomUUID } from 'node:crypto';
import { encrypt, getSignature } from '@wecom/crypto';
import { sql } from 'kysely';
import { beforeAll } from 'vitest';
import { signWebhook } from '../../src/core/webhook.ts';
import type { SeededTown } from '../helpers/factory.ts';
import { type TestTown, useTestTown } from '../helpers/town.ts';

/** WeCom's published sample settings (加解密方案说明), reused for our own fixtures. */
export const WECOM = { token: 'QDG6eK', aesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', corpId: 'wx5823bf96d3bd56c7' };
export const SECRET = 'webhook-secret-for-tests-0123456789';

/** The test town with its intake sources: the administrator's session, the two sources and the online groups. */
export type OnlineTown = TestTown<SeededTown> & {
  admin: Record<string, string>;
  webhookId: number;
  wecomId: number;
  /** Online groups: g11 has the seed's wecom group; g12 and g21 get webhook groups. */
  groups: { g11: number; g12: number; g21: number };
};

/** useTestTown plus a webhook and a WeCom intake source and an online group on every grid, set up before the file's own beforeAll. */
export function useOnlineTown(): OnlineTown {
  const t = useTestTown();
  const [admin] = t.sessions('t_admin');
  const o: OnlineTown = Object.assign(t, { admin, webhookId: 0, wecomId: 0, groups: { g11: 0, g12: 0, g21: 0 } });
  beforeAll(async () => {
    const webhook = await o.app.inject({ method: 'POST', url: '/api/intake/sources', headers: admin, payload: { kind: 'webhook', name: '群消息网关', secret: SECRET } });
    const wecom = await o.app.inject({ method: 'POST', url: '/api/intake/sources', headers: admin, payload: { kind: 'wecom', name: '企业微信应用', ...WECOM } });
    if (webhook.statusCode !== 201 || wecom.statusCode !== 201) throw new Error(`sources: ${webhook.body} ${wecom.body}`);
    o.webhookId = webhook.json().id;
    o.wecomId = wecom.json().id;
    const g11 = await o.deps.db.selectFrom('online_groups').select('id').where('external_id', '=', 'wrG11').executeTakeFirstOrThrow();
    const add = (gridId: number, externalId: string, name: string) =>
      o.deps.db.insertInto('online_groups').values({ grid_id: gridId, platform: 'webhook', external_id: externalId, name }).returning('id').executeTakeFirstOrThrow();
    const g12 = await add(o.town.g12.id, 'chat-g12', '花园2网格群');
    const g21 = await add(o.town.g21.id, 'chat-g21', '建新1网格群');
    Object.assign(o.groups, { g11: g11.id, g12: g12.id, g21: g21.id });
  });
  return o;
}

export const nowSeconds = () => String(Math.floor(Date.now() / 1000));

export function webhookMessage(over: Partial<{ id: string; groupId: string; senderId: string; senderName: string; text: string; sentAt: string }> = {}) {
  return { id: randomUUID(), groupId: 'chat-g12', senderId: 'u-li', senderName: '李阿姨', text: '3号楼的路灯不亮了，麻烦处理一下', ...over };
}

/** A webhook request signed the documented way; pass `sign` to forge or `timestamp` to go stale. */
export function postWebhook(o: OnlineTown, body: unknown, opts: { timestamp?: string; secret?: string; raw?: string; signature?: string } = {}) {
  const raw = opts.raw ?? JSON.stringify(body);
  const timestamp = opts.timestamp ?? nowSeconds();
  const signature = opts.signature ?? signWebhook(opts.secret ?? SECRET, timestamp, raw);
  return o.app.inject({
    method: 'POST', url: `/api/intake/webhook/${o.webhookId}`, payload: raw,
    headers: { 'content-type': 'application/json', 'x-dualgrid-timestamp': timestamp, 'x-dualgrid-signature': signature },
  });
}

/** A WeCom callback as WeCom would send it: the message XML encrypted with the app's key and signed. */
export function wecomCallback(o: OnlineTown, inner: string, opts: { timestamp?: string; corpId?: string; token?: string } = {}) {
  const cipher = encrypt(WECOM.aesKey, inner, opts.corpId ?? WECOM.corpId);
  const timestamp = opts.timestamp ?? nowSeconds();
  const nonce = String(Math.floor(Math.random() * 1e9));
  const signature = getSignature(opts.token ?? WECOM.token, timestamp, nonce, cipher);
  return {
    cipher, timestamp, nonce, signature,
    send: () => o.app.inject({
      method: 'POST', url: `/api/intake/wecom/${o.wecomId}?msg_signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`,
      headers: { 'content-type': 'text/xml' }, payload: `<xml><ToUserName><![CDATA[${WECOM.corpId}]]></ToUserName><Encrypt><![CDATA[${cipher}]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>`,
    }),
  };
}

export function wecomText(o: { msgId: string; chatId?: string; from?: string; content: string; createTime?: number }) {
  return `<xml><ToUserName><![CDATA[${WECOM.corpId}]]></ToUserName><FromUserName><![CDATA[${o.from ?? 'zhangsan'}]]></FromUserName>`
    + `<CreateTime>${o.createTime ?? Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${o.content}]]></Content>`
    + `<MsgId>${o.msgId}</MsgId>${o.chatId ? `<ChatId><![CDATA[${o.chatId}]]></ChatId>` : ''}<AgentID>1000002</AgentID></xml>`;
}

export async function messageCount(o: OnlineTown): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from group_messages`.execute(o.deps.db);
  return rows[0]?.n ?? 0;
}
