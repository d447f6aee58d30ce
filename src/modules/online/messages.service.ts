import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { endOfBeijingDay, startOfBeijingDay } from '../../core/beijing.ts';
import { cursorId, page } from '../../core/cursor.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { assertSignedIn, nowOf, recordedUserId, type RequestContext } from '../../core/scope.ts';
import type { DB } from '../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { assertUploaded } from '../files/files.service.ts';
import type { MattersService, ReportInput } from '../matters/matters.service.ts';
import { PointsService } from '../points/points.service.ts';
import { getMemberResident, groupByExternal, groupWithGrid, setGroupExternalId } from './groups.repository.ts';
import { alertUrgent, type IntakeService, linkMembers, publishMessages, type Taken } from './intake.service.ts';
import { categoryCodeById, labelOfMessage, recordLabel } from '../sensing/labels.repository.ts';
import { getNode } from '../structure/structure.repository.ts';
import { getCategoryByCode, listActiveBuildings } from './lookups.repository.ts';
import * as repo from './messages.repository.ts';
import type { bindBody, dismissBody, forwardBody, handledBody, listQuery, toMatterBody, urgencyBody } from './online.schema.ts';
import { assertAdmin, assertAdminOn, assertMayActOnGrid, mayReadGrid, mayReadMessage, messageScope } from './online.policy.ts';

/** The two outcomes of a new message: the state it takes, and the words of a refusal. */
const OUTCOMES = {
  to_matter: { can: 'become a matter', act: 'turn its messages into matters' },
  handled_in_group: { can: 'be marked handled', act: 'mark its messages handled' },
  dismissed: { can: 'be dismissed', act: 'dismiss its messages' },
} as const;

/** What happens to messages once taken in: reading, forwarding, releasing held ones, the outcomes, and the urgency; each decision labels the message. */
export class MessagesService {
  constructor(private readonly deps: AppDeps, private readonly intake: IntakeService, private readonly matters: MattersService,
    private readonly points = new PointsService(deps)) {}

  /** A grid worker forwards or pastes a message seen on the phone into one of their grid's groups. */
  async forward(ctx: RequestContext, groupId: number, body: z.infer<typeof forwardBody>): Promise<Taken> {
    assertSignedIn(ctx.actor);
    const group = await groupWithGrid(this.deps.db, groupId);
    if (!group) throw notFound(`Online group ${groupId}`);
    // Group ids are listed to all grid staff, so another grid's worker is told no rather than not found.
    assertMayActOnGrid(ctx.actor, group.path, 'forward messages into its groups');
    if (group.status !== 'active') throw new AppError('RETIRED', { en: 'The online group is retired.', zh: '这个线上群已经停用了。' });
    await assertUploaded(this.deps.db, body.attachments.map((a) => a.fileHash), 'files');
    const [taken] = await this.intake.take([{
      via: 'forward', sourceId: null, externalGroupId: group.external_id, externalMsgId: body.clientId,
      senderExternalId: `forward:${ctx.actor.userId}`, senderName: body.senderName ?? ctx.actor.displayName,
      sentAt: body.sentAt ? new Date(body.sentAt) : nowOf(ctx), text: body.text,
      attachments: body.attachments.map((a) => ({ kind: 'file', fileHash: a.fileHash })), forwardedBy: ctx.actor.userId,
      group: { id: group.id, gridId: group.grid_id },
    }]);
    if (!taken) throw new AppError('INTERNAL');
    return taken;
  }

  async list(ctx: RequestContext, q: z.infer<typeof listQuery>) {
    const prefixes = messageScope(ctx.actor);
    const rows = await repo.listMessages(this.deps.db, {
      prefixes, gridId: q.gridId, groupId: q.groupId, state: q.state, actionable: q.actionable === undefined ? undefined : q.actionable === 'true',
      urgent: q.urgent === undefined ? undefined : q.urgent === 'true', from: q.from ? startOfBeijingDay(q.from) : undefined, to: q.to ? endOfBeijingDay(q.to) : undefined,
      beforeId: cursorId(q.cursor), limit: q.limit,
    });
    return page(rows, q.limit, (r) => [Number(r.id)]);
  }

  /** One message; held ones only for administrators, others for staff of the message's grid. */
  async get(ctx: RequestContext, id: number) {
    assertSignedIn(ctx.actor);
    const m = await repo.getMessage(this.deps.db, id);
    if (!m || !mayReadMessage(ctx.actor, await this.gridPath(this.deps.db, m.grid_id))) throw notFound(`Message ${id}`);
    return m;
  }

  async held(ctx: RequestContext, q: { limit: number; cursor?: string }) {
    assertAdmin(ctx.actor);
    return page(await repo.listHeld(this.deps.db, q.limit, cursorId(q.cursor)), q.limit, (r) => [Number(r.id)]);
  }

