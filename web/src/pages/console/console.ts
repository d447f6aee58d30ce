import { onBeforeUnmount, onMounted, ref } from 'vue';
import { type LocationQuery, useRoute, useRouter } from 'vue-router';
import { request } from '../../api/client.ts';
import { session } from '../../shared/session.ts';

/** Shapes of the matters API as the console reads them (see src/modules/matters/matters.schema.ts). */
export interface ListItem {
  id: number; code: string; title: string; source: string; status: string; stage: number; level: string; urgent: boolean;
  dueAt: string | null; overdue: boolean; reportedAt: string | null; closedAt: string | null; categoryId: number | null; categoryName: string | null;
  areaNodeId: number; areaName: string | null; ownerNodeId: number; satisfaction: string | null; possibleDuplicateOf: number | null;
}
export interface Page<T> { items: T[]; nextCursor: string | null }
export interface NodeRow { id: number; parentId: number | null; level: string; code: string; name: string }
export interface Category { id: number; code: string; name: string; major: string; catalogue: string; deadlineAmount?: number; deadlineUnit?: string }
export interface Board { id: number; nodeId: number; kind: string; name: string; posts: { id: number; name: string }[] }
export interface Department { id: number; nodeId: number; name: string; kind: string; boardId: number | null; status: string }

export const SOURCES = ['group_message', 'visit', 'patrol', 'resident_report', 'hotline', 'sensor', 'inspection'] as const;
export const STATUSES = ['reported', 'registered', 'dispatched', 'handling', 'handled', 'feedback', 'closed', 'suspended', 'merged', 'rejected'] as const;
export const OPEN_STATUSES = 'registered,dispatched,handling,handled,feedback,suspended';
export const LEVELS = ['grid', 'community', 'town', 'district'] as const;

/** The node the signed-in staff member works over: the first centre, admin or community assignment. */
export function homeNodeId(): number | null {
  const a = session.me.value?.assignments.find((x) => ['centre_operator', 'admin', 'community_staff'].includes(x.role))
    ?? session.me.value?.assignments.find((x) => x.nodeId);
  return a?.nodeId ?? null;
}

/** Lists every page of a cursor-paged list (the console's lists are a few hundred rows at most). */
export async function listAll<T>(url: string, params: Record<string, string | number | undefined>, max = 1000): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
    if (cursor) q.set('cursor', cursor);
    const page: Page<T> = await request<Page<T>>('GET', `${url}?${q}`);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && out.length < max);
  return out;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** A time as Beijing wall-clock "MM-DD HH:mm" (or with the year when asked). */
export function fmtTime(iso: string | null | undefined, withYear = false): string {
  if (!iso) return '—';
  const d = new Date(new Date(iso).getTime() + 8 * 3600_000);
  const date = `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return withYear ? `${d.getUTCFullYear()}-${date}` : date;
}
/** Today in Beijing as YYYY-MM-DD. */
export const beijingDay = (at = new Date()) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** "3天4小时" / "2h 5m": how far a due time is from now, without the sign. */
export function span(ms: number, lang: string): string {
  const m = Math.max(0, Math.round(Math.abs(ms) / 60_000));
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const min = m % 60;
  if (lang === 'en') return d ? `${d}d ${h}h` : h ? `${h}h ${min}m` : `${min}m`;
  return d ? `${d}天${h}小时` : h ? `${h}小时${min}分` : `${min}分钟`;
}

export function statusType(status: string): 'primary' | 'success' | 'warning' | 'danger' | 'info' {
  if (status === 'reported') return 'warning';
  if (status === 'closed') return 'success';
  if (status === 'rejected' || status === 'merged') return 'info';
  if (status === 'suspended') return 'info';
  return 'primary';
}

/** Filters kept in the URL query: read them as strings, write them back with router.replace. */
export function useQueryFilters<T extends Record<string, string>>(defaults: T) {
  const route = useRoute();
  const router = useRouter();
  const read = (q: LocationQuery): T => {
    const out = { ...defaults };
    for (const k of Object.keys(defaults) as (keyof T)[]) {
      const v = q[k as string];
      if (typeof v === 'string') out[k] = v as T[keyof T];
    }
    return out;
  };
  const filters = ref(read(route.query)) as { value: T };
  function apply() {
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(filters.value)) if (v !== '' && v !== defaults[k]) query[k] = v;
    return router.replace({ query });
  }
  return { filters, apply, read };
}

/**
 * Live updates of matters (SSE /api/live/matters): calls onEvent for each created/dispatched/overdue/
 * closed/updated event; after a reconnect the caller refetches (nothing is replayed).
 */
export function useLiveMatters(onEvent: (type: string, data: { id: number; action: string; status: string; urgent: boolean }) => void) {
  let source: EventSource | null = null;
  const connected = ref(false);
  onMounted(() => {
    if (typeof EventSource === 'undefined') return;
    source = new EventSource('/api/live/matters');
    source.onopen = () => { connected.value = true; };
    source.onerror = () => { connected.value = false; };
    for (const type of ['created', 'dispatched', 'overdue', 'closed', 'updated']) {
      source.addEventListener(type, (e) => {
        try {
          onEvent(type, JSON.parse((e as MessageEvent).data));
        } catch {
          // a malformed event is ignored; the next refresh brings the truth
        }
      });
    }
  });
  onBeforeUnmount(() => source?.close());
  return { connected };
}

/** The count of new (reported) matters for the menu badge, kept fresh by the live stream. */
export const newCount = ref<number | null>(null);
export async function refreshNewCount(): Promise<void> {
  try {
    const items = await listAll<ListItem>('/api/matters', { status: 'reported', limit: 200, order: 'recent' }, 1000);
    newCount.value = items.length;
  } catch {
    newCount.value = null;
  }
}
