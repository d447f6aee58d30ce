import { URGENT_KIND_NAMES, type UrgentKind } from '../../core/vocabulary.ts';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import { findUnstorableText, unstorableMessage } from '../../core/input.ts';
import type { Sensed } from '../../core/sensing/types.ts';
import { checkWebhook } from '../../core/webhook.ts';
import type { DB } from '../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';
import { MicroBatcher } from './batcher.ts';
import { activeGroupsByExternal, currentMembers } from './groups.repository.ts';
import { insertNotices } from '../notices/notices.repository.ts';
import { urgentRecipients } from './intake.repository.ts';
import { listNodes } from './lookups.repository.ts';
import { insertMessages, messageStates, type NewMessage, notify } from './messages.repository.ts';
import { webhookBody, type wecomQuery } from './online.schema.ts';
import type { SensorCache } from '../sensing/sensor.cache.ts';
import type { SourceCache } from './source.cache.ts';
import { openWecom, parseFlatXml, type WecomFailure, wecomMessage } from './wecom.ts';

/** The NOTIFY channel for live message events (urgent and actionable messages, state changes). */
export const MESSAGES_CHANNEL = 'dualgrid_messages';

/** One message as an intake path hands it over, before sensing and storing. */
export interface Incoming {
  via: 'wecom' | 'webhook' | 'forward';
  sourceId: number | null;
  externalGroupId: string;
  externalMsgId: string;
  senderExternalId: string;
  senderName: string;
  sentAt: Date;
  text: string;
  attachments: { kind: string; url?: string; fileHash?: string; name?: string }[];
  forwardedBy?: number | null;
  /** Known already (a grid worker forwarding into a group): no lookup by external id. */
  group?: { id: number; gridId: number };
}

export interface Taken { id: number; duplicate: boolean; state: string }

/** What a webhook request took in: one message, or a batch with each message's id in the sender's system. */
export type WebhookTaken = { single: true; taken: Taken } | { single: false; taken: Taken[]; messageIds: string[] };

export const dedupeKey = (m: Pick<Incoming, 'via' | 'sourceId' | 'externalMsgId'>) => `${m.via}:${m.sourceId ?? 'fwd'}:${m.externalMsgId}`;

const malformed = (message: string, details?: unknown) => new AppError('MALFORMED_MESSAGE', message, details);

/**
 * Takes messages in: checks the signature of the intake path (webhook, WeCom), scores each message with the sensor,
 * then stores them through a group-commit batcher (one multi-row INSERT … ON CONFLICT (dedupe_key) DO NOTHING per
 * few milliseconds), resolving groups and members, holding messages of unknown groups, and alerting on urgent ones —
 * in the batch's transaction. Nothing is stored before the checks pass.
 */
export class IntakeService {
  private readonly batcher: MicroBatcher<NewMessage, Taken>;
  private readonly clock: () => number;

  constructor(
    private readonly deps: AppDeps, private readonly sensors: SensorCache, private readonly sources: SourceCache,
    options: { maxWaitMs?: number; maxRows?: number; clock?: () => number } = {},
  ) {
    this.batcher = new MicroBatcher((rows) => this.store(rows), { maxWaitMs: options.maxWaitMs ?? 3, maxRows: options.maxRows ?? 200 });
    this.clock = options.clock ?? Date.now;
  }

  /** Resolves once every message is committed (or was already there); results follow the input order. */
  async take(messages: Incoming[]): Promise<Taken[]> {
    // Refused before anything is stored: text no column can hold would fail the whole batch's transaction.
    const bad = findUnstorableText(messages.map((m) => ({ ...m, sentAt: null })));
    if (bad) {
      const [index, ...field] = bad.path;
      throw malformed(`Message ${Number(index) + 1}: ${field.join('.') || 'a field'} ${unstorableMessage[bad.problem]}.`, { index, field: field.join('.'), problem: bad.problem });
    }
    const sensor = await this.sensors.get();
    const rows = messages.map((m) => toRow(m, sensor.sense(m.text)));
    return this.batcher.add(rows);
  }

  drain(): Promise<void> {
    return this.batcher.drain();
  }

