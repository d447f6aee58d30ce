import type { z } from 'zod';
import { beijingDay, endOfBeijingDay, startOfBeijingDay } from '../../core/beijing.ts';
import { nowOf, type RequestContext } from '../../core/scope.ts';
import type { AppDeps } from '../../deps.ts';
import { assertMayReadNode } from '../stats/stats.policy.ts';
import type { StructureService } from '../structure/structure.service.ts';
import * as repo from './figures.repository.ts';
import type { figuresQuery } from './figures.schema.ts';

const rate = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 1000) / 1000);

/**
 * Deliberation's figures (议事协商统计) for a node and each of its children: topics raised, decided, rejected and
 * implemented — the last is "livelihood matters solved by deliberation" (通过议事解决民生问题, Baqiao's 387) —
 * the share of the scope's residents who took part (supported, voted, commented, pledged or attended), the
 * satisfaction of the matters linked to topics, and the crowdfunded totals.
 */
export class FiguresService {
  constructor(private readonly deps: AppDeps, private readonly structure: StructureService) {}

  async figures(ctx: RequestContext, q: z.infer<typeof figuresQuery>) {
    const node = await this.structure.requireNode(q.nodeId);
    assertMayReadNode(ctx.actor, node.path);
    const from = startOfBeijingDay(q.from);
    const to = endOfBeijingDay(q.to);
    const children = await repo.childNodes(this.deps.db, node.id);
    const [own, ...rows] = await Promise.all([node, ...children].map((n) => repo.figuresUnder(this.deps.db, n.path, from, to)));
    if (!own) throw new Error('No figures for the node itself.');
    return {
      node: { id: node.id, name: node.name, code: node.code, level: node.level }, from: q.from, to: q.to, ...present(own),
      items: children.map((c, i) => ({ node: { id: c.id, name: c.name, code: c.code, level: c.level }, ...present(rows[i] ?? own) })),
    };
  }

  /** The big screen's deliberation panel: this year's figures so far and the latest topics. */
  async screen(ctx: RequestContext, nodeId: number) {
    const node = await this.structure.requireNode(nodeId);
    assertMayReadNode(ctx.actor, node.path);
    const today = beijingDay(nowOf(ctx));
    const from = `${today.slice(0, 4)}-01-01`;
    const [figures, latest] = await Promise.all([
      repo.figuresUnder(this.deps.db, node.path, startOfBeijingDay(from), endOfBeijingDay(today)),
      repo.latestTopics(this.deps.db, node.path, 8),
    ]);
    return {
      from, to: today, ...present(figures),
      latest: latest.map((t) => ({ id: t.id, title: t.title, stage: t.stage, supports: t.supports, nodeName: t.node_name, updatedAt: new Date(t.updated_at).toISOString() })),
    };
  }
}

function present(r: Awaited<ReturnType<typeof repo.figuresUnder>>) {
  return {
    raised: r.raised, decided: r.decided, rejected: r.rejected, implemented: r.implemented, solvedByDeliberation: r.implemented, open: r.open,
    residents: r.residents, participants: r.participants, participationRate: rate(r.participants, r.residents),
    rated: r.rated, satisfied: r.satisfied, satisfactionRate: rate(r.satisfied, r.rated),
    pledgedYuan: r.pledged_yuan, deliveredYuan: r.delivered_yuan, labourHours: r.labour_hours,
  };
}
