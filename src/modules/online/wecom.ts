import { timingSafeEqual } from 'node:crypto';
import { decrypt, getSignature } from '@wecom/crypto';
import { REPLAY_WINDOW_SECONDS } from '../../core/webhook.ts';

/** A WeCom self-built app's callback settings (应用 → 接收消息 → API 接收). */
export interface WecomKeys { token: string; aesKey: string; corpId: string }

export type WecomFailure = 'missing' | 'stale' | 'bad_signature' | 'bad_cipher' | 'wrong_receiver';

export interface WecomQuery { msg_signature?: string; timestamp?: string; nonce?: string; echostr?: string }

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Verifies msg_signature over (token, timestamp, nonce, cipher) and decrypts the cipher; the receive id
 * inside must be our CorpID. `nowMs` null skips the timestamp window (only for WeCom's published samples).
 */
export function openWecom(keys: WecomKeys, q: WecomQuery, cipher: string | undefined, nowMs: number | null): { ok: true; plain: string } | { ok: false; why: WecomFailure } {
  if (!q.msg_signature || !q.timestamp || !q.nonce || !cipher) return { ok: false, why: 'missing' };
  if (nowMs !== null && (!/^\d{1,12}$/.test(q.timestamp) || Math.abs(Number(q.timestamp) - Math.floor(nowMs / 1000)) > REPLAY_WINDOW_SECONDS)) {
    return { ok: false, why: 'stale' };
  }
  if (!sameText(getSignature(keys.token, q.timestamp, q.nonce, cipher), q.msg_signature)) return { ok: false, why: 'bad_signature' };
  let opened: { message: string; id: string };
  try {
    opened = decrypt(keys.aesKey, cipher);
  } catch {
    return { ok: false, why: 'bad_cipher' };
  }
  if (opened.id !== keys.corpId) return { ok: false, why: 'wrong_receiver' };
  return { ok: true, plain: opened.message };
}

/**
 * The elements of WeCom's flat callback XML (<xml><Tag><![CDATA[v]]></Tag>…</xml>). WeCom sends one
 * level of elements only; anything else is refused as malformed rather than guessed at.
 */
export function parseFlatXml(xml: string): Record<string, string> | null {
  const body = /^\s*(?:<\?xml[^>]*\?>\s*)?<xml>([\s\S]*)<\/xml>\s*$/.exec(xml)?.[1];
  if (body === undefined) return null;
  const out: Record<string, string> = {};
  const element = /\s*<([A-Za-z][\w]*)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>\s*/y;
  let at = 0;
  while (at < body.length) {
    element.lastIndex = at;
    const m = element.exec(body);
    if (!m || m[1] === undefined) return body.slice(at).trim() === '' ? out : null;
    out[m[1]] = m[2] ?? decodeEntities(m[3] ?? '');
    at = element.lastIndex;
  }
  return out;
}

function decodeEntities(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e] ?? '');
}

/** A text message of the callback, in our terms; null for events and other message types (acknowledged, not stored). */
export function wecomMessage(fields: Record<string, string>): { externalGroupId: string; externalMsgId: string; senderId: string; text: string; sentAt: Date; attachments: { kind: string; url?: string }[] } | null {
  const type = fields.MsgType;
  const id = fields.MsgId;
  const from = fields.FromUserName;
  if (!id || !from || !type) return null;
  const created = Number(fields.CreateTime);
  const sentAt = Number.isFinite(created) && created > 0 ? new Date(created * 1000) : new Date();
  // Group chats carry ChatId; a one-to-one message to the app has none and is held under its sender.
  const externalGroupId = fields.ChatId ?? `user:${from}`;
  if (type === 'text') return { externalGroupId, externalMsgId: id, senderId: from, text: fields.Content ?? '', sentAt, attachments: [] };
  if (type === 'image') return { externalGroupId, externalMsgId: id, senderId: from, text: '[图片]', sentAt, attachments: [{ kind: 'image', ...(fields.PicUrl ? { url: fields.PicUrl } : {}) }] };
  return null;
}
