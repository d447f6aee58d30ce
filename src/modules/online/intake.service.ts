import { type Kysely, sql } from 'kysely';
import type { Sensed } from '../../core/sensing/types.ts';
import type { DB } from '../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';
import { MicroBatcher } from './batcher.ts';
import { insertMessages, type NewMessage } from './messages.repository.ts';
import type { SensorCache } from './sensor.cache.ts';

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

export const dedupeKey = (m: Pick<Incoming, 'via' | 'sourceId' | 'externalMsgId'>) => `${m.via}:${m.sourceId ?? 'fwd'}:${m.externalMsgId}`;

/**
 * Takes messages in: scores each with the sensor, then stores them through a group-commit batcher (one
 * multi-row INSERT … ON CONFLICT (dedupe_key) DO NOTHING per few milliseconds), resolving groups and
 * members, holding messages of unknown groups, and alerting on urgent ones — in the batch's transaction.
 */
export class IntakeService {
  private readonly batcher: MicroBatcher<NewMessage, Taken>;

  constructor(private readonly deps: AppDeps, private readonly sensors: SensorCache, options: { maxWaitMs?: number; maxRows?: number } = {}) {
    this.batcher = new MicroBatcher((rows) => this.store(rows), { maxWaitMs: options.maxWaitMs ?? 3, maxRows: options.maxRows ?? 200 });
  }

  /** Resolves once every message is committed (or was already there); results follow the input order. */
  async take(messages: Incoming[]): Promise<Taken[]> {
    const sensor = await this.sensors.get();
    const rows = messages.map((m) => toRow(m, sensor.sense(m.text)));
    return this.batcher.add(rows);
  }

  drain(): Promise<void> {
    return this.batcher.drain();
  }

  private async store(rows: NewMessage[]): Promise<Taken[]> {
    return this.deps.db.transaction().execute(async (trx) => {
      await resolveGroups(trx, rows);
      const results = await insertMessages(trx, rows);
      const fresh = rows.flatMap((row, i) => (results[i]?.inserted ? [{ row, id: results[i].id }] : []));
      await alertUrgent(trx, fresh.map((f) => ({ ...f.row, id: f.id })));
      await publishMessages(trx, fresh);
      const states = await existingStates(trx, results.filter((r) => !r.inserted).map((r) => r.id));
      return results.map((r, i) => ({ id: r.id, duplicate: !r.inserted, state: r.inserted ? (rows[i]?.state ?? 'new') : (states.get(r.id) ?? 'new') }));
    });
  }
}

function toRow(m: Incoming, s: Sensed): NewMessage {
  return {
    source_id: m.sourceId, via: m.via, external_group_id: m.externalGroupId, external_msg_id: m.externalMsgId,
    group_id: m.group?.id ?? null, grid_id: m.group?.gridId ?? null, sender_external_id: m.senderExternalId, sender_name: m.senderName,
    member_id: null, sent_at: m.sentAt, text: m.text, attachments: JSON.stringify(m.attachments), forwarded_by: m.forwardedBy ?? null,
    actionable: s.actionable, score: s.score, category_code: s.categoryCode, urgency: s.urgency, urgent_kind: s.urgentKind,
    hints: JSON.stringify(s.hints), state: m.group ? 'new' : 'held', dedupe_key: dedupeKey(m),
  };
}

