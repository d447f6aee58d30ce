import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { assertTopicAllows } from '../../core/deliberation/stages.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { nowOf, type RequestContext } from '../../core/scope.ts';
import type { DB } from '../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';
import { assertOwnUploads } from '../files/files.service.ts';
import type { MattersService } from '../matters/matters.service.ts';
import { assertMayOrganise, assertMayUpdateProject, mayOrganise, mayUpdateProject } from './deliberation.policy.ts';
import { nodeById } from './meetings.repository.ts';
import { departmentsByIds, getPlan } from './plans.repository.ts';
import * as repo from './projects.repository.ts';
import type * as s from './projects.schema.ts';
import { updateTopic } from './topics.repository.ts';
import type { TopicsService } from './topics.service.ts';

/**
 * Implementation (实施): the organisers turn a decided topic into a project — milestones with weights, the owner
 * departments, photos of the place before — and the topic is implementing. The organisers and the owner departments'
 * handlers report each milestone's progress and add photos; the project's progress is the weighted average of its
 * milestones. When a department must act, the project sends a matter through the normal closed loop (source
 * deliberation) and keeps the link. It is complete when every milestone is done and a photo shows the result;
 * the topic is then completed (已建成), which the statistics count as a matter solved by deliberation.
 */
export class ProjectsService {
  constructor(private readonly deps: AppDeps, private readonly topics: TopicsService, private readonly matters: MattersService) {}

  async start(ctx: RequestContext, topicId: number, body: z.infer<typeof s.startProjectBody>) {
    await this.deps.db.transaction().execute(async (trx) => {
      const t = await this.topics.lockedTopic(trx, topicId);
      assertMayOrganise(ctx.actor, t.node_path);
      assertTopicAllows(t.stage, 'implement');
      const departments = [...new Set(body.departmentIds)];
      const found = await departmentsByIds(trx, departments);
      const noDept = departments.filter((d) => !found.some((f) => f.id === d && (t.node_path.startsWith(f.path) || f.path.startsWith(t.node_path))));
      if (noDept.length) throw new AppError('VALIDATION_FAILED', { en: `Departments ${noDept.join(', ')} do not serve this topic's place.`, zh: `部门 ${noDept.join('、')} 不存在或不负责这个议题所在的地方。` }, { departmentIds: noDept });
      const photos = [...new Set(body.photos)];
      await assertOwnUploads(trx, ctx, photos);
      const plan = t.decided_plan_id ? await getPlan(trx, t.decided_plan_id) : undefined;
      const now = nowOf(ctx);
      const p = await repo.insertProject(trx, { topicId, planId: t.decided_plan_id, title: body.title ?? plan?.title ?? t.title.slice(0, 80), at: now });
      await repo.insertDepartments(trx, p.id, departments);
      await repo.insertMilestones(trx, p.id, body.milestones.map((m) => ({ title: m.title, weight: m.weight, dueOn: m.dueOn ?? null })));
      await repo.insertPhotos(trx, p.id, 'before', photos);
      await updateTopic(trx, topicId, { stage: 'implementing', updated_at: now });
      await this.topics.record(trx, ctx, topicId, 'implement', body.title ?? '', { projectId: p.id, milestones: body.milestones.length, departmentIds: departments });
    });
    return this.view(ctx, topicId);
  }

  /** The project of a topic, for whoever reads the topic and for the handlers of its owner departments. */
  async view(ctx: RequestContext, topicId: number, db: Kysely<DB> = this.deps.db) {
    const p = await repo.projectOfTopic(db, topicId);
    const departmentIds = p ? await repo.departmentIdsOf(db, p.id) : [];
    const t = await this.topics.requireTopic(topicId, db);
    if (!mayUpdateProject(ctx.actor, t.node_path, departmentIds)) await this.topics.readable(ctx, topicId, db);
    if (!p) throw notFound({ en: `The project of topic ${topicId} (it is not being implemented yet)`, zh: `议题 ${topicId} 的实施项目（还没有开始实施）` });
    return {
      project: p, details: await repo.projectDetails(db, p.id),
      mayUpdate: mayUpdateProject(ctx.actor, t.node_path, departmentIds), mayOrganise: mayOrganise(ctx.actor, t.node_path),
    };
  }

  async milestone(ctx: RequestContext, projectId: number, milestoneId: number, body: z.infer<typeof s.milestoneBody>) {
    const topicId = await this.running(ctx, projectId, async (trx, p) => {
      const m = await repo.lockMilestone(trx, milestoneId);
      if (!m || m.project_id !== p.id) throw notFound({ en: `Milestone ${milestoneId} of project ${projectId}`, zh: `实施项目 ${projectId} 的节点 ${milestoneId}` });
      if (m.progress === body.progress) return;
      await repo.setMilestoneProgress(trx, m.id, body.progress, body.progress === 100 ? nowOf(ctx) : null);
      await this.topics.record(trx, ctx, p.topic_id, 'progress', body.note, { projectId, milestoneId, title: m.title, from: m.progress, to: body.progress });
    });
    return this.view(ctx, topicId);
  }

