import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import QRCode from 'qrcode';
import type { z } from 'zod';
import { cursorId, cursorTimeId, page } from '../../core/cursor.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { nowOf, type RequestContext, recordedUserId } from '../../core/scope.ts';
import type { ItemState } from '../../core/vocabulary.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import type { DB } from '../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { PointsService } from '../points/points.service.ts';
import { assertMayOrganise, mayOrganise, mayWorkOn, type Residence } from './deliberation.policy.ts';
import * as repo from './meetings.repository.ts';
import type * as s from './meetings.schema.ts';
import type { TopicsService } from './topics.service.ts';

/** Meetings that work through the pending-items log by themselves (网格邻里会, 社区评议会). */
const LOG_MEETINGS = new Set(['neighbourhood', 'review']);

const notOpen = () => new AppError('CONFLICT', { en: 'The meeting is not open.', zh: '这个会还没开始或者已经散了。' });
const wrongCode = () => new AppError('VALIDATION_FAILED', { en: 'The check-in code is wrong.', zh: '签到码不对' });
const voidCode = () => new AppError('CONFLICT', { en: 'Too many wrong codes: this check-in code is void; ask the staff to start check-in again.', zh: '签到码输错次数太多，已经作废了，请工作人员重新开始签到。' });
/** Wrong codes a check-in code takes before it is void (six digits are a million guesses; a room types a few wrong). */
export const MAX_CHECKIN_FAILURES = 30;
const meetingMissing = (id: number) => notFound({ en: `Meeting ${id}`, zh: `议事会 ${id}` });
const livesUnder = (r: Residence | null, path: string) => !!r && r.gridPath.startsWith(path);

/**
 * Meetings (议事会) at a grid or community, held at a grid station (网格驿站): an agenda that carries the open
 * pending items of the node's subtree, attendance by code, QR or staff, outcomes that move the pending items, and
 * minutes. The pending-items log (三事分流工作日志) holds what meetings and staff take on. Every change is audited.
 */
export class MeetingsService {
  constructor(private readonly deps: AppDeps, private readonly topics: TopicsService, private readonly points = new PointsService(deps)) {}

  private async requireNode(id: number, db: Kysely<DB>) {
    const node = await repo.nodeById(db, id);
    if (!node) throw notFound({ en: `Node ${id}`, zh: `节点 ${id}` });
    return node;
  }

  /** Organisers of the node and residents living under it read; others get 404. */
  private async assertMayRead(ctx: RequestContext, path: string, what: () => AppError, db: Kysely<DB>) {
    if (mayWorkOn(ctx.actor, path)) return { organiser: mayOrganise(ctx.actor, path), residence: null };
    if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
    const residence = await this.topics.residence(ctx, db);
    if (livesUnder(residence, path)) return { organiser: false, residence };
    throw what();
  }

  // ---- grid stations ----
  async addStation(ctx: RequestContext, body: z.infer<typeof s.stationBody>) {
    return this.deps.db.transaction().execute(async (trx) => {
      const node = await this.requireNode(body.nodeId, trx);
      assertMayOrganise(ctx.actor, node.path);
      const { id } = await repo.insertStation(trx, { node_id: node.id, name: body.name, brand: body.brand, address: body.address });
      await appendAudit(trx, ctx, { action: 'station.create', subjectType: 'grid_station', subjectId: id, details: { nodeId: node.id, name: body.name, brand: body.brand } });
      const row = await repo.stationById(trx, id);
      if (!row) throw new Error('The station just made did not load.');
      return row;
    });
  }

  async stations(ctx: RequestContext, nodeId: number) {
    const db = this.deps.db;
    const node = await this.requireNode(nodeId, db);
    await this.assertMayRead(ctx, node.path, () => notFound({ en: `Node ${nodeId}`, zh: `节点 ${nodeId}` }), db);
    return repo.stationsUnder(db, node.path);
  }

