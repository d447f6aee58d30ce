import { ref, watch } from 'vue';
import type { MatterItem } from '../../api/types.ts';

/**
 * Shared state of the resident pages: the large-text mode (大字模式), remembered on the phone and applied as a
 * class on <html> so popups and toasts (mounted on <body>) grow too; plus the plain words for the six stages.
 */
const LARGE_KEY = 'dg.r.large';
const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem(LARGE_KEY);
export const largeText = ref(stored === '1');

export function applyLargeText(on = largeText.value): void {
  document.documentElement.classList.toggle('r-large', on);
}

watch(largeText, (on) => {
  localStorage.setItem(LARGE_KEY, on ? '1' : '0');
  applyLargeText(on);
});

/** Leaving the resident area (a staff member who looked in) takes the class away again. */
export const clearLargeText = (): void => document.documentElement.classList.remove('r-large');

/** A matter in "my matters" (GET /api/matters): the public stage 0..5 and the status. */
export type MineItem = MatterItem;

/** The key of the plain label for a matter in a list: most statuses follow their stage, a few have their own words. */
export function plainKey(status: string, stage: number): string {
  if (status === 'rejected') return 'resident.plain.rejected';
  if (status === 'merged') return 'resident.plain.merged';
  if (status === 'suspended') return 'resident.plain.suspended';
  return `resident.plain.stage${stage}`;
}

export function fmtDay(iso: string | null, locale: string): string {
  if (!iso) return '';
  return new Date(iso).toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