  /**
   * Binds an external group id to an online group (the group takes that id) and releases the messages
   * held under it: they get the group, its grid and their members, and urgent ones alert now.
   */
  async bind(ctx: RequestContext, body: z.infer<typeof bindBody>) {
    return this.deps.db.transaction().execute(async (trx) => {
      const group = await groupWithGrid(trx, body.groupId);
      if (!group) throw notFound(`Online group ${body.groupId}`);
      assertAdminOn(ctx.actor, group.path);
      if (group.status !== 'active') throw new AppError('RETIRED', { en: 'The online group is retired.', zh: '这个线上群已经停用了。' });
      if (group.external_id !== body.externalGroupId) {
        const taken = await groupByExternal(trx, group.platform, body.externalGroupId);
        if (taken) throw new AppError('CONFLICT', `External group ${body.externalGroupId} is already bound to online group ${taken.id}.`);
        await setGroupExternalId(trx, group.id, body.externalGroupId);
      }
      const released = await repo.releaseHeld(trx, body.externalGroupId, group);
      const withMembers = released.map((r) => ({ ...r, member_id: r.member_id as number | null }));
      await linkMembers(trx, withMembers);
      for (const r of withMembers.filter((x) => x.member_id)) await repo.updateMessage(trx, r.id, { member_id: r.member_id });
      await alertUrgent(trx, released.map((r) => ({ ...r, id: Number(r.id) })));
      await publishMessages(trx, released.map((r) => ({ row: r, id: Number(r.id) })));
      await appendAudit(trx, ctx, { action: 'group.bind', subjectType: 'online_group', subjectId: group.id, details: { externalGroupId: body.externalGroupId, released: released.length } });
      return { groupId: group.id, externalGroupId: body.externalGroupId, released: released.length };
    });
  }

  /** An actionable message becomes a matter in one step, reported by its sender, in the message's transaction. */
  async toMatter(ctx: RequestContext, id: number, body: z.infer<typeof toMatterBody>) {
    assertSignedIn(ctx.actor);
    return this.deps.db.transaction().execute(async (trx) => {
      const m = await this.lockNew(trx, ctx, id, 'to_matter');
      const member = m.member_id ? await getMemberResident(trx, m.member_id) : undefined;
      const sensed = m.category_code ? await getCategoryByCode(trx, m.category_code) : undefined;
      const input: ReportInput = {
        source: 'group_message', channel: 'group', description: body.description ?? m.text, categoryCode: body.categoryCode ?? (sensed?.status === 'active' ? sensed.code : undefined),
        location: body.location ?? (await this.locationFromHints(trx, m.grid_id, m.hints)), photos: [],
        reporter: member?.resident_id ? { residentId: member.resident_id, anonymous: false } : { anonymous: false, contactName: m.sender_name.slice(0, 50) },
        urgent: m.urgency === 'urgent' ? true : undefined,
      };
      if (input.description.trim().length < 2) throw new AppError('VALIDATION_FAILED', { en: 'The message is too short to describe a matter; give a description.', zh: '这条消息太短，说不清是什么事，请写上事件描述。' });
      const matter = await this.matters.reportIn(trx, ctx, input);
      const message = await this.settle(trx, ctx, id, { state: 'to_matter', matter_id: matter.id }, { matterId: matter.id });
      await recordLabel(trx, {
        messageId: id, text: m.text, actionable: true, urgentKind: m.urgent_kind, categoryCode: (await categoryCodeById(trx, matter.category_id)) ?? m.category_code,
        source: 'to_matter', decidedBy: recordedUserId(ctx.actor), decidedAt: nowOf(ctx),
      });
      return { matterId: matter.id, message };
    });
  }

  /**
   * Settled in the group itself (小事不出群): recorded with a note, counted in the figures; a sender who is a
   * registered resident earns the rule's points for it, once, in the same transaction.
   */
  async handledInGroup(ctx: RequestContext, id: number, body: z.infer<typeof handledBody>) {
    assertSignedIn(ctx.actor);
    return this.deps.db.transaction().execute(async (trx) => {
      const m = await this.lockNew(trx, ctx, id, 'handled_in_group');
      await recordLabel(trx, {
        messageId: id, text: m.text, actionable: true, urgentKind: m.urgent_kind, categoryCode: m.category_code,
        source: 'handled_in_group', decidedBy: recordedUserId(ctx.actor), decidedAt: nowOf(ctx),
      });
      const settled = await this.settle(trx, ctx, id, { state: 'handled_in_group', handled_note: body.note }, {});
      const sender = m.member_id ? await getMemberResident(trx, m.member_id) : undefined;
      if (sender?.resident_id) await this.points.earnIn(trx, ctx, 'handled_in_group', sender.resident_id, `message:${id}`);
      return settled;
    });
  }

