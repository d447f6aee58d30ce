import type { z } from 'zod';
import { assertTopicAllows } from '../../core/deliberation/stages.ts';
import { cursorId, page } from '../../core/cursor.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { nowOf, type RequestContext, recordedUserId } from '../../core/scope.ts';
import type { AppDeps } from '../../deps.ts';
import { assertMayOrganise, assertResidentOf } from './deliberation.policy.ts';
import type * as s from './deliberation.schema.ts';
import { getPlan } from './plans.repository.ts';
import * as repo from './topics.repository.ts';
import type { TopicsService } from './topics.service.ts';

/**
 * Discussion (议事讨论): threaded comments on a topic and on each of its plans, written on the phone page by the
 * scope's residents and the staff, or imported from the online group's messages (where people actually talk),
 * each carrying the real-name status the group shows. Staff hide a comment with a reason; it keeps its place.
 */
export class DiscussionService {
  constructor(private readonly deps: AppDeps, private readonly topics: TopicsService) {}

  async add(ctx: RequestContext, topicId: number, body: z.infer<typeof s.commentBody>) {
    return this.deps.db.transaction().execute(async (trx) => {
      const t = await this.topics.lockedTopic(trx, topicId);
      const { staff, residence: home } = await this.topics.readable(ctx, topicId, trx);
      const residence = staff ? null : assertResidentOf(ctx.actor, t, home);
      assertTopicAllows(t.stage, 'comment');
      if (body.planId) {
        const plan = await getPlan(trx, body.planId);
        if (!plan || plan.topic_id !== topicId) throw notFound({ en: `Plan ${body.planId} of topic ${topicId}`, zh: `议题 ${topicId} 的方案 ${body.planId}` });
      }
      if (body.parentId) {
        const parent = await repo.getComment(trx, body.parentId);
        if (!parent || parent.topic_id !== topicId) throw notFound({ en: `Comment ${body.parentId} of topic ${topicId}`, zh: `议题 ${topicId} 的留言 ${body.parentId}` });
        if ((parent.plan_id ?? undefined) !== body.planId) throw new AppError('VALIDATION_FAILED', { en: 'A reply belongs to the same plan as the comment it answers.', zh: '回复要和被回复的留言在同一个方案下。' });
      }
      // Organisers write as themselves by name (工作人员); a resident as the register knows them (实名居民).
      const authorName = residence?.name ?? ctx.actor?.displayName ?? '';
      const row = await repo.insertComment(trx, {
        topicId, planId: body.planId ?? null, parentId: body.parentId ?? null, userId: recordedUserId(ctx.actor), residentId: residence?.residentId ?? null, messageId: null,
        authorName, realName: residence ? 'resident' : 'staff', body: body.body, at: nowOf(ctx),
      });
      if (!row) throw new AppError('INTERNAL', 'A comment without a message id conflicted.');
      await this.topics.record(trx, ctx, topicId, 'comment', '', { commentId: row.id, planId: body.planId ?? null });
      const comment = await repo.getComment(trx, row.id);
      if (!comment) throw new AppError('INTERNAL', `Comment ${row.id} vanished.`);
      return comment;
    });
  }

  /** Imports group messages of the topic's own grids as comments, once each; messages from elsewhere are refused. */
  async importMessages(ctx: RequestContext, topicId: number, body: z.infer<typeof s.importBody>) {
    return this.deps.db.transaction().execute(async (trx) => {
      const t = await this.topics.lockedTopic(trx, topicId);
      assertMayOrganise(ctx.actor, t.node_path);
      assertTopicAllows(t.stage, 'comment');
      const ids = [...new Set(body.messageIds)];
      const messages = await repo.messagesForImport(trx, ids);
      const outside = ids.filter((id) => !messages.some((m) => m.id === id && m.grid_path && m.grid_path.startsWith(t.node_path)));
      if (outside.length) {
        throw new AppError('VALIDATION_FAILED', { en: `Messages not from this topic's groups: ${outside.join(', ')}.`, zh: `有群消息不是本议题范围内的群里发的：${outside.join('、')}。` }, { messageIds: outside });
      }
      let imported = 0;
      for (const m of messages) {
        const realName = m.resident_id ? 'resident' : m.user_id ? 'staff' : 'none';
        const row = await repo.insertComment(trx, {
          topicId, planId: body.planId ?? null, parentId: null, userId: m.user_id, residentId: m.resident_id, messageId: m.id, authorName: m.sender_name,
          realName, body: m.text.slice(0, 2000) || '（图片或文件）', at: new Date(m.sent_at),
        });
        if (row) imported++;
      }
      await this.topics.record(trx, ctx, topicId, 'import_messages', '', { imported, skipped: messages.length - imported });
      return { imported, skipped: messages.length - imported };
    });
  }

  async list(ctx: RequestContext, topicId: number, q: z.infer<typeof s.commentsQuery>) {
    await this.topics.readable(ctx, topicId);
    const rows = await repo.listComments(this.deps.db, topicId, { planId: q.planId, limit: q.limit, after: cursorId(q.cursor) });
    return page(rows, q.limit, (r) => [r.id]);
  }

  async hide(ctx: RequestContext, topicId: number, commentId: number, reason: string) {
    return this.deps.db.transaction().execute(async (trx) => {
      const t = await this.topics.lockedTopic(trx, topicId);
      assertMayOrganise(ctx.actor, t.node_path);
      const c = await repo.getComment(trx, commentId);
      if (!c || c.topic_id !== topicId) throw notFound({ en: `Comment ${commentId} of topic ${topicId}`, zh: `议题 ${topicId} 的留言 ${commentId}` });
      await repo.hideComment(trx, commentId, reason, recordedUserId(ctx.actor));
      await this.topics.record(trx, ctx, topicId, 'hide_comment', reason, { commentId });
      const hidden = await repo.getComment(trx, commentId);
      if (!hidden) throw new AppError('INTERNAL', `Comment ${commentId} vanished.`);
      return hidden;
    });
  }
}

