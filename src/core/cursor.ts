import { z } from 'zod';
import { AppError } from './errors.ts';

/** Opaque keyset cursors: the last row's sort key, base64url-encoded, so pages stay stable under inserts. */
export function encodeCursor(key: (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string): (string | number)[] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.every((v) => typeof v === 'string' || typeof v === 'number')) return parsed;
  } catch {
    // fall through to the error below
  }
  throw new AppError('INVALID_CURSOR');
}

/** The id a keyset cursor of an id-ordered list carries; undefined on the first page. */
export function cursorId(cursor: string | undefined): number | undefined {
  if (!cursor) return undefined;
  const id = Number(decodeCursor(cursor)[0]);
  if (!Number.isSafeInteger(id)) throw new AppError('INVALID_CURSOR');
  return id;
}

/** The text key (a code, a name) a keyset cursor carries; undefined on the first page. */
export function cursorText(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  const key = decodeCursor(cursor)[0];
  if (key === undefined) throw new AppError('INVALID_CURSOR');
  return String(key);
}

/** The (time, id) key of a list ordered by a timestamp then id, as `page(rows, limit, (r) => [r.at.toISOString(), r.id])` wrote it. */
export function cursorTimeId(cursor: string | undefined): { at: Date; id: number } | undefined {
  if (!cursor) return undefined;
  const [at, id] = decodeCursor(cursor);
  const when = typeof at === 'string' ? new Date(at) : null;
  if (!when || Number.isNaN(when.getTime()) || typeof id !== 'number' || !Number.isSafeInteger(id)) throw new AppError('INVALID_CURSOR');
  return { at: when, id };
}

/** Cuts one extra fetched row off a page and makes the next cursor from the last row kept. */
export function page<T>(rows: T[], limit: number, keyOf: (row: T) => (string | number)[]) {
  const hasMore = rows.length > limit;
  const items = hasMore ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: hasMore && last !== undefined ? encodeCursor(keyOf(last)) : null };
}

/** The response of every paged list: one page of items and the cursor of the next page (null on the last). */
export const pageSchema = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
