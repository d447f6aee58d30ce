import { reactive, shallowRef } from 'vue';

/** One page of a cursor-paged list, as every paged endpoint answers it (pageSchema in src/core/cursor.ts). */
export interface Page<T> { items: T[]; nextCursor: string | null }

/**
 * A cursor-paged list on a page: `reload()` fetches the first page, `more()` appends the next one, and
 * `finished` says whether the server has more, so no list stops at a page size without saying so.
 * The object is reactive, so `v-model:loading="list.loading"` works with Vant's van-list.
 */
export function usePaged<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>) {
  let generation = 0;
  let inFlight = false;
  const state = reactive({
    // A shallow ref: the rows are replaced, never changed in place, and stay the caller's own type.
    items: shallowRef<T[]>([]),
    next: null as string | null,
    /** A page is being fetched (van-list sets it before it emits load). */
    loading: false,
    /** The first page has been fetched and no further page exists. */
    finished: false,
    /** The first page has arrived (so an empty list is really empty). */
    loaded: false,
    error: null as unknown,
    async reload(): Promise<void> {
      const mine = ++generation;
      inFlight = true;
      state.loading = true;
      state.error = null;
      try {
        const page = await fetchPage(undefined);
        if (mine !== generation) return;
        state.items = page.items;
        state.next = page.nextCursor;
        state.finished = page.nextCursor === null;
        state.loaded = true;
      } catch (e) {
        if (mine === generation) { state.error = e; state.finished = true; }
      } finally {
        if (mine === generation) { inFlight = false; state.loading = false; }
      }
    },
    async more(): Promise<void> {
      if (inFlight) return;
      if (!state.loaded) return state.reload();
      const cursor = state.next;
      if (!cursor) { state.finished = true; state.loading = false; return; }
      const mine = generation;
      inFlight = true;
      state.loading = true;
      try {
        const page = await fetchPage(cursor);
        if (mine !== generation) return;
        state.items = [...state.items, ...page.items];
        state.next = page.nextCursor;
        state.finished = page.nextCursor === null;
      } catch (e) {
        if (mine === generation) state.error = e;
      } finally {
        if (mine === generation) { inFlight = false; state.loading = false; }
      }
    },
  });
  return state;
}

/** A paged list's state as the "shown so far" line reads it. */
export type Paged<T = unknown> = ReturnType<typeof usePaged<T>>;

/**
 * Fetches pages until `enough(items)` holds or the list ends; answers the rows and whether more remain.
 * For pages that filter what the server sends (so one page may show nothing) yet must say when they stop early.
 */
export async function fetchUntil<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>, max: number): Promise<{ items: T[]; nextCursor: string | null }> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && items.length < max);
  return { items, nextCursor: cursor ?? null };
}