  /** A signed webhook request: the signature covers the raw body, checked before it is parsed. */
  async takeWebhook(sourceId: number, sig: { timestamp?: string; signature?: string }, raw: string): Promise<WebhookTaken> {
    const source = await this.sources.active(sourceId, 'webhook');
    const check = source?.secret ? checkWebhook(source.secret, sig.timestamp, sig.signature, raw, this.clock()) : 'bad';
    if (check === 'stale') throw new AppError('STALE_TIMESTAMP', 'The request timestamp is outside the ±300 s window; sign it again with the current time.');
    if (check !== 'ok') throw new AppError('BAD_SIGNATURE', 'Unknown source, or the signature does not match the body.');
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw malformed('The body is not JSON.');
    }
    const parsed = webhookBody.safeParse(json);
    if (!parsed.success) throw malformed('The body is not a message or a batch of messages.', z.flattenError(parsed.error));
    const list = 'messages' in parsed.data ? parsed.data.messages : [parsed.data];
    const taken = await this.take(list.map((m) => ({
      via: 'webhook' as const, sourceId: source?.id ?? null, externalGroupId: m.groupId, externalMsgId: m.id, senderExternalId: m.senderId, senderName: m.senderName,
      sentAt: m.sentAt ? new Date(m.sentAt) : new Date(this.clock()), text: m.text, attachments: m.attachments,
    })));
    if ('messages' in parsed.data) return { single: false, taken, messageIds: list.map((m) => m.id) };
    const [one] = taken;
    if (!one) throw new AppError('INTERNAL');
    return { single: true, taken: one };
  }

  /** WeCom's callback URL verification: the decrypted echostr, which WeCom expects back as plain text. */
  async wecomEcho(sourceId: number, q: z.infer<typeof wecomQuery>): Promise<string> {
    const keys = await this.wecomKeys(sourceId);
    return opened(openWecom(keys, q, q.echostr, this.clock()));
  }

  /** A WeCom callback: one encrypted message. Events and message types we do not keep are acknowledged, not stored. */
  async takeWecom(sourceId: number, q: z.infer<typeof wecomQuery>, body: string): Promise<void> {
    const keys = await this.wecomKeys(sourceId);
    const outer = parseFlatXml(body);
    if (!outer?.Encrypt) throw malformed('The body is not WeCom callback XML with an Encrypt element.');
    const inner = parseFlatXml(opened(openWecom(keys, q, outer.Encrypt, this.clock())));
    if (!inner) throw malformed('The decrypted message is not XML.');
    const m = wecomMessage(inner);
    if (!m) return;
    await this.take([{ via: 'wecom', sourceId: keys.sourceId, externalGroupId: m.externalGroupId, externalMsgId: m.externalMsgId, senderExternalId: m.senderId,
      senderName: inner.SenderName ?? m.senderId, sentAt: m.sentAt, text: m.text, attachments: m.attachments }]);
  }

  private async wecomKeys(sourceId: number) {
    const source = await this.sources.active(sourceId, 'wecom');
    if (!source?.token || !source.aes_key || !source.corp_id) throw new AppError('BAD_SIGNATURE', 'Unknown source, or the signature does not match.');
    return { sourceId: source.id, token: source.token, aesKey: source.aes_key, corpId: source.corp_id };
  }

  private async store(rows: NewMessage[]): Promise<Taken[]> {
    return this.deps.db.transaction().execute(async (trx) => {
      await resolveGroups(trx, rows);
      const results = await insertMessages(trx, rows);
      const fresh = rows.flatMap((row, i) => (results[i]?.inserted ? [{ row, id: results[i].id }] : []));
      await alertUrgent(trx, fresh.map((f) => ({ ...f.row, id: f.id })));
      await publishMessages(trx, fresh);
      const states = new Map((await messageStates(trx, results.filter((r) => !r.inserted).map((r) => r.id))).map((r) => [Number(r.id), r.state]));
      return results.map((r, i) => ({ id: r.id, duplicate: !r.inserted, state: r.inserted ? (rows[i]?.state ?? 'new') : (states.get(r.id) ?? 'new') }));
    });
  }
}

/** The plain text of an opened WeCom envelope, or the refusal in the API's terms. */
function opened(r: { ok: true; plain: string } | { ok: false; why: WecomFailure }): string {
  if (r.ok) return r.plain;
  if (r.why === 'stale') throw new AppError('STALE_TIMESTAMP', 'The timestamp is outside the ±300 s window.');
  throw new AppError('BAD_SIGNATURE', 'The signature or the cipher does not match this source.');
}

function toRow(m: Incoming, s: Sensed): NewMessage {
  return {
    source_id: m.sourceId, via: m.via, external_group_id: m.externalGroupId, external_msg_id: m.externalMsgId,
    group_id: m.group?.id ?? null, grid_id: m.group?.gridId ?? null, sender_external_id: m.senderExternalId, sender_name: m.senderName,
    member_id: null, sent_at: m.sentAt, text: m.text, attachments: JSON.stringify(m.attachments), forwarded_by: m.forwardedBy ?? null,
    actionable: s.actionable, score: s.score, category_code: s.categoryCode, urgency: s.urgency, urgent_kind: s.urgentKind,
    hints: JSON.stringify(s.hints), why: JSON.stringify(s.why), state: m.group ? 'new' : 'held', dedupe_key: dedupeKey(m),
  };
}

