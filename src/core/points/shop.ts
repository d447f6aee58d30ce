import { beijingTimeOfDayMs, MINUTE_MS } from '../beijing.ts';

/**
 * The merchant alliance's rules (德商联盟), pure: when a shop is open, how long a redemption code lives, what a code
 * looks like, and when a pattern of redemptions is worth a reviewer's look.
 */

/** A code holds the points and the stock for five minutes; unconfirmed, it expires by itself. */
export const CODE_LIFETIME_MS = 5 * MINUTE_MS;

/** Wrong codes typed at one merchant within this window before the counter stops taking codes for a while. */
export const MISS_WINDOW_MS = 10 * MINUTE_MS;
export const MAX_MISSES = 20;

/** A code is eight digits, read aloud or typed when the camera cannot read the QR. */
export const CODE_PATTERN = /^[0-9]{8}$/;

/** The QR carries the code behind a prefix, so a scan of some other QR is told apart from a mistyped code. */
export const QR_PREFIX = 'DGPT:';
export const qrPayload = (code: string): string => `${QR_PREFIX}${code}`;

/** The code from a scan (the QR's payload) or from typing (digits, maybe spaced as 1234 5678); null when neither. */
export function codeFrom(text: string): string | null {
  const raw = text.trim().startsWith(QR_PREFIX) ? text.trim().slice(QR_PREFIX.length) : text;
  const digits = raw.replace(/[\s-]/g, '');
  return CODE_PATTERN.test(digits) ? digits : null;
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Whether a shop with these hours ('HH:MM', Beijing time) is open at `at`. Hours that close before they open run past
 * midnight (a night stall, 18:00–02:00); equal hours mean open all day.
 */
export function isOpenAt(opens: string, closes: string, at: Date): boolean {
  const now = Math.floor(beijingTimeOfDayMs(at) / MINUTE_MS);
  const o = minutesOf(opens);
  const c = minutesOf(closes);
  if (o === c) return true;
  return o < c ? now >= o && now < c : now >= o || now < c;
}
