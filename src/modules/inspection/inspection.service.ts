import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { cursorId, cursorTimeId, page } from '../../core/cursor.ts';
import { AppError, notFound } from '../../core/errors.ts';
import type { GridLocator } from '../../core/geo/locator.ts';
import { nowOf, type RequestContext, recordedUserId } from '../../core/scope.ts';
import { isFinished } from '../../core/vocabulary.ts';
import type { DB } from '../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { assertUploaded } from '../files/files.service.ts';
import type { MattersService, ReportInput } from '../matters/matters.service.ts';
import type { GridLocatorCache } from '../structure/locator.cache.ts';
import { assertMayCheck, assertMayList, assertMayManage, myGridPrefixes, readPrefixes } from './inspection.policy.ts';
import { tally } from './inspection.presenter.ts';
import * as repo from './inspection.repository.ts';
import type { checkBody, createBody, listQuery } from './inspection.schema.ts';
import { getNode } from '../structure/structure.repository.ts';

type CreateInput = z.infer<typeof createBody>;
type CheckInput = z.infer<typeof checkBody>;
const TASK_LEVELS = ['district', 'town', 'community'];
const toDue = (k: { at: Date; id: number } | undefined) => (k ? { due: k.at, id: k.id } : undefined);

/** Inspection tasks (排查任务): the centre pushes points to grids, the grids check them, abnormal points become matters. */
export class InspectionService {
  constructor(private readonly deps: AppDeps, private readonly matters: MattersService, private readonly locator: GridLocatorCache) {}

  async create(ctx: RequestContext, input: CreateInput) {
    return this.deps.db.transaction().execute(async (trx) => {
      const node = await getNode(trx, input.nodeId);
      if (!node) throw notFound(`Node ${input.nodeId}`);
      assertMayManage(ctx.actor, node.path);
      if (!TASK_LEVELS.includes(node.level)) throw new AppError('VALIDATION_FAILED', `Inspection tasks are pushed from a town, district or community, not from a ${node.level}.`);
      if (node.status === 'retired') throw new AppError('RETIRED');
      const now = nowOf(ctx);
      if (new Date(input.dueAt) <= now) throw new AppError('VALIDATION_FAILED', { en: 'dueAt must be in the future.', zh: '截止时间要晚于现在。' });
      const category = input.categoryCode ? await repo.activeCategory(trx, input.categoryCode) : undefined;
      if (input.categoryCode && !category) throw new AppError('VALIDATION_FAILED', { en: `Unknown category code ${input.categoryCode}.`, zh: `没有编码为 ${input.categoryCode} 的事件分类。` });
      // The boundaries are read through the transaction: PGlite's single session would otherwise wait on itself.
      const located = input.points.some((p) => p.lng !== undefined) ? (await this.locator.get(trx)).locator : null;
      const grids = await this.checkPoints(trx, node, input.points, located);

      const task = await repo.insertTask(trx, {
        node_id: node.id, title: input.title, description: input.description, category_id: category?.id ?? null,
        due_at: input.dueAt, created_by: recordedUserId(ctx.actor), created_at: now, urgent: input.urgent,
      });
      await repo.insertPoints(trx, input.points.map((p) => ({
        task_id: task.id, grid_id: p.gridId, grid_path: grids.get(p.gridId) ?? '', name: p.name, lng: p.lng ?? null, lat: p.lat ?? null,
      })));
      await appendAudit(trx, ctx, {
        action: 'inspection.create', subjectType: 'inspection_task', subjectId: task.id,
        details: { nodeId: node.id, title: input.title, categoryCode: category?.code ?? null, dueAt: input.dueAt, urgent: input.urgent, points: input.points.length, grids: [...grids.keys()] },
      });
      return this.assemble(trx, ctx, task.id, { prefixes: [node.path] });
    });
  }

