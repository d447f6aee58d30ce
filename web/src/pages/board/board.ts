import type { Ok } from '../../api/types.ts';

/** GET /api/public/board/communities/:id (src/modules/deliberation/board.schema.ts). */
export type CommunityBoard = Ok<'/api/public/board/communities/{id}'>;
/** GET /api/public/board/topics/:id. */
export type TopicBoard = Ok<'/api/public/board/topics/{id}'>;
export type BoardTopic = CommunityBoard['topics'][number];

/** 2025年3月5日, Beijing time: the date a reader in the stairwell reads. */
export function day(iso: string | null | undefined): string {
  if (!iso) return '';
  return new Date(iso).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric' });
}

/** 1 234 → 1,234; money and hours are whole numbers on the board. */
export const num = (n: number | null | undefined): string => (n === null || n === undefined ? '—' : n.toLocaleString('zh-CN'));

/** 0..100, clamped: the width of a progress bar. */
export const pct = (n: number | null | undefined): number => Math.max(0, Math.min(100, Math.round(n ?? 0)));

/** The id in /board/c/:id or /board/t/:id, or 0 when it is not a positive whole number. */
export function idOf(param: unknown): number {
  const n = Number(Array.isArray(param) ? param[0] : param);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

export function printSheet(): void {
  window.print();
}
