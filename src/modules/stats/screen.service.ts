import { AppError, denied, notFound } from '../../core/errors.ts';
import { holdsOn, nowOf, prefixesFor, type RequestContext } from '../../core/scope.ts';
import { beijingDay, endOfBeijingDay, shiftBeijingDay, startOfBeijingDay } from '../../core/beijing.ts';
import { areaSubject } from '../../core/stats/deltas.ts';
import { dueCap, emptyTotals } from '../../core/stats/formulas.ts';
import type { Role } from '../../core/vocabulary.ts';
import type { AppDeps } from '../../deps.ts';
import * as inspections from '../inspection/inspection.repository.ts';
import * as stats from './stats.repository.ts';
import * as repo from './screen.repository.ts';
import { getNode } from '../structure/structure.repository.ts';

/** The big screen is the centre's: operators and administrators over the node. */
const SCREEN: readonly Role[] = ['admin', 'centre_operator'];
/** Rates on the tiles cover the last 30 days; a single day is too few matters for a rate. */
export const RATE_DAYS = 30;
export const TREND_WEEKS = 8;
/** Group messages in the online panel: the latest actionable or urgent ones. */
export const MESSAGES_SHOWN = 12;

/**
 * The figures of the big screen (大屏) for one node (a town, usually), in one answer: today's tiles, open
 * matters per grid for the map, weekly trends, top categories, open inspection tasks, and the urgent and
 * latest matters the live feed starts from. Counts come from the rollups (docs/statistics.md); only the
 * open matters per grid and the matter lists are read from the matters themselves.
 */
export class ScreenService {
  constructor(private readonly deps: AppDeps) {}

  /** The node of a screen, if the caller is the centre over it. */
  private async screenNode(ctx: RequestContext, nodeId: number) {
    if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
    const node = await getNode(this.deps.db, nodeId);
    if (!node) throw notFound(`Node ${nodeId}`);
    if (!holdsOn(ctx.actor, SCREEN, node.path)) throw denied(ctx.actor, { en: 'Only the centre (operators and administrators) over this node may open its big screen.', zh: '只有上级综治中心（值班员和管理员）才能打开这里的大屏。' });
    return node;
  }

  /**
   * The online grid at work under a node: today's group messages (taken in, actionable, urgent, handled in
   * the group, turned into matters) and the latest actionable or urgent ones. What the screen refetches on
   * each event of /api/live/messages.
   */
  async messages(ctx: RequestContext, nodeId: number) {
    const node = await this.screenNode(ctx, nodeId);
    return this.messagesOf(node.path, beijingDay(nowOf(ctx)));
  }

  private async messagesOf(path: string, today: string) {
    const { db } = this.deps;
    const [figures, latest] = await Promise.all([
      repo.messageFigures(db, path, startOfBeijingDay(today), endOfBeijingDay(today)),
      repo.latestMessages(db, path, MESSAGES_SHOWN),
    ]);
    return { today, figures, latest };
  }

  async overview(ctx: RequestContext, nodeId: number) {
    const { db } = this.deps;
    const node = await this.screenNode(ctx, nodeId);
    const now = nowOf(ctx);
    const today = beijingDay(now);
    const rateFrom = shiftBeijingDay(today, -(RATE_DAYS - 1));
    const trendFrom = shiftBeijingDay(today, -(TREND_WEEKS * 7 - 1));
    const subject = areaSubject(node.id);

    const [grids, reported, closes, totals, categories, urgent, latest, online] = await Promise.all([
      repo.openByGrid(db, node.path, now),
      repo.reportedPerDay(db, node.id, trendFrom, today),
      repo.closesPerDay(db, subject, trendFrom, today),
      stats.metricTotals(db, [subject], rateFrom, today, dueCap(today, now)),
      repo.topCategories(db, node.id, rateFrom, today, 8),
      repo.urgentMatters(db, node.path, now, 20),
      repo.latestMatters(db, node.path, now, 20),
      this.messagesOf(node.path, today),
    ]);
    const byDay = (rows: { day: string; n: number }[]) => new Map(rows.map((r) => [r.day, r.n]));
    const newOn = byDay(reported);
    const closedOn = byDay(closes);
    const sum = (m: Map<string, number>, from: string, to: string) => {
      let n = 0;
      for (let d = from; d <= to; d = shiftBeijingDay(d, 1)) n += m.get(d) ?? 0;
      return n;
    };
    // Seven-day windows ending today, oldest first, so the last point is a whole week too.
    const trend = Array.from({ length: TREND_WEEKS }, (_, i) => {
      const to = shiftBeijingDay(today, -7 * (TREND_WEEKS - 1 - i));
      const from = shiftBeijingDay(to, -6);
      return { from, to, new: sum(newOn, from, to), closed: sum(closedOn, from, to) };
    });

    return {
      node, now, today, rateFrom, rates: totals.get(subject) ?? emptyTotals(), newToday: newOn.get(today) ?? 0, closedToday: closedOn.get(today) ?? 0,
      grids, trend, categories, inspections: await this.inspections(ctx, node.path), urgent, latest, online,
    };
  }

  /** Open inspection tasks with points under the node, due soonest first, with their progress there. */
  private async inspections(ctx: RequestContext, path: string) {
    const scope = { prefixes: prefixesFor(ctx.actor, SCREEN), under: path };
    const tasks = (await inspections.listTasks(this.deps.db, { ...scope, status: 'open', limit: 8, order: 'due' })).slice(0, 8);
    return { tasks, progress: await inspections.progressRows(this.deps.db, tasks.map((t) => t.id), scope) };
  }
}
