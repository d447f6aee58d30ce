import QRCode from 'qrcode';
import type { Item, Ok } from '../../api/types.ts';

/**
 * Shapes and small helpers of the resident's points pages (积分, /r/points): the names come from the generated
 * schema, so a changed endpoint breaks the type check here. The QR helper is shared with the merchant's counter.
 */
export type PointsMe = Ok<'/api/points/me'>;
export type Entry = Item<'/api/points/me'>;
export type ShopMerchant = Item<'/api/points/shop'>;
export type ShopItem = ShopMerchant['items'][number];
export type Code = Item<'/api/points/redemptions/mine'>;
export type Hours = Item<'/api/points/hours/mine'>;
export type Rule = NonNullable<Entry['rule']>;

/** The earning rules in the order a resident meets them; shown with their names when the rules' points are not readable. */
export const RULES: readonly Rule[] = ['daily_checkin', 'accepted_report', 'handled_in_group', 'deliberation_vote', 'deliberation_pledge', 'meeting_attendance', 'volunteer_hours'];

const DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
/** The day (YYYY-MM-DD) in Beijing, as the server counts check-ins and limits. */
export const beijingDay = (at: Date | string): string => DAY.format(typeof at === 'string' ? new Date(at) : at);

/** "12345678" → "1234 5678": read aloud in two halves. */
export const spaced = (code: string): string => code.replace(/^(\d{4})(\d{4})$/, '$1 $2');

/** m:ss of a time left, never negative. */
export function mmss(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** A key for one press of 兑换 (a retry of the same press answers the same code); a random UUID even where randomUUID is missing (plain http). */
export function pressKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A QR code as one SVG path (one square per dark module) and its size in modules, with a 4-module quiet zone. */
export function qrPath(text: string): { d: string; size: number } {
  const m = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules;
  const quiet = 4;
  let d = '';
  for (let y = 0; y < m.size; y++) {
    for (let x = 0; x < m.size; x++) if (m.get(y, x)) d += `M${x + quiet} ${y + quiet}h1v1h-1z`;
  }
  return { d, size: m.size + quiet * 2 };
}
