import { type MetricTotals, onTimeRate, satisfactionRate } from '../../core/stats/formulas.ts';
import { redactPersonal } from '../../core/redact.ts';
import type { ProgressRow, TaskRow } from '../inspection/inspection.repository.ts';
import type * as repo from './screen.repository.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

type MatterRef = Awaited<ReturnType<typeof repo.latestMatters>>[number];
export const presentRef = (m: MatterRef) => ({
  id: m.id, code: m.code, title: m.title, status: m.status, urgent: m.urgent, overdue: m.overdue, dueAt: iso(m.due_at), reportedAt: m.reported_at.toISOString(), areaName: m.area_name,
});

/** An open inspection task with its progress over the points under the screen's node. */
export function presentInspection(t: TaskRow, rows: ProgressRow[], now: Date) {
  const mine = rows.filter((r) => r.task_id === t.id);
  const count = (status?: string) => mine.filter((r) => !status || r.status === status).reduce((n, r) => n + Number(r.n), 0);
  const total = count();
  return { id: t.id, title: t.title, dueAt: t.due_at.toISOString(), overdue: t.due_at < now, total, checked: total - count('pending'), abnormal: count('abnormal') };
}

/** Characters of a group message shown on the screen: a glance, not the message. */
export const EXCERPT_CHARS = 40;

/** A message's text for the screen: personal numbers and self-given names masked, then cut short. */
export function excerpt(text: string): string {
  const chars = [...redactPersonal(text.replace(/\s+/g, ' ').trim())];
  return chars.length > EXCERPT_CHARS ? `${chars.slice(0, EXCERPT_CHARS).join('')}…` : chars.join('');
}

type MessageRef = Awaited<ReturnType<typeof repo.latestMessages>>[number];
/** A group message on the screen: never its full text nor its sender. */
export const presentMessageRef = (m: MessageRef) => ({
  id: m.id, at: m.received_at.toISOString(), gridName: m.grid_name, urgent: m.urgency === 'urgent', urgentKind: m.urgent_kind,
  categoryCode: m.category_code, categoryName: m.category_name, state: m.state, excerpt: excerpt(m.text),
});

export interface ScreenMessages {
  today: string;
  figures: Awaited<ReturnType<typeof repo.messageFigures>>;
  latest: MessageRef[];
}

export const presentMessages = (o: ScreenMessages) => ({
  today: o.today,
  figures: { messages: o.figures.messages, actionable: o.figures.actionable, urgent: o.figures.urgent, handledInGroup: o.figures.handled_in_group, toMatter: o.figures.to_matter },
  latest: o.latest.map(presentMessageRef),
});

export interface Overview {
  node: { id: number; level: string; code: string; name: string };
  now: Date;
  today: string;
  rateFrom: string;
  rates: MetricTotals;
  newToday: number;
  closedToday: number;
  grids: Awaited<ReturnType<typeof repo.openByGrid>>;
  trend: { from: string; to: string; new: number; closed: number }[];
  categories: Awaited<ReturnType<typeof repo.topCategories>>;
  inspections: { tasks: TaskRow[]; progress: ProgressRow[] };
  urgent: MatterRef[];
  latest: MatterRef[];
  online: ScreenMessages;
}

export function presentOverview(o: Overview) {
  return {
    node: { id: o.node.id, level: o.node.level, code: o.node.code, name: o.node.name },
    today: o.today,
    tiles: {
      new: o.newToday,
      closed: o.closedToday,
      open: o.grids.reduce((n, g) => n + g.open, 0),
      rateFrom: o.rateFrom,
      onTimeRate: onTimeRate(o.rates), due: o.rates.due,
      satisfactionRate: satisfactionRate(o.rates), rated: o.rates.rated,
    },
    openByGrid: o.grids.map((g) => ({ gridId: g.grid_id, open: g.open, urgent: g.urgent, overdue: g.overdue })),
    trend: o.trend,
    topCategories: o.categories.map((c) => ({ categoryId: c.id, code: c.code, name: c.name, n: c.n })),
    inspections: o.inspections.tasks.map((t) => presentInspection(t, o.inspections.progress, o.now)),
    urgent: o.urgent.map(presentRef),
    latest: o.latest.map(presentRef),
    online: presentMessages(o.online),
  };
}
