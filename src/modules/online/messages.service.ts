import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { decodeCursor, encodeCursor } from '../../core/cursor.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { type RequestContext, nowOf } from '../../core/scope.ts';
import type { DB } from '../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import type { MattersService, ReportInput } from '../matters/matters.service.ts';
import { alertUrgent, type IntakeService, linkMembers, publishMessages, type Taken } from './intake.service.ts';
import * as repo from './messages.repository.ts';
import type { bindBody, forwardBody, handledBody, listQuery, toMatterBody } from './online.schema.ts';
import { assertAdmin, assertAdminOn, assertMayActOnGrid, mayReadGrid, messageScope } from './online.policy.ts';

const day = (d: string) => new Date(`${d}T00:00:00+08:00`);
const nextDay = (d: string) => new Date(day(d).getTime() + 86400_000);

/** What happens to messages once taken in: reading, forwarding, releasing held ones, and the two outcomes. */
export class MessagesService {
  constructor(private readonly deps: AppDeps, private readonly intake: IntakeService, private readonly matters: MattersService) {}

  /** A grid worker forwards or pastes a message seen on the phone into one of their grid's groups. */
  async forward(ctx: RequestContext, groupId: number, body: z.infer<typeof forwardBody>): Promise<Taken> {
    if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
    const group = await repo.groupWithGrid(this.deps.db, groupId);
    if (!group) throw notFound(`Online group ${groupId}`);
    // Group ids are listed to all grid staff, so another grid's worker is told no rather than not found.
    assertMayActOnGrid(ctx.actor, group.path, 'forward messages into its groups');
    if (group.status !== 'active') throw new AppError('RETIRED', 'The online group is retired.');
    if (body.attachments.length) {
      const hashes = body.attachments.map((a) => a.fileHash);
      const found = await this.deps.db.selectFrom('files').select('hash').where('hash', 'in', hashes).execute();
      const missing = hashes.filter((h) => !found.some((f) => f.hash === h));
      if (missing.length) throw new AppError('VALIDATION_FAILED', `Upload the files first (POST /api/files); unknown: ${missing.join(', ')}.`);
    }
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
    const cursor = q.cursor ? decodeCursor(q.cursor) : undefined;
    const beforeId = cursor ? Number(cursor[0]) : undefined;
    if (cursor && !Number.isInteger(beforeId)) throw new AppError('INVALID_CURSOR');
    const rows = await repo.listMessages(this.deps.db, {
      prefixes, gridId: q.gridId, groupId: q.groupId, state: q.state, actionable: q.actionable === undefined ? undefined : q.actionable === 'true',
      urgent: q.urgent === undefined ? undefined : q.urgent === 'true', from: q.from ? day(q.from) : undefined, to: q.to ? nextDay(q.to) : undefined,
      beforeId, limit: q.limit,
    });
    const items = rows.slice(0, q.limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > q.limit && last ? encodeCursor([Number(last.id)]) : null };
  }

  /** One message; held ones only for administrators, others for staff of the message's grid. */
  async get(ctx: RequestContext, id: number) {
    if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
    const m = await repo.getMessage(this.deps.db, id);
    if (!m) throw notFound(`Message ${id}`);
    const path = await this.gridPath(this.deps.db, m.grid_id);
    if (path ? !mayReadGrid(ctx.actor, path) : !ctx.actor.assignments.some((a) => a.role === 'admin')) throw notFound(`Message ${id}`);
    return m;
  }