/** Sets group, grid and member on rows whose group is known by its external id; the rest stay held. */
async function resolveGroups(db: Kysely<DB>, rows: NewMessage[]): Promise<void> {
  const unknown = [...new Set(rows.filter((r) => r.group_id == null).map((r) => r.external_group_id))];
  if (unknown.length) {
    const groups = await activeGroupsByExternal(db, unknown);
    for (const r of rows) {
      if (r.group_id != null) continue;
      const matches = groups.filter((g) => g.external_id === r.external_group_id);
      // The same external id on two platforms: prefer the one the message came through, else hold it.
      const g = matches.length === 1 ? matches[0] : matches.find((x) => x.platform === r.via);
      if (g) Object.assign(r, { group_id: g.id, grid_id: g.grid_id, state: 'new' });
    }
  }
  await linkMembers(db, rows);
}

/** Sets member_id on rows whose sender is a current member of the row's group. */
export async function linkMembers(db: Kysely<DB>, rows: Pick<NewMessage, 'group_id' | 'sender_external_id' | 'member_id' | 'via' | 'sender_name'>[]): Promise<void> {
  const withGroup = rows.filter((r) => r.group_id != null);
  if (withGroup.length === 0) return;
  const groupIds = [...new Set(withGroup.map((r) => r.group_id as number))]; // filtered to non-null just above
  const members = await currentMembers(db, groupIds);
  for (const r of withGroup) {
    // Forwarded messages carry no chat id for the sender, only the name the worker typed.
    const m = r.via === 'forward'
      ? members.find((x) => x.group_id === r.group_id && x.display_name === r.sender_name)
      : members.find((x) => x.group_id === r.group_id && x.external_user_id === r.sender_external_id);
    if (m) r.member_id = m.id;
  }
}

type Stored = Pick<NewMessage, 'grid_id' | 'urgency' | 'urgent_kind' | 'text' | 'sender_name'> & { id: number };

/** Urgent messages alert the grid's workers and the centre operators above it at once (站内消息). */
export async function alertUrgent(db: Kysely<DB>, rows: Stored[]): Promise<void> {
  const urgent = rows.filter((r) => r.urgency === 'urgent' && r.grid_id != null);
  if (urgent.length === 0) return;
  const people = await urgentRecipients(db, [...new Set(urgent.map((r) => r.grid_id as number))]); // filtered to non-null just above
  const notices = urgent.flatMap((m) => people.filter((p) => p.grid_id === m.grid_id).map((p) => ({
    user_id: p.user_id, resident_id: null, matter_id: null, kind: 'group_message.urgent',
    body: `紧急群消息（${URGENT_KIND_NAMES[m.urgent_kind as UrgentKind] ?? '紧急'}）#${m.id} ${m.sender_name}：${m.text.slice(0, 80)}`,
  })));
  await insertNotices(db, notices);
}

/** Live events for screens: actionable and urgent messages, and every state change; delivered when the transaction commits. */
export async function publishMessages(db: Kysely<DB>, items: { row: Pick<NewMessage, 'grid_id' | 'group_id' | 'actionable' | 'urgency' | 'state' | 'category_code'>; id: number }[], action = 'received'): Promise<void> {
  const wanted = items.filter((i) => i.row.actionable || i.row.urgency === 'urgent' || action !== 'received');
  if (wanted.length === 0) return;
  const paths = await listNodes(db, [...new Set(wanted.map((i) => i.row.grid_id).filter((g): g is number => g != null))]);
  const notices = wanted.map(({ row, id }) => ({
    action, id, groupId: row.group_id ?? null, gridId: row.grid_id ?? null, gridPath: paths.find((p) => p.id === row.grid_id)?.path ?? null,
    state: row.state ?? 'new', actionable: row.actionable ?? false, urgent: row.urgency === 'urgent', categoryCode: row.category_code ?? null, at: new Date().toISOString(),
  }));
  // A few NOTIFYs per batch rather than one per message; each payload stays well under PostgreSQL's 8000 bytes.
  for (let at = 0; at < notices.length; at += NOTICES_PER_PAYLOAD) {
    await notify(db, MESSAGES_CHANNEL, JSON.stringify({ items: notices.slice(at, at + NOTICES_PER_PAYLOAD) }));
  }
}

const NOTICES_PER_PAYLOAD = 25;
