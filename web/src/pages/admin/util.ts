import { ElMessage } from 'element-plus';
import { ApiError } from '../../api/client.ts';
import type { Body, Level } from '../../api/types.ts';
import { i18n } from '../../i18n/index.ts';
import { errorText as sharedErrorText } from '../../shared/errors.ts';

const KNOWN = ['VALIDATION_FAILED', 'INVALID_GEOJSON', 'INVALID_CODE', 'INVALID_HIERARCHY', 'IMPORT_FAILED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'NODE_IN_USE', 'RETIRED'];

/**
 * A plain-words explanation of an API error: a sentence of this area for the code, then the server's reason, which
 * comes in the user's language with the failing fields named in plain words (the shared errorText).
 */
export function errorText(e: unknown): string {
  const why = sharedErrorText(e, { NETWORK: i18n.global.t('admin.errors.NETWORK') });
  if (!(e instanceof ApiError) || !KNOWN.includes(e.code)) return why;
  return `${i18n.global.t(`admin.errors.${e.code}`)}（${why.replace(/[。.]$/, '')}）`;
}

export function showError(e: unknown): void {
  ElMessage({ type: 'error', message: errorText(e), duration: 6000, showClose: true });
}

export function showOk(message: string): void {
  ElMessage({ type: 'success', message, duration: 2500 });
}

/** Starts a browser download of a Blob. */
export function download(blob: Blob, filename: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

export type { Level } from '../../api/types.ts';
export const CHILD_LEVEL: Record<Level, Level | null> = { district: 'town', town: 'community', community: 'grid', grid: 'microgrid', microgrid: null };
export const PARENT_LEVEL: Record<Level, Level | null> = { district: null, town: 'district', community: 'town', grid: 'community', microgrid: 'grid' };
export const KINDS: Record<Level, readonly string[]> = {
  district: ['district', 'county'], town: ['town', 'street'], community: ['community', 'village'],
  grid: ['residential', 'shops', 'institutions', 'schools', 'medical'], microgrid: ['residential', 'shops', 'institutions', 'schools', 'medical'],
};
/** How many leading digits of a child's code come from its parent (the national scheme; see src/core/codes.ts). */
export const CODE_PREFIX: Record<Level, number> = { district: 6, town: 9, community: 12, grid: 15, microgrid: 18 };
export const CODE_LENGTH: Record<Level, number> = { district: 12, town: 12, community: 12, grid: 15, microgrid: 18 };

/** A suggested code for a new child: the parent's prefix plus the next free 3-digit sequence. */
export function suggestCode(parent: { level: Level; code: string }, siblings: string[]): string {
  const child = CHILD_LEVEL[parent.level];
  if (!child) return '';
  const start = CODE_PREFIX[parent.level];
  const used = new Set(siblings.map((c) => c.slice(start, start + 3)));
  let n = 1;
  while (used.has(String(n).padStart(3, '0')) && n < 999) n++;
  const seq = String(n).padStart(3, '0');
  const head = parent.code.slice(0, start);
  return child === 'town' ? `${head}${seq}000` : `${head}${seq}`;
}

/** The nodes where the signed-in user is an administrator. */
export function adminNodeIds(assignments: Array<{ role: string; nodeId: number }>): number[] {
  return [...new Set(assignments.filter((a) => a.role === 'admin').map((a) => a.nodeId))];
}

/** Row errors of an import (details.errors), if the error carries them. */
export function rowErrors(e: unknown): Array<{ sheet?: string; row: number | string; field?: string; message: string }> {
  if (!(e instanceof ApiError)) return [];
  const errors = (e.details as { errors?: unknown } | null)?.errors;
  return Array.isArray(errors) ? errors as Array<{ sheet?: string; row: number | string; field?: string; message: string }> : [];
}

/** A role to grant (POST /api/users/:id/roles); which fields it needs depends on the role. */
export type RoleBody = Body<'/api/users/{id}/roles', 'post'>;

/**
 * A translated enum value, or '' when there is none. Element Plus table columns call their cell slot once with an
 * empty row while setting up, so cell templates must not assume the row's fields exist.
 */
export const tx = (prefix: string, v: unknown): string => (typeof v === 'string' && v ? i18n.global.t(`${prefix}.${v}`) : '');
