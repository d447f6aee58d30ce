import type { z } from 'zod';
import { AppError, notFound } from '../../core/errors.ts';
import type { RequestContext } from '../../core/scope.ts';
import type { AppDeps } from '../../deps.ts';
import { heldCount, onlineFigures } from './messages.repository.ts';
import type { statsQuery } from './online.schema.ts';
import { messageScope } from './online.policy.ts';

interface Figures { messages: number; actionable: number; urgent: number; toMatter: number; handledInGroup: number }
const zero = (): Figures => ({ messages: 0, actionable: 0, urgent: 0, toMatter: 0, handledInGroup: 0 });

/** Online-grid figures for a subtree and a period: what came in, what was sensed, and what became of it. */
export class OnlineStatsService {
  constructor(private readonly deps: AppDeps) {}

  async figures(ctx: RequestContext, q: z.infer<typeof statsQuery>) {
    const prefixes = messageScope(ctx.actor);
    const { db } = this.deps;
    const under = q.under
      ? await db.selectFrom('nodes').select(['id', 'path', 'name']).where('id', '=', q.under).executeTakeFirst()
      : await db.selectFrom('nodes').select(['id', 'path', 'name']).where('path', '=', prefixes[0] ?? '').executeTakeFirst();
    if (!under) throw notFound(`Node ${q.under}`);
    if (!prefixes.some((p) => under.path.startsWith(p))) throw new AppError('FORBIDDEN', 'That part of the tree is outside your scope.');
    const from = q.from ? new Date(`${q.from}T00:00:00+08:00`) : new Date(0);
    const to = q.to ? new Date(new Date(`${q.to}T00:00:00+08:00`).getTime() + 86400_000) : new Date('9999-12-31T00:00:00Z');
    const rows = await onlineFigures(db, under.path, from, to);
    const grids = rows.map((r) => ({ gridId: r.grid_id, name: r.grid_name, messages: r.messages, actionable: r.actionable, urgent: r.urgent, toMatter: r.to_matter, handledInGroup: r.handled_in_group }));
    const communityIds = [...new Set(rows.map((r) => Number(r.grid_path.split('/').filter(Boolean).at(-2))))].filter((n) => Number.isInteger(n));
    const communities = communityIds.length ? await db.selectFrom('nodes').select(['id', 'name']).where('id', 'in', communityIds).execute() : [];
    const byCommunity = new Map<number, Figures & { communityId: number; name: string }>();
    const totals = zero();
    for (const r of rows) {
      const cid = Number(r.grid_path.split('/').filter(Boolean).at(-2));
      const c = byCommunity.get(cid) ?? { communityId: cid, name: communities.find((x) => x.id === cid)?.name ?? '', ...zero() };
      for (const f of [c, totals]) {
        f.messages += r.messages; f.actionable += r.actionable; f.urgent += r.urgent; f.toMatter += r.to_matter; f.handledInGroup += r.handled_in_group;
      }
      byCommunity.set(cid, c);
    }
    // Held messages have no grid yet: only administrators, who release them, are shown their number.
    const held = ctx.actor?.assignments.some((a) => a.role === 'admin') ? await heldCount(db, from, to) : null;
    return { under: { id: under.id, name: under.name }, totals: { ...totals, held }, grids, communities: [...byCommunity.values()] };
  }
}
