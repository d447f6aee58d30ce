import { computed, ref } from 'vue';
import { api, unwrap } from '../../api/client.ts';
import type { NodeItem } from '../../api/types.ts';
import { session } from '../../shared/session.ts';

export type GridRef = Pick<NodeItem, 'id' | 'name' | 'code'>;

const GRID_ROLES = ['grid_worker', 'grid_chief'];
const KEY = 'dg.m.grids';
const names = ref<Record<number, GridRef>>(JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<number, GridRef>);

/** The grids I work in (as grid worker or chief), with names fetched once and kept on the phone for offline use. */
export const myGridIds = computed(() => [...new Set((session.me.value?.assignments ?? []).filter((a) => GRID_ROLES.includes(a.role)).map((a) => a.nodeId))]);
export const myGrids = computed<GridRef[]>(() => myGridIds.value.map((id) => names.value[id] ?? { id, name: `#${id}`, code: '' }));

export async function loadGridNames(): Promise<void> {
  const missing = myGridIds.value.filter((id) => !names.value[id]);
  for (const id of missing) {
    try {
      const n = await unwrap(api.GET('/api/nodes/{id}', { params: { path: { id } } }));
      names.value = { ...names.value, [id]: { id: n.id, name: n.name, code: n.code } };
    } catch {
      // offline: the id stands in until the network returns
    }
  }
  localStorage.setItem(KEY, JSON.stringify(names.value));
}

/** A short Chinese countdown or overdue time: "2天3小时", "45分钟". */
export function span(ms: number, t: (k: string, v: Record<string, unknown>) => string): string {
  const m = Math.max(0, Math.floor(Math.abs(ms) / 60_000));
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  if (d > 0) return t('worker.inbox.days', { d, h });
  if (h > 0) return t('worker.inbox.hours', { h, m: m % 60 });
  return t('worker.inbox.minutes', { m });
}

export const fmtTime = (iso: string | null): string => (iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }) : '');