  /** Every grid must be an active grid under the task's node, and coordinates must lie inside their grid. */
  private async checkPoints(trx: Kysely<DB>, node: { id: number; path: string }, points: CreateInput['points'], locator: GridLocator | null) {
    const ids = [...new Set(points.map((p) => p.gridId))];
    const nodes = new Map((await repo.nodesByIds(trx, ids)).map((n) => [n.id, n]));
    const problems: string[] = [];
    for (const id of ids) {
      const n = nodes.get(id);
      if (!n) problems.push(`grid ${id} does not exist`);
      else if (n.level !== 'grid') problems.push(`node ${id} (${n.name}) is a ${n.level}, not a grid`);
      else if (n.status !== 'active') problems.push(`grid ${id} (${n.name}) is retired`);
      else if (!n.path.startsWith(node.path)) problems.push(`grid ${id} (${n.name}) is not under node ${node.id}`);
    }
    if (problems.length === 0 && locator) {
      points.forEach((p, i) => {
        if (p.lng === undefined || p.lat === undefined) return;
        if (locator.locate(p.lng, p.lat, 'wgs84').gridId !== p.gridId) problems.push(`points[${i}] (${p.name}) at ${p.lng},${p.lat} is not inside grid ${p.gridId}`);
      });
    }
    if (problems.length) {
      throw new AppError('VALIDATION_FAILED', `The points are not valid: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}.`, { problems: problems.slice(0, 100) });
    }
    return new Map(ids.map((id) => [id, nodes.get(id)?.path ?? '']));
  }

  async list(ctx: RequestContext, q: z.infer<typeof listQuery>) {
    const prefixes = assertMayList(ctx.actor);
    const under = q.nodeId ? (await getNode(this.deps.db, q.nodeId))?.path : undefined;
    if (q.nodeId && !under) throw notFound(`Node ${q.nodeId}`);
    const beforeId = cursorId(q.cursor);
    if (beforeId !== undefined && !Number.isInteger(beforeId)) throw new AppError('INVALID_CURSOR');
    const scope = { prefixes, under };
    const rows = await repo.listTasks(this.deps.db, { ...scope, status: q.status, beforeId, limit: q.limit, order: 'recent' });
    const { items, nextCursor } = page(rows, q.limit, (t) => [t.id]);
    return { items: await this.views(this.deps.db, ctx, items, scope), nextCursor };
  }

  /** Open tasks with points in the grids I work in, each with those points, due soonest first, a page at a time. */
  async mine(ctx: RequestContext, q: { limit: number; cursor?: string }) {
    if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
    const prefixes = myGridPrefixes(ctx.actor);
    if (prefixes.length === 0) return { items: [], nextCursor: null };
    const { db } = this.deps;
    const rows = await repo.listTasks(db, { prefixes, status: 'open', limit: q.limit, order: 'due', afterDue: toDue(cursorTimeId(q.cursor)) });
    const { items: tasks, nextCursor } = page(rows, q.limit, (t) => [t.due_at.toISOString(), t.id]);
    const views = await this.views(db, ctx, tasks, { prefixes });
    const points = await repo.listPoints(db, tasks.map((t) => t.id), { prefixes });
    return { items: views.map((v) => ({ ...v, points: points.filter((p) => p.task_id === v.task.id) })), nextCursor };
  }

  async detail(ctx: RequestContext, id: number) {
    if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
    const prefixes = readPrefixes(ctx.actor);
    // Somebody who may see none of the task's points learns nothing about it, not even that it exists.
    if (prefixes.length === 0) throw notFound({ en: `Inspection task ${id}`, zh: `巡查任务 ${id}` });
    return this.assemble(this.deps.db, ctx, id, { prefixes });
  }

  async check(ctx: RequestContext, id: number, pointId: number, input: CheckInput) {
    return this.deps.db.transaction().execute(async (trx) => {
      const task = await repo.lockTask(trx, id, 'share');
      if (!task) throw notFound({ en: `Inspection task ${id}`, zh: `巡查任务 ${id}` });
      const point = await repo.lockPoint(trx, id, pointId);
      if (!point) throw notFound(`Point ${pointId} of inspection task ${id}`);
      const role = assertMayCheck(ctx.actor, point.grid_path);
      if (task.status === 'closed') throw new AppError('CONFLICT', { en: `Inspection task ${id} is closed; its points can no longer be checked.`, zh: `巡查任务 ${id} 已经结束，不能再检查点位了。` });
      await assertUploaded(trx, input.photos);

      // An abnormal point raises a matter unless the matter it raised before is still open (not finished).
      const current = point.matter_id ? await repo.matterStatus(trx, point.matter_id) : undefined;
      const raise = input.state === 'abnormal' && (!current || isFinished(current.status));
      const matterId = raise ? (await this.raiseMatter(trx, ctx, task, point, input)).id : point.matter_id;
      await repo.updatePoint(trx, point.id, { status: input.state, note: input.note ?? null, checked_at: nowOf(ctx), checked_by: recordedUserId(ctx.actor), matter_id: matterId });
      await appendAudit(trx, ctx, {
        action: 'inspection.check', subjectType: 'inspection_point', subjectId: point.id,
        details: { taskId: id, role, from: point.status, to: input.state, note: input.note ?? null, photos: input.photos, matterId, matterCreated: raise },
      });
      return { point: await repo.getPoint(trx, point.id), progress: await repo.progressRows(trx, [id], { prefixes: readPrefixes(ctx.actor) }) };
    });
  }

