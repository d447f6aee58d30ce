import { MATTER_LEVELS, MATTER_SOURCES, MATTER_STATUSES } from '../../core/vocabulary.ts';
import type { CountRow } from './stats.repository.ts';

export interface CategoryRef { id: number; code: string; name: string }

const zeros = <K extends string>(keys: readonly K[]): Record<K, number> => {
  const out = {} as Record<K, number>; // filled with every key on the next line
  for (const k of keys) out[k] = 0;
  return out;
};
const isKey = <K extends string>(keys: readonly K[], value: string): value is K => (keys as readonly string[]).includes(value);

/** The "reported" block from matter_counts rows of one node; category 0 is a matter not yet categorised. */
export function presentReported(rows: CountRow[], categories: Map<number, CategoryRef>) {
  const bySource = zeros(MATTER_SOURCES);
  const byLevel = zeros(MATTER_LEVELS);
  const byStatus = zeros(MATTER_STATUSES);
  const byCategory = new Map<number, number>();
  let total = 0;
  for (const r of rows) {
    total += r.n;
    if (isKey(MATTER_SOURCES, r.source)) bySource[r.source] += r.n;
    if (isKey(MATTER_LEVELS, r.level)) byLevel[r.level] += r.n;
    if (isKey(MATTER_STATUSES, r.status)) byStatus[r.status] += r.n;
    byCategory.set(r.category_id, (byCategory.get(r.category_id) ?? 0) + r.n);
  }
  const categoryItems = [...byCategory]
    .filter(([, n]) => n !== 0)
    .map(([id, n]) => {
      const c = categories.get(id);
      return { categoryId: id === 0 ? null : id, code: c?.code ?? null, name: c?.name ?? null, n };
    })
    // By category code; uncategorised last.
    .sort((a, b) => (a.code === null ? 1 : b.code === null ? -1 : a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return { total, bySource, byCategory: categoryItems, byLevel, byStatus };
}

export const presentNodeRef = (n: { id: number; level: string; code: string; name: string }) => ({ id: n.id, level: n.level, code: n.code, name: n.name });