/** Sets group, grid and member on rows whose group is known by its external id; the rest stay held. */
async function resolveGroups(db: Kysely<DB>, rows: NewMessage[]): Promise<void> {
  const unknown = [...new Set(rows.filter((r) => r.group_id == null).map((r) => r.external_group_id))];
  if (unknown.length) {
    const groups = await db.selectFrom('online_groups').select(['id', 'grid_id', 'external_id', 'platform']).where('external_id', 'in', unknown).where('status', '=', 'active').execute();
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

export async function linkMembers(db: Kysely<DB>, rows: Pick<NewMessage, 'group_id' | 'sender_external_id' | 'member_id' | 'via' | 'sender_name'>[]): Promise<void> {
  const withGroup = rows.filter((r) => r.group_id != null);
  if (withGroup.length === 0) return;
  const groupIds = [...new Set(withGroup.map((r) => r.group_id as number))]; // filtered to non-null just above
  const members = await db.selectFrom('group_members').select(['id', 'group_id', 'external_user_id', 'display_name'])
    .where('group_id', 'in', groupIds).where('left_at', 'is', null).execute();
  for (const r of withGroup) {
    // Forwarded messages carry no chat id for the sender, only the name the worker typed.
    const m = r.via === 'forward'
      ? members.find((x) => x.group_id === r.group_id && x.display_name === r.sender_name)
      : members.find((x) => x.group_id === r.group_id && x.external_user_id === r.sender_external_id);
    if (m) r.member_id = m.id;
  }
}

async function existingStates(db: Kysely<DB>, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('group_messages').select(['id', 'state']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [Number(r.id), r.state]));
}

type Stored = Pick<NewMessage, 'grid_id' | 'urgency' | 'urgent_kind' | 'text' | 'sender_name'> & { id: number };

/** Urgent messages alert the grid's workers and the centre operators above it at once (站内消息). */
export async function alertUrgent(db: Kysely<DB>, rows: Stored[]): Promise<void> {
  const urgent = rows.filter((r) => r.urgency === 'urgent' && r.grid_id != null);
  if (urgent.length === 0) return;
  const gridIds = [...new Set(urgent.map((r) => r.grid_id as number))]; // filtered to non-null just above
  const { rows: people } = await sql<{ user_id: number; grid_id: number }>`
    select distinct ra.user_id, g.id as grid_id
    from nodes g
    join role_assignments ra on ra.ended_at is null
    join nodes rn on rn.id = ra.node_id
    where g.id in (${sql.join(gridIds)})
      and ((ra.role = 'grid_worker' and ra.node_id = g.id) or (ra.role = 'centre_operator' and g.path like rn.path || '%'))`.execute(db);
  const notices = urgent.flatMap((m) => people.filter((p) => p.grid_id === m.grid_id).map((p) => ({
    user_id: p.user_id, resident_id: null, matter_id: null, kind: 'group_message.urgent',
    body: `紧急群消息（${m.urgent_kind ?? 'urgent'}）#${m.id} ${m.sender_name}：${m.text.slice(0, 80)}`,
  })));
  if (notices.length) await db.insertInto('notices').values(notices).execute();
}

/** Live events for screens: actionable and urgent messages, and every state change; delivered when the transaction commits. */
export async function publishMessages(db: Kysely<DB>, items: { row: Pick<NewMessage, 'grid_id' | 'group_id' | 'actionable' | 'urgency' | 'state' | 'category_code'>; id: number }[], action = 'received'): Promise<void> {
  const wanted = items.filter((i) => i.row.actionable || i.row.urgency === 'urgent' || action !== 'received');
  if (wanted.length === 0) return;
  const gridIds = [...new Set(wanted.map((i) => i.row.grid_id).filter((g): g is number => g != null))];
  const paths = gridIds.length ? await db.selectFrom('nodes').select(['id', 'path']).where('id', 'in', gridIds).execute() : [];
  const notices = wanted.map(({ row, id }) => ({
    action, id, groupId: row.group_id ?? null, gridId: row.grid_id ?? null, gridPath: paths.find((p) => p.id === row.grid_id)?.path ?? null,
    state: row.state ?? 'new', actionable: row.actionable ?? false, urgent: row.urgency === 'urgent', categoryCode: row.category_code ?? null, at: new Date().toISOString(),
  }));
  // A few NOTIFYs per batch rather than one per message; each payload stays well under PostgreSQL's 8000 bytes.
  for (let at = 0; at < notices.length; at += NOTICES_PER_PAYLOAD) {
    await sql`select pg_notify(${MESSAGES_CHANNEL}, ${JSON.stringify({ items: notices.slice(at, at + NOTICES_PER_PAYLOAD) })})`.execute(db);
  }
}

const NOTICES_PER_PAYLOAD = 25;