  // ---- meetings ----
  async create(ctx: RequestContext, body: z.infer<typeof s.meetingBody>) {
    return this.deps.db.transaction().execute(async (trx) => {
      const node = await this.requireNode(body.nodeId, trx);
      if (node.level !== 'grid' && node.level !== 'community') {
        throw new AppError('VALIDATION_FAILED', { en: 'A meeting belongs to a grid or a community.', zh: '议事会只能开在网格或者社区。' });
      }
      const userId = assertMayOrganise(ctx.actor, node.path);
      const inLine = async (topicId: number) => {
        const t = await this.topics.requireTopic(topicId, trx);
        if (!t.node_path.startsWith(node.path) && !node.path.startsWith(t.node_path)) {
          throw new AppError('VALIDATION_FAILED', { en: `Topic ${topicId} belongs to another part of the tree.`, zh: `议题 ${topicId} 不是这个地方的议题。` });
        }
        return t.id;
      };
      const topicId = body.topicId ? await inLine(body.topicId) : null;
      if (body.stationId) {
        const st = await repo.stationById(trx, body.stationId);
        if (!st || !(st.node_path.startsWith(node.path) || node.path.startsWith(st.node_path))) {
          throw new AppError('VALIDATION_FAILED', { en: `Station ${body.stationId} is not in this part of the tree.`, zh: `驿站 ${body.stationId} 不在这个地方。` });
        }
      }
      const now = nowOf(ctx);
      const { id } = await repo.insertMeeting(trx, {
        node_id: node.id, node_path: node.path, topic_id: topicId, station_id: body.stationId ?? null, kind: body.kind, title: body.title, place: body.place,
        starts_at: body.startsAt, created_by: userId, created_at: now,
      });
      const rows: { meeting_id: number; position: number; title: string; topic_id: number | null; item_id: number | null }[] = [];
      for (const a of body.agenda) rows.push({ meeting_id: id, position: rows.length + 1, title: a.title, topic_id: a.topicId ? await inLine(a.topicId) : null, item_id: null });
      if (LOG_MEETINGS.has(body.kind)) {
        for (const item of await repo.openItemsUnder(trx, node.path)) rows.push({ meeting_id: id, position: rows.length + 1, title: item.title, topic_id: null, item_id: item.id });
      }
      await repo.insertAgenda(trx, rows);
      await appendAudit(trx, ctx, { action: 'meeting.create', subjectType: 'meeting', subjectId: id, details: { nodeId: node.id, kind: body.kind, agenda: rows.length } });
      if (topicId) await this.topics.record(trx, ctx, topicId, 'meeting', body.title, { meetingId: id });
      return id;
    });
  }

  async list(ctx: RequestContext, q: z.infer<typeof s.meetingQuery>) {
    const db = this.deps.db;
    const node = await this.requireNode(q.nodeId, db);
    await this.assertMayRead(ctx, node.path, () => notFound({ en: `Node ${q.nodeId}`, zh: `节点 ${q.nodeId}` }), db);
    const rows = await repo.listMeetings(db, { paths: [node.path], state: q.state, after: cursorTimeId(q.cursor), limit: q.limit });
    return page(rows, q.limit, (m) => [new Date(m.starts_at).toISOString(), m.id]);
  }

  async detail(ctx: RequestContext, id: number, db: Kysely<DB> = this.deps.db) {
    const meeting = await repo.meetingById(db, id);
    if (!meeting) throw meetingMissing(id);
    const { organiser } = await this.assertMayRead(ctx, meeting.node_path, () => meetingMissing(id), db);
    const [station, agenda, attendees] = await Promise.all([
      meeting.station_id ? repo.stationById(db, meeting.station_id) : null, repo.agendaOf(db, id), repo.attendeesOf(db, id),
    ]);
    return { meeting, station: station ?? null, agenda, attendees, organiser };
  }

  /** Locks the meeting for a step by its organisers; 404 when missing or out of scope for non-staff. */
  private async lockedForOrganiser(trx: Kysely<DB>, ctx: RequestContext, id: number) {
    const m = await repo.lockMeeting(trx, id);
    if (!m) throw meetingMissing(id);
    if (!mayWorkOn(ctx.actor, m.node_path)) {
      const residence = await this.topics.residence(ctx, trx);
      if (!livesUnder(residence, m.node_path)) throw meetingMissing(id);
    }
    assertMayOrganise(ctx.actor, m.node_path);
    return m;
  }

  /** Opens the meeting with a fresh 6-digit check-in code (a re-open of an open meeting replaces the code). */
  async open(ctx: RequestContext, id: number) {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await this.deps.db.transaction().execute(async (trx) => {
      const m = await this.lockedForOrganiser(trx, ctx, id);
      if (m.state === 'closed') throw notOpen();
      await repo.setMeeting(trx, id, { state: 'open', checkin_code: code, checkin_failures: 0, ...(m.opened_at ? {} : { opened_at: nowOf(ctx) }) });
      await appendAudit(trx, ctx, { action: 'meeting.open', subjectType: 'meeting', subjectId: id, details: {} });
    });
    // A phone's camera opens what the code holds: the whole address people outside reach the app at.
    const url = `${this.deps.config.publicUrl}/r/meetings/${id}/checkin?code=${code}`;
    const qrSvg = await QRCode.toString(url, { type: 'svg' });
    return { code, url, qrSvg };
  }

