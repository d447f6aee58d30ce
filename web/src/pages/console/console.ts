import { onBeforeUnmount, onMounted, ref } from 'vue';
import { type LocationQuery, useRoute, useRouter } from 'vue-router';
import { api, unwrap } from '../../api/client.ts';
import type { Item, MatterItem, NodeItem, PagedPath, Query } from '../../api/types.ts';
import { session } from '../../shared/session.ts';
import { BEIJING_OFFSET_MS, beijingDay as dayInBeijing } from '../../../../src/core/beijing.ts';

/** Shapes of the API as the console reads them, from the generated schema. */
export type ListItem = MatterItem;
/** A node as lists and details both give it. */
export type NodeRow = Pick<NodeItem, 'id' | 'parentId' | 'level' | 'code' | 'name'>;
export type { Board, Category, Department } from '../../api/types.ts';

// The domain's words come from the server's core, so a page's lists cannot drift from the API's enums.
export { MATTER_LEVELS as LEVELS, MATTER_SOURCES as SOURCES, MATTER_STATUSES as STATUSES } from '../../../../src/core/vocabulary.ts';

/** The node the signed-in staff member works over: the first centre, admin or community assignment. */
export function homeNodeId(): number | null {
  const a = session.me.value?.assignments.find((x) => ['centre_operator', 'admin', 'community_staff'].includes(x.role))
    ?? session.me.value?.assignments.find((x) => x.nodeId);
  return a?.nodeId ?? null;
}

/** Lists every page of a cursor-paged list (the console's lists are a few hundred rows at most). */
export async function listAll<P extends PagedPath>(url: P, params: Omit<Query<P>, 'cursor'>, max = 1000): Promise<Item<P>[]> {
  const out: Item<P>[] = [];
  const query: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') query[k] = v;
  let cursor: string | null = null;
  do {
    // The path is generic here, so the call is typed by this function's signature (derived from the schema) instead.
    const page = await unwrap(api.GET(url as never, { params: { query: cursor ? { ...query, cursor } : query } } as never)) as { items: Item<P>[]; nextCursor: string | null };
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && out.length < max);
  return out;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** A time as Beijing wall-clock "MM-DD HH:mm" (or with the year when asked). */
export function fmtTime(iso: string | null | undefined, withYear = false): string {
  if (!iso) return '—';
  const d = new Date(new Date(iso).getTime() + BEIJING_OFFSET_MS);
  const date = `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return withYear ? `${d.getUTCFullYear()}-${date}` : date;
}
/** Today (or the day of `at`) in Beijing as YYYY-MM-DD. */
export const beijingDay = (at = new Date()) => dayInBeijing(at);

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
    const items = await listAll('/api/matters', { status: 'reported', limit: 200, order: 'recent' }, 1000);
    newCount.value = items.length;
  } catch {
    newCount.value = null;
  }
}
