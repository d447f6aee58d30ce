import { redactPersonal } from '../redact.ts';
import type { Role } from '../vocabulary.ts';

/**
 * What the public page of a matter (and an outcome posted to a group) may say. It is found by a public code that
 * cannot be guessed — the internal code SJ<day>-<id> stays for staff — and titled by staff's words only.
 */

/** Crockford's base32: digits and capitals without I, L, O and U, so a code read aloud or copied by hand survives. */
export const PUBLIC_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 16 symbols of 5 bits (80 random bits), written in four groups of four: 7K3M-Q9XA-R2TB-H8WC. */
export const PUBLIC_CODE_SYMBOLS = 16;
const GROUPED = /^[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){3}$/;

/** A public code as stored, or null: case, spaces and hyphens do not matter, and O reads as 0, I and L as 1. */
export function normalizePublicCode(input: string): string | null {
  const symbols = input.toUpperCase().replace(/[\s\-_]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (symbols.length !== PUBLIC_CODE_SYMBOLS) return null;
  const grouped = (symbols.match(/.{4}/g) ?? []).join('-');
  return GROUPED.test(grouped) ? grouped : null;
}

/** True for a public code as the database makes it. */
export const isPublicCode = (code: string): boolean => GROUPED.test(code);

/** The title of a matter nobody on the staff has titled, before it has a category. */
export const NEUTRAL_TITLE = '群众反映事项';

/** The roles whose own words may title a matter in public: the grid's and the centre's staff, not residents or volunteers. */
export const PUBLIC_TITLE_WRITERS: readonly Role[] = [
  'admin', 'centre_operator', 'board_lead', 'post_handler', 'department_handler', 'community_staff', 'grid_chief', 'grid_worker',
];

/** The title anyone may read: staff's title (masked), else the category's name, else a neutral one. */
export function publicTitle(m: { title: string; titlePublic: boolean }, categoryName: string | null): string {
  return m.titlePublic ? redactPersonal(m.title) : (categoryName ?? NEUTRAL_TITLE);
}

/** Free text staff wrote for the public (a handler's result note), masked; null stays null. */
export const publicText = (text: string | null): string | null => (text === null ? null : redactPersonal(text));