  async close(ctx: RequestContext, id: number, minutes: string) {
    await this.deps.db.transaction().execute(async (trx) => {
      const m = await this.lockedForOrganiser(trx, ctx, id);
      if (m.state !== 'open') throw notOpen();
      await repo.setMeeting(trx, id, { state: 'closed', closed_at: nowOf(ctx), minutes, checkin_code: null });
      await appendAudit(trx, ctx, { action: 'meeting.close', subjectType: 'meeting', subjectId: id, details: { minutes: minutes.length } });
    });
  }

  /** One attendance per person per meeting (the unique index); a second answers the first with created false. */
  private async attend(ctx: RequestContext, id: number, who: (trx: Kysely<DB>, m: NonNullable<Awaited<ReturnType<typeof repo.lockMeeting>>>) => Promise<{ residentId: number | null; userId: number | null; name: string; via: 'code' | 'qr' | 'staff' }>) {
    let key: { residentId: number | null; userId: number | null } | null = null;
    try {
      return await this.deps.db.transaction().execute(async (trx) => {
        const m = await repo.lockMeeting(trx, id);
        if (!m) throw meetingMissing(id);
        const w = await who(trx, m);
        key = { residentId: w.residentId, userId: w.userId };
        if (m.state !== 'open') throw notOpen();
        const earlier = await repo.findAttendee(trx, id, key);
        if (earlier) return { created: false, attendee: earlier };
        const { id: aid } = await repo.insertAttendee(trx, { meeting_id: id, resident_id: w.residentId, user_id: w.userId, name: w.name, via: w.via, recorded_by: recordedUserId(ctx.actor), at: nowOf(ctx) });
        await appendAudit(trx, ctx, { action: 'meeting.attend', subjectType: 'meeting', subjectId: id, details: { attendeeId: aid, residentId: w.residentId, via: w.via } });
        // A registered resident's attendance earns the rule's points, once per meeting, with the attendance itself.
        if (w.residentId !== null) await this.points.earnIn(trx, ctx, 'meeting_attendance', w.residentId, `attendance:${id}:${w.residentId}`);
        const row = await repo.findAttendee(trx, id, key);
        if (!row) throw new Error('The attendance just recorded did not load.');
        return { created: true, attendee: row };
      });
    } catch (e) {
      const again = key && isUniqueViolation(e) ? await repo.findAttendee(this.deps.db, id, key) : null;
      if (again) return { created: false, attendee: again };
      throw e;
    }
  }

  async checkin(ctx: RequestContext, id: number, body: z.infer<typeof s.checkinBody>) {
    let wrong = false;
    try {
      return await this.checkinOnce(ctx, id, body, () => { wrong = true; });
    } catch (e) {
      // The wrong code is counted after the step rolled back, so the count stands.
      if (wrong) await repo.countWrongCode(this.deps.db, id, MAX_CHECKIN_FAILURES);
      throw e;
    }
  }

  private checkinOnce(ctx: RequestContext, id: number, body: z.infer<typeof s.checkinBody>, onWrong: () => void) {
    return this.attend(ctx, id, async (trx, m) => {
      const staff = mayWorkOn(ctx.actor, m.node_path);
      const residence = staff ? null : await this.topics.residence(ctx, trx);
      if (!staff && !livesUnder(residence, m.node_path)) {
        if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
        throw new AppError('NOT_A_VOTER', { en: 'You do not live where this meeting is held.', zh: '你不住在这个议事会的范围内，不能签到。' });
      }
      if (m.state !== 'open') throw notOpen();
      if (m.checkin_code === null) throw m.checkin_failures >= MAX_CHECKIN_FAILURES ? voidCode() : wrongCode();
      if (body.code !== m.checkin_code) {
        onWrong();
        throw wrongCode();
      }
      if (residence) return { residentId: residence.residentId, userId: recordedUserId(ctx.actor), name: residence.name, via: body.via };
      const userId = recordedUserId(ctx.actor);
      const user = userId === null ? undefined : await repo.userName(trx, userId);
      return { residentId: null, userId, name: user?.display_name ?? '工作人员', via: body.via };
    });
  }