  async photos(ctx: RequestContext, projectId: number, body: z.infer<typeof s.projectPhotosBody>) {
    const topicId = await this.running(ctx, projectId, async (trx, p) => {
      const photos = [...new Set(body.photos)];
      await assertOwnUploads(trx, ctx, photos);
      await repo.insertPhotos(trx, p.id, body.stage, photos);
      await this.topics.record(trx, ctx, p.topic_id, 'project_photos', '', { projectId, stage: body.stage, photos: photos.length });
    });
    return this.view(ctx, topicId);
  }

  /** A matter for a department, reported from the project into the normal closed loop, linked in the same transaction. */
  async matter(ctx: RequestContext, projectId: number, body: z.infer<typeof s.projectMatterBody>) {
    let matterId = 0;
    const topicId = await this.running(ctx, projectId, async (trx, p, t) => {
      assertMayOrganise(ctx.actor, t.node_path);
      const node = body.nodeId ?? t.node_id;
      const place = await nodeById(trx, node);
      if (!place?.path.startsWith(t.node_path)) throw new AppError('VALIDATION_FAILED', { en: 'The matter must happen inside the topic\'s place.', zh: '派出的事件要在这个议题的范围内。' }, { nodeId: node });
      const m = await this.matters.reportIn(trx, ctx, {
        source: 'deliberation', channel: 'web', title: body.title, description: body.description, categoryCode: body.categoryCode,
        location: { nodeId: node }, address: p.title.slice(0, 200), photos: body.photos, reporter: { anonymous: false }, urgent: body.urgent,
      });
      await repo.linkMatter(trx, p.id, m.id);
      await this.topics.record(trx, ctx, p.topic_id, 'project_matter', body.title ?? '', { projectId, matterId: m.id });
      matterId = m.id;
    });
    return { matterId, ...(await this.view(ctx, topicId)) };
  }

  async complete(ctx: RequestContext, projectId: number, body: z.infer<typeof s.completeProjectBody>) {
    const topicId = await this.running(ctx, projectId, async (trx, p, t) => {
      assertMayOrganise(ctx.actor, t.node_path);
      assertTopicAllows(t.stage, 'complete');
      const { milestones, photos } = await repo.projectDetails(trx, p.id);
      const open = milestones.filter((m) => m.progress < 100);
      if (open.length) throw new AppError('CONFLICT', { en: `Milestones not done yet: ${open.map((m) => m.title).join(', ')}.`, zh: `还有节点没有完成：${open.map((m) => m.title).join('、')}。` }, { milestones: open.map((m) => m.id) });
      if (!photos.some((f) => f.stage === 'after')) throw new AppError('CONFLICT', { en: 'Add a photo of the result before completing the project.', zh: '请先上传一张建成后的照片，再确认建成。' });
      const now = nowOf(ctx);
      await repo.completeProject(trx, p.id, now);
      await updateTopic(trx, p.topic_id, { stage: 'completed', updated_at: now });
      await this.topics.record(trx, ctx, p.topic_id, 'complete', body.note, { projectId });
    });
    return this.view(ctx, topicId);
  }

  /** A step on a running project, under the topic's and the project's locks, by its organisers or owner departments. */
  private async running(ctx: RequestContext, projectId: number, fn: (trx: Kysely<DB>, p: repo.ProjectRow, t: Awaited<ReturnType<TopicsService['lockedTopic']>>) => Promise<void>) {
    return this.deps.db.transaction().execute(async (trx) => {
      const found = await repo.getProject(trx, projectId);
      if (!found) throw notFound({ en: `Project ${projectId}`, zh: `实施项目 ${projectId}` });
      const t = await this.topics.lockedTopic(trx, found.topic_id);
      const p = await repo.lockProject(trx, projectId);
      if (!p) throw notFound({ en: `Project ${projectId}`, zh: `实施项目 ${projectId}` });
      const departmentIds = await repo.departmentIdsOf(trx, p.id);
      if (!mayUpdateProject(ctx.actor, t.node_path, departmentIds)) {
        // Out of scope stays out of sight (404); a reader who may not act is told so (403).
        await this.topics.readable(ctx, p.topic_id, trx);
        assertMayUpdateProject(ctx.actor, t.node_path, departmentIds);
      }
      if (p.status === 'completed') throw new AppError('TOPIC_NOT_OPEN', { en: 'The project is completed.', zh: '这个项目已经建成了，不能再修改。' });
      await fn(trx, p, t);
      return p.topic_id;
    });
  }
}
