import type { z } from 'zod';
import { endOfBeijingDay, startOfBeijingDay } from '../../core/beijing.ts';
import type { RequestContext } from '../../core/scope.ts';
import type { AppDeps } from '../../deps.ts';
import { listNodes } from './lookups.repository.ts';
import { heldCount, onlineFigures } from './messages.repository.ts';
import type { statsQuery } from './online.schema.ts';
import { isAdmin } from './online.policy.ts';
import { figuresNode } from './subtree.service.ts';

/** What came in and what became of it, counted over a grid, a community or the whole subtree. */
export interface Figures { messages: number; actionable: number; urgent: number; to_matter: number; handled_in_group: number }
const zero = (): Figures => ({ messages: 0, actionable: 0, urgent: 0, to_matter: 0, handled_in_group: 0 });
const FIGURES = Object.keys(zero()) as (keyof Figures)[]; // the keys of a Figures, as zero() lists them

/** A grid's community is its parent: the second-last id of its path. */
const communityOf = (gridPath: string) => Number(gridPath.split('/').filter(Boolean).at(-2));

/** Online-grid figures for a subtree and a period: what came in, what was sensed, and what became of it. */
export class OnlineStatsService {
  constructor(private readonly deps: AppDeps) {}

  async figures(ctx: RequestContext, q: z.infer<typeof statsQuery>) {
    const { db } = this.deps;
    const under = await figuresNode(db, ctx.actor, q.under);
    const from = q.from ? startOfBeijingDay(q.from) : new Date(0);
    const to = q.to ? endOfBeijingDay(q.to) : new Date('9999-12-31T00:00:00Z');
    const grids = await onlineFigures(db, under.path, from, to);
    const names = await listNodes(db, [...new Set(grids.map((r) => communityOf(r.grid_path)))].filter((n) => Number.isInteger(n)));
    const communities = new Map<number, Figures & { id: number; name: string }>();
    const totals = zero();
    for (const r of grids) {
      const id = communityOf(r.grid_path);
      const c = communities.get(id) ?? { id, name: names.find((x) => x.id === id)?.name ?? '', ...zero() };
      for (const f of [c, totals]) for (const k of FIGURES) f[k] += r[k];
      communities.set(id, c);
    }
    // Held messages have no grid yet: only administrators, who release them, are shown their number.
    const held = isAdmin(ctx.actor) ? await heldCount(db, from, to) : null;
    return { under, totals, held, grids, communities: [...communities.values()] };
  }
}