  async held(ctx: RequestContext, limit: number, cursor?: string) {
    assertAdmin(ctx.actor);
    const c = cursor ? decodeCursor(cursor) : undefined;
    const rows = await repo.listHeld(this.deps.db, limit, c ? Number(c[0]) : undefined);
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeCursor([Number(last.id)]) : null };
  }

  /**
   * Binds an external group id to an online group (the group takes that id) and releases the messages
   * held under it: they get the group, its grid and their members, and urgent ones alert now.
   */
  async bind(ctx: RequestContext, body: z.infer<typeof bindBody>) {
    return this.deps.db.transaction().execute(async (trx) => {
      const group = await repo.groupWithGrid(trx, body.groupId);
      if (!group) throw notFound(`Online group ${body.groupId}`);
      assertAdminOn(ctx.actor, group.path);
      if (group.status !== 'active') throw new AppError('RETIRED', 'The online group is retired.');
      if (group.external_id !== body.externalGroupId) {
        const taken = await trx.selectFrom('online_groups').select('id').where('external_id', '=', body.externalGroupId).where('platform', '=', group.platform).executeTakeFirst();
        if (taken) throw new AppError('CONFLICT', `External group ${body.externalGroupId} is already bound to online group ${taken.id}.`);
        await trx.updateTable('online_groups').set({ external_id: body.externalGroupId }).where('id', '=', group.id).execute();
      }
      const released = await trx.updateTable('group_messages').set({ group_id: group.id, grid_id: group.grid_id, state: 'new' })
        .where('state', '=', 'held').where('external_group_id', '=', body.externalGroupId).returningAll().execute();
      const withMembers = released.map((r) => ({ ...r, member_id: r.member_id as number | null }));
      await linkMembers(trx, withMembers);
      for (const r of withMembers.filter((x) => x.member_id)) await trx.updateTable('group_messages').set({ member_id: r.member_id }).where('id', '=', r.id).execute();
      await alertUrgent(trx, released.map((r) => ({ ...r, id: Number(r.id) })));
      await publishMessages(trx, released.map((r) => ({ row: r, id: Number(r.id) })));
      await appendAudit(trx, ctx, { action: 'group.bind', subjectType: 'online_group', subjectId: group.id, details: { externalGroupId: body.externalGroupId, released: released.length } });
      return { groupId: group.id, externalGroupId: body.externalGroupId, released: released.length };
    });
  }

  /** An actionable message becomes a matter in one step, reported by its sender, in the message's transaction. */
  async toMatter(ctx: RequestContext, id: number, body: z.infer<typeof toMatterBody>) {
    if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
    return this.deps.db.transaction().execute(async (trx) => {
      const m = await this.lockReadable(trx, ctx, id);
      if (!m.grid_id || m.state !== 'new') throw new AppError('INVALID_TRANSITION', `The message is ${m.state}; only a new message of a known group can become a matter.`);
      const path = await this.gridPath(trx, m.grid_id);
      assertMayActOnGrid(ctx.actor, path ?? '', 'turn its messages into matters');
      const member = m.member_id ? await trx.selectFrom('group_members').select(['resident_id']).where('id', '=', m.member_id).executeTakeFirst() : undefined;
      const categoryCode = body.categoryCode ?? (m.category_code && (await trx.selectFrom('categories').select('code').where('code', '=', m.category_code).where('status', '=', 'active').executeTakeFirst())?.code) ?? undefined;
      const input: ReportInput = {
        source: 'group_message', channel: 'group', description: body.description ?? m.text, categoryCode,
        location: body.location ?? (await this.locationFromHints(trx, m.grid_id, m.hints)), photos: [],
        reporter: member?.resident_id ? { residentId: member.resident_id, anonymous: false } : { anonymous: false, contactName: m.sender_name.slice(0, 50) },
        urgent: m.urgency === 'urgent' ? true : undefined,
      };
      if (input.description.trim().length < 2) throw new AppError('VALIDATION_FAILED', 'The message is too short to describe a matter; give a description.');
      const matter = await this.matters.reportIn(trx, ctx, input);
      const updated = await trx.updateTable('group_messages').set({ state: 'to_matter', matter_id: matter.id, handled_by: ctx.actor?.userId || null, handled_at: nowOf(ctx) })
        .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
      await publishMessages(trx, [{ row: updated, id }], 'to_matter');
      await appendAudit(trx, ctx, { action: 'message.to_matter', subjectType: 'group_message', subjectId: id, details: { matterId: matter.id } });
      return { matterId: matter.id, message: updated };
    });
  }

  /** Settled in the group itself (小事不出群): recorded with a note, counted in the figures. */
  async handledInGroup(ctx: RequestContext, id: number, body: z.infer<typeof handledBody>) {
    if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
    return this.deps.db.transaction().execute(async (trx) => {
      const m = await this.lockReadable(trx, ctx, id);
      if (!m.grid_id || m.state !== 'new') throw new AppError('INVALID_TRANSITION', `The message is ${m.state}; only a new message of a known group can be marked handled.`);
      assertMayActOnGrid(ctx.actor, (await this.gridPath(trx, m.grid_id)) ?? '', 'mark its messages handled');
      const updated = await trx.updateTable('group_messages').set({ state: 'handled_in_group', handled_note: body.note, handled_by: ctx.actor?.userId || null, handled_at: nowOf(ctx) })
        .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
      await publishMessages(trx, [{ row: updated, id }], 'handled_in_group');
      await appendAudit(trx, ctx, { action: 'message.handled_in_group', subjectType: 'group_message', subjectId: id, details: {} });
      return updated;
    });
  }

  private async lockReadable(trx: Kysely<DB>, ctx: RequestContext, id: number) {
    const m = await repo.lockMessage(trx, id);
    if (!m) throw notFound(`Message ${id}`);
    const path = await this.gridPath(trx, m.grid_id);
    if (!path || !mayReadGrid(ctx.actor, path)) throw notFound(`Message ${id}`);
    return m;
  }

  private async gridPath(db: Kysely<DB>, gridId: number | null): Promise<string | null> {
    if (!gridId) return null;
    return (await db.selectFrom('nodes').select('path').where('id', '=', gridId).executeTakeFirst())?.path ?? null;
  }

  /** A building of the grid named in the message (3号楼 → 3栋), else the grid itself. */
  private async locationFromHints(db: Kysely<DB>, gridId: number, hints: { buildings?: string[] }): Promise<ReportInput['location']> {
    const wanted = hints.buildings ?? [];
    if (wanted.length) {
      const buildings = await db.selectFrom('buildings').select(['id', 'name']).where('grid_id', '=', gridId).where('status', '=', 'active').execute();
      for (const hint of wanted) {
        const hit = buildings.find((b) => b.name === hint || /\d+/.exec(b.name)?.[0] === hint);
        if (hit) return { buildingId: hit.id };
      }
    }
    return { nodeId: gridId };
  }
}