  async close(ctx: RequestContext, id: number) {
    return this.deps.db.transaction().execute(async (trx) => {
      const task = await repo.lockTask(trx, id, 'update');
      if (!task) throw notFound({ en: `Inspection task ${id}`, zh: `巡查任务 ${id}` });
      assertMayManage(ctx.actor, task.node_path);
      if (task.status === 'closed') throw new AppError('CONFLICT', { en: `Inspection task ${id} is already closed.`, zh: `巡查任务 ${id} 已经结束了。` });
      await repo.closeTask(trx, id, recordedUserId(ctx.actor), nowOf(ctx));
      const scope = { prefixes: [task.node_path] };
      // Pending points stay pending: the record says how much was left unchecked at closing.
      const { totals } = tally(await repo.progressRows(trx, [id], scope));
      await appendAudit(trx, ctx, { action: 'inspection.close', subjectType: 'inspection_task', subjectId: id, details: { totals } });
      return this.assemble(trx, ctx, id, scope);
    });
  }

  private async raiseMatter(trx: Kysely<DB>, ctx: RequestContext, task: { id: number; title: string; category_id: number | null; urgent: boolean }, point: PointPlace & { name: string }, input: CheckInput) {
    const category = task.category_id ? await repo.categoryCode(trx, task.category_id) : undefined;
    const urgent = task.urgent;
    const description = `${task.title} — ${point.name}${input.note ? `：${input.note}` : '：排查发现异常'}`.slice(0, 2000);
    const report: ReportInput = {
      source: 'inspection', channel: 'phone', title: `${point.name}排查异常`.slice(0, 60), description,
      // A retired category would be refused; triage then suggests one from the text instead.
      categoryCode: category?.status === 'active' ? category.code : undefined,
      location: await this.locationOf(trx, point), address: point.name.slice(0, 200), photos: input.photos,
      reporter: { anonymous: false },
      // Not urgent leaves the category's own default in force rather than overriding it with false.
      urgent: urgent ? true : undefined,
    };
    return this.matters.reportIn(trx, ctx, report);
  }

  /** The point's coordinates when they still fall in its grid (boundaries may have moved since); else the grid itself. */
  private async locationOf(trx: Kysely<DB>, point: PointPlace): Promise<ReportInput['location']> {
    if (point.lng === null || point.lat === null) return { nodeId: point.grid_id };
    const { locator } = await this.locator.get(trx);
    return locator.locate(point.lng, point.lat, 'wgs84').gridId === point.grid_id ? { lng: point.lng, lat: point.lat, crs: 'wgs84' } : { nodeId: point.grid_id };
  }

  private async assemble(db: Kysely<DB>, ctx: RequestContext, id: number, scope: { prefixes: string[] }) {
    const task = await repo.getTask(db, id);
    const points = task ? await repo.listPoints(db, [id], scope) : [];
    if (!task || points.length === 0) throw notFound({ en: `Inspection task ${id}`, zh: `巡查任务 ${id}` });
    const [view] = await this.views(db, ctx, [task], scope);
    if (!view) throw notFound({ en: `Inspection task ${id}`, zh: `巡查任务 ${id}` });
    return { ...view, points };
  }

  /** Each task with the progress rows of the points in scope, and the time its overdue mark is judged at. */
  private async views(db: Kysely<DB>, ctx: RequestContext, tasks: repo.TaskRow[], scope: { prefixes: string[]; under?: string }): Promise<TaskView[]> {
    const ids = tasks.map((t) => t.id);
    // One after the other: inside a transaction both would share its single connection anyway.
    const rows = await repo.progressRows(db, ids, scope);
    const now = nowOf(ctx);
    return tasks.map((task) => ({ task, progress: rows.filter((r) => r.task_id === task.id), now }));
  }
}

type PointPlace = { grid_id: number; lng: number | null; lat: number | null };
export interface TaskView { task: repo.TaskRow; progress: repo.ProgressRow[]; now: Date }

