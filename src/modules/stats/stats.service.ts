import type { z } from 'zod';
import { notFound } from '../../core/errors.ts';
import { nowOf, type RequestContext } from '../../core/scope.ts';
import { areaSubject, assigneeSubject, pathIds } from '../../core/stats/deltas.ts';
import { dueCap, emptyTotals, figures } from '../../core/stats/formulas.ts';
import type { AppDeps } from '../../deps.ts';
import { assertMayReadNode, assertSomeVisible, handlerScope } from './stats.policy.ts';
import { type CategoryRef, presentNodeRef, presentReported } from './stats.presenter.ts';
import * as repo from './stats.repository.ts';
import type { handlersQuery, rangeQuery } from './stats.schema.ts';
import { getNode } from '../structure/structure.repository.ts';

type RangeQuery = z.infer<typeof rangeQuery>;
type HandlersQuery = z.infer<typeof handlersQuery>;

/**
 * Statistics for any node of the tree and any date range, read from the rollups that the matters
 * service keeps in step with every change; only "overdue now" is asked of the live matters. "Today" and
 * "now" follow the request's clock (nowOf), as the demo replay does.
 */
export class StatsService {
  constructor(private readonly deps: AppDeps) {}

  async summary(ctx: RequestContext, q: RangeQuery) {
    const node = await this.requireNode(q.nodeId);
    assertMayReadNode(ctx.actor, node.path);
    const { db } = this.deps;
    const now = nowOf(ctx);
    const subject = areaSubject(node.id);
    const [counts, totals, overdue] = await Promise.all([
      repo.reportedCounts(db, [node.id], q.from, q.to),
      repo.metricTotals(db, [subject], q.from, q.to, dueCap(q.to, now)),
      repo.overdueUnder(db, node.path, now, false),
    ]);
    const cats = await this.categories(counts);
    return {
      node: presentNodeRef(node), from: q.from, to: q.to,
      reported: presentReported(counts, cats),
      ...figures(totals.get(subject) ?? emptyTotals(), overdue.get(0) ?? 0),
    };
  }

  /** The same figures for each child of the node (grids of a community, communities of a town, ...), by code. */
  async breakdown(ctx: RequestContext, q: RangeQuery) {
    const node = await this.requireNode(q.nodeId);
    assertMayReadNode(ctx.actor, node.path);
    const { db } = this.deps;
    const now = nowOf(ctx);
    const children = await repo.childNodes(db, node.id);
    const [counts, totals, overdue] = await Promise.all([
      repo.reportedCounts(db, children.map((c) => c.id), q.from, q.to),
      repo.metricTotals(db, children.map((c) => areaSubject(c.id)), q.from, q.to, dueCap(q.to, now)),
      repo.overdueUnder(db, node.path, now, true),
    ]);
    const cats = await this.categories(counts);
    const items = children.map((c) => ({
      node: presentNodeRef(c),
      reported: presentReported(counts.filter((r) => r.node_id === c.id), cats),
      ...figures(totals.get(areaSubject(c.id)) ?? emptyTotals(), overdue.get(c.id) ?? 0),
    }));
    return { node: presentNodeRef(node), from: q.from, to: q.to, items };
  }

  /**
   * The same figures per department, post or board serving the node: departments attached to it or its
   * ancestors, and the boards and posts of its governance centre (the nearest town, else district).
   * A handler's figures cover all its matters, wherever they are: handlers are assessed as a whole.
   */
  async handlers(ctx: RequestContext, q: HandlersQuery) {
    const node = await this.requireNode(q.nodeId);
    const scope = handlerScope(ctx.actor, node.path);
    const { db } = this.deps;
    const now = nowOf(ctx);
    const all = (await this.handlersServing(node.path, q.kind)).map((h) => ({ ...h, subject: assigneeSubject(q.kind, h.id) }));
    const visible = scope === 'all' ? all : all.filter((h) => scope.has(h.subject));
    if (scope !== 'all') assertSomeVisible(ctx.actor, visible.length);
    const [totals, overdue] = await Promise.all([
      repo.metricTotals(db, visible.map((h) => h.subject), q.from, q.to, dueCap(q.to, now)),
      repo.overdueByHandler(db, q.kind, visible.map((h) => h.id), now),
    ]);
    const items = visible.map((h) => ({
      kind: q.kind, id: h.id, name: h.name, subject: h.subject,
      ...figures(totals.get(h.subject) ?? emptyTotals(), overdue.get(h.id) ?? 0),
    }));
    return { node: presentNodeRef(node), from: q.from, to: q.to, kind: q.kind, items };
  }

  private async handlersServing(path: string, kind: 'department' | 'post' | 'board'): Promise<{ id: number; name: string }[]> {
    const { db } = this.deps;
    const ids = pathIds(path);
    if (kind === 'department') return repo.departmentsOn(db, ids);
    const ancestors = await repo.nodesByIds(db, ids);
    const centre = ancestors.filter((a) => a.level === 'town' || a.level === 'district').sort((a, b) => b.path.length - a.path.length)[0];
    if (!centre) return [];
    const boards = await repo.boardsOn(db, centre.id);
    return kind === 'board' ? boards : repo.postsOf(db, boards.map((b) => b.id));
  }

  private async categories(rows: repo.CountRow[]): Promise<Map<number, CategoryRef>> {
    const ids = [...new Set(rows.map((r) => r.category_id).filter((id) => id !== 0))];
    return new Map((await repo.categories(this.deps.db, ids)).map((c) => [c.id, c]));
  }

  private async requireNode(id: number) {
    const node = await getNode(this.deps.db, id);
    if (!node) throw notFound(`Node ${id}`);
    return node;
  }
}
