import type { PointRow, ProgressRow, TaskRow } from './inspection.repository.ts';

interface Counts { total: number; normal: number; abnormal: number; pending: number }
export interface GridProgress extends Counts { gridId: number; gridName: string }
export interface Progress { grids: GridProgress[]; totals: Counts }

const zero = (): Counts => ({ total: 0, normal: 0, abnormal: 0, pending: 0 });

/** Folds per-grid, per-state counts into progress per grid (in grid code order) and overall totals. */
export function tally(rows: ProgressRow[]): Progress {
  const byGrid = new Map<number, GridProgress & { code: string }>();
  const totals = zero();
  for (const r of rows) {
    const n = Number(r.n);
    const g = byGrid.get(r.grid_id) ?? { gridId: r.grid_id, gridName: r.grid_name, code: r.grid_code, ...zero() };
    g[r.status] += n;
    g.total += n;
    totals[r.status] += n;
    totals.total += n;
    byGrid.set(r.grid_id, g);
  }
  const grids = [...byGrid.values()].sort((a, b) => a.code.localeCompare(b.code))
    .map((g) => ({ gridId: g.gridId, gridName: g.gridName, total: g.total, normal: g.normal, abnormal: g.abnormal, pending: g.pending }));
  return { grids, totals };
}

export const presentPoint = (p: PointRow) => ({
  id: p.id, gridId: p.grid_id, gridName: p.grid_name, name: p.name, lng: p.lng, lat: p.lat, state: p.status, note: p.note,
  checkedAt: p.checked_at ? p.checked_at.toISOString() : null,
  checkedBy: p.checked_by !== null ? { id: p.checked_by, name: p.checked_by_name ?? '' } : null,
  matterId: p.matter_id,
});

/** A task with its progress over the points the viewer may see. */
export function presentTask({ task: t, progress: rows, now }: { task: TaskRow; progress: ProgressRow[]; now: Date }) {
  const progress = tally(rows);
  return {
    id: t.id, nodeId: t.node_id, nodeName: t.node_name, title: t.title, description: t.description,
    category: t.category_code && t.category_name ? { code: t.category_code, name: t.category_name } : null,
    urgent: t.urgent, dueAt: t.due_at.toISOString(), status: t.status, overdue: t.status === 'open' && t.due_at < now,
    createdAt: t.created_at.toISOString(), createdBy: t.created_by !== null ? { id: t.created_by, name: t.created_by_name ?? '' } : null,
    progress,
  };
}

/** A task with the points the viewer may see. */
export const presentTaskDetail = (v: { task: TaskRow; progress: ProgressRow[]; now: Date; points: PointRow[] }) => ({ ...presentTask(v), points: v.points.map(presentPoint) });

export const presentCheck = (r: { point: PointRow; progress: ProgressRow[] }) => ({ point: presentPoint(r.point), progress: tally(r.progress) });