  async record(ctx: RequestContext, id: number, residentId: number) {
    return this.attend(ctx, id, async (trx, m) => {
      assertMayOrganise(ctx.actor, m.node_path);
      const r = await repo.residentUnder(trx, residentId);
      if (!r?.grid_path.startsWith(m.node_path)) {
        throw new AppError('VALIDATION_FAILED', { en: `Resident ${residentId} does not live where this meeting is held.`, zh: `居民 ${residentId} 不住在这个议事会的范围内。` });
      }
      return { residentId: r.id, userId: r.user_id, name: r.name, via: 'staff' };
    });
  }

  /** What the meeting said on an agenda item; for a pending item, stateAfter moves it in the same transaction. */
  async outcome(ctx: RequestContext, id: number, itemId: number, body: z.infer<typeof s.outcomeBody>) {
    await this.deps.db.transaction().execute(async (trx) => {
      const m = await this.lockedForOrganiser(trx, ctx, id);
      if (m.state === 'planned') throw notOpen();
      const a = await repo.agendaItem(trx, id, itemId);
      if (!a) throw notFound({ en: `Agenda item ${itemId}`, zh: `议程 ${itemId}` });
      if (body.stateAfter && a.item_id === null) {
        throw new AppError('VALIDATION_FAILED', { en: 'Only a pending item of the log has a state to move.', zh: '这一项不是工作日志里的待办事项，没有状态可改。' });
      }
      await repo.setAgendaOutcome(trx, a.id, { outcome: body.outcome, state_after: body.stateAfter ?? null });
      await appendAudit(trx, ctx, { action: 'meeting.outcome', subjectType: 'meeting', subjectId: id, details: { agendaId: a.id, stateAfter: body.stateAfter ?? null } });
      if (body.stateAfter && a.item_id !== null) await this.moveItem(trx, ctx, a.item_id, body.stateAfter, undefined, id);
    });
  }

  // ---- pending items ----
  async addItem(ctx: RequestContext, body: z.infer<typeof s.itemBody>) {
    return this.deps.db.transaction().execute(async (trx) => {
      const node = await this.requireNode(body.nodeId, trx);
      const userId = assertMayOrganise(ctx.actor, node.path);
      if (body.topicId) await this.topics.requireTopic(body.topicId, trx);
      if (body.meetingId && !(await repo.meetingById(trx, body.meetingId))) throw meetingMissing(body.meetingId);
      const now = nowOf(ctx);
      const { id } = await repo.insertItem(trx, {
        node_id: node.id, node_path: node.path, title: body.title, kind: body.kind, owner: body.owner, department_id: body.departmentId ?? null,
        topic_id: body.topicId ?? null, matter_id: body.matterId ?? null, raised_at_meeting: body.meetingId ?? null, created_by: userId, created_at: now, updated_at: now,
      });
      await appendAudit(trx, ctx, { action: 'pending_item.create', subjectType: 'pending_item', subjectId: id, details: { nodeId: node.id, kind: body.kind, title: body.title } });
      const row = await repo.itemById(trx, id);
      if (!row) throw new Error('The item just made did not load.');
      return row;
    });
  }

  async items(ctx: RequestContext, q: z.infer<typeof s.itemQuery>) {
    const db = this.deps.db;
    const node = await this.requireNode(q.nodeId, db);
    await this.assertMayRead(ctx, node.path, () => notFound({ en: `Node ${q.nodeId}`, zh: `节点 ${q.nodeId}` }), db);
    const rows = await repo.listItems(db, { path: node.path, state: q.state, afterId: cursorId(q.cursor), limit: q.limit });
    return page(rows, q.limit, (i) => [i.id]);
  }

  async changeItem(ctx: RequestContext, id: number, body: z.infer<typeof s.itemChangeBody>) {
    return this.deps.db.transaction().execute(async (trx) => {
      await this.moveItem(trx, ctx, id, body.state, body.owner, null);
      const row = await repo.itemById(trx, id);
      if (!row) throw new Error('The item just changed did not load.');
      return row;
    });
  }

  private async moveItem(trx: Kysely<DB>, ctx: RequestContext, id: number, state: ItemState, owner: string | undefined, meetingId: number | null) {
    const item = await repo.lockItem(trx, id);
    if (!item) throw notFound({ en: `Pending item ${id}`, zh: `待办事项 ${id}` });
    assertMayOrganise(ctx.actor, item.node_path);
    await repo.setItem(trx, id, { state, ...(owner === undefined ? {} : { owner }), updated_at: nowOf(ctx) });
    await appendAudit(trx, ctx, { action: 'pending_item.change', subjectType: 'pending_item', subjectId: id, details: { from: item.state, to: state, owner: owner ?? item.owner, meetingId } });
  }
}