  /** Not for anyone to act on (闲聊、广告): dismissed, and labelled chatter. */
  async dismiss(ctx: RequestContext, id: number, body: z.infer<typeof dismissBody>) {
    assertSignedIn(ctx.actor);
    return this.deps.db.transaction().execute(async (trx) => {
      const m = await this.lockNew(trx, ctx, id, 'dismissed');
      await recordLabel(trx, {
        messageId: id, text: m.text, actionable: false, urgentKind: null, categoryCode: null,
        source: 'dismissed', decidedBy: recordedUserId(ctx.actor), decidedAt: nowOf(ctx),
      });
      return this.settle(trx, ctx, id, { state: 'dismissed', handled_note: body.reason ?? null }, body.reason ? { reason: body.reason } : {});
    });
  }

  /**
   * Staff raise or clear a message's urgency, in any state. Raised on a new message, it alerts the grid's workers and
   * the centre as intake would have; either way the decision labels the message.
   */
  async setUrgency(ctx: RequestContext, id: number, body: z.infer<typeof urgencyBody>) {
    assertSignedIn(ctx.actor);
    return this.deps.db.transaction().execute(async (trx) => {
      const m = await repo.lockMessage(trx, id);
      const path = m ? await this.gridPath(trx, m.grid_id) : null;
      if (!m || !path || !mayReadGrid(ctx.actor, path)) throw notFound(`Message ${id}`);
      assertMayActOnGrid(ctx.actor, path, 'change the urgency of its messages');
      const kind = body.urgentKind;
      const updated = await repo.updateMessage(trx, id, kind ? { urgency: 'urgent', urgent_kind: kind, actionable: true } : { urgency: 'normal', urgent_kind: null });
      const raisedOnNew = kind !== null && m.state === 'new';
      if (raisedOnNew) await alertUrgent(trx, [{ ...updated, id }]);
      await publishMessages(trx, [{ row: updated, id }], raisedOnNew ? 'received' : 'urgency');
      const label = await labelOfMessage(trx, id);
      await recordLabel(trx, {
        messageId: id, text: m.text, actionable: kind ? true : (label?.actionable ?? m.actionable), urgentKind: kind,
        categoryCode: label ? label.category_code : m.category_code, source: kind ? 'urgent_raised' : 'urgent_cleared',
        decidedBy: recordedUserId(ctx.actor), decidedAt: nowOf(ctx),
      });
      await appendAudit(trx, ctx, { action: 'message.urgency', subjectType: 'group_message', subjectId: id, details: { from: m.urgent_kind, to: kind } });
      return updated;
    });
  }

  /** Locks a new message of a known grid for one of its outcomes: readable, and the actor may act on its grid. */
  private async lockNew(trx: Kysely<DB>, ctx: RequestContext, id: number, outcome: keyof typeof OUTCOMES) {
    const m = await repo.lockMessage(trx, id);
    const path = m ? await this.gridPath(trx, m.grid_id) : null;
    if (!m || !path || !mayReadGrid(ctx.actor, path)) throw notFound(`Message ${id}`);
    if (!m.grid_id || m.state !== 'new') throw new AppError('INVALID_TRANSITION', `The message is ${m.state}; only a new message of a known group can ${OUTCOMES[outcome].can}.`);
    assertMayActOnGrid(ctx.actor, path, OUTCOMES[outcome].act);
    return { ...m, grid_id: m.grid_id };
  }

  /** Records an outcome on the message with who and when, tells the screens and audits it, in the caller's transaction. */
  private async settle(trx: Kysely<DB>, ctx: RequestContext, id: number, outcome: { state: keyof typeof OUTCOMES; matter_id?: number; handled_note?: string | null }, details: Record<string, unknown>) {
    const updated = await repo.updateMessage(trx, id, { ...outcome, handled_by: recordedUserId(ctx.actor), handled_at: nowOf(ctx) });
    await publishMessages(trx, [{ row: updated, id }], outcome.state);
    await appendAudit(trx, ctx, { action: `message.${outcome.state}`, subjectType: 'group_message', subjectId: id, details });
    return updated;
  }

  private async gridPath(db: Kysely<DB>, gridId: number | null): Promise<string | null> {
    return gridId ? ((await getNode(db, gridId))?.path ?? null) : null;
  }

  /** A building of the grid named in the message (3号楼 → 3栋), else the grid itself. */
  private async locationFromHints(db: Kysely<DB>, gridId: number, hints: { buildings?: string[] }): Promise<ReportInput['location']> {
    const wanted = hints.buildings ?? [];
    if (wanted.length) {
      const buildings = await listActiveBuildings(db, gridId);
      for (const hint of wanted) {
        const hit = buildings.find((b) => b.name === hint || /\d+/.exec(b.name)?.[0] === hint);
        if (hit) return { buildingId: hit.id };
      }
    }
    return { nodeId: gridId };
  }
}
