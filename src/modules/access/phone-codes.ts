import { createHmac, hkdfSync, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * One-time codes for signing in with a phone number (短信验证码), as pure rules so they are tested without
 * clocks: how often a code may be sent (per phone and per sending IP), how long it lives, how many tries it
 * allows. The password throttle (src/core/throttle.ts) backs off per account and address; a code needs no
 * back-off, since each code allows only MAX_TRIES tries and sending codes is limited by windows (a community
 * centre's shared IP helps many elderly residents).
 */
export const CODE_DIGITS = 6;
export const CODE_TTL_SECONDS = 300;
export const MAX_TRIES = 5;
/** At most one code per phone per minute, five per phone per hour, thirty per IP per hour. */
export const RESEND_SECONDS = 60;
export const PER_PHONE_PER_HOUR = 5;
export const PER_IP_PER_HOUR = 30;
const HOUR_MS = 3600_000;

export type SendDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number; reason: 'resend_wait' | 'phone_hourly' | 'ip_hourly' };

/** `phoneSends` are the send times for this phone within the last hour; `ipSends` the same for the IP. */
export function checkSend(phoneSends: Date[], ipSends: Date[], now: Date): SendDecision {
  const hourAgo = now.getTime() - HOUR_MS;
  const phone = phoneSends.map((d) => d.getTime()).filter((t) => t > hourAgo).sort((a, b) => a - b);
  const ip = ipSends.map((d) => d.getTime()).filter((t) => t > hourAgo).sort((a, b) => a - b);
  const wait = (readyAt: number) => Math.max(1, Math.ceil((readyAt - now.getTime()) / 1000));
  const last = phone.at(-1);
  if (last !== undefined && last + RESEND_SECONDS * 1000 > now.getTime()) return { allowed: false, retryAfterSeconds: wait(last + RESEND_SECONDS * 1000), reason: 'resend_wait' };
  const oldestPhone = phone[phone.length - PER_PHONE_PER_HOUR];
  if (phone.length >= PER_PHONE_PER_HOUR && oldestPhone !== undefined) return { allowed: false, retryAfterSeconds: wait(oldestPhone + HOUR_MS), reason: 'phone_hourly' };
  const oldestIp = ip[ip.length - PER_IP_PER_HOUR];
  if (ip.length >= PER_IP_PER_HOUR && oldestIp !== undefined) return { allowed: false, retryAfterSeconds: wait(oldestIp + HOUR_MS), reason: 'ip_hourly' };
  return { allowed: true };
}

export interface CodeState { expiresAt: Date; attempts: number; usedAt: Date | null }
export type CodeDecision = 'usable' | 'expired' | 'locked';

/** Whether the latest code of a phone may still be tried; a missing or used code counts as expired. */
export function codeState(row: CodeState | undefined, now: Date): CodeDecision {
  if (!row || row.usedAt) return 'expired';
  if (row.attempts >= MAX_TRIES) return 'locked';
  if (row.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'usable';
}

export const newCode = (): string => String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');

/**
 * Codes are kept as an HMAC keyed from the PII key and bound to the phone's hash: a six-digit code is easy to
 * guess from a plain hash, not from a keyed one without the key.
 */
export class CodeHasher {
  readonly #key: Buffer;

  constructor(piiKey: Buffer) {
    this.#key = Buffer.from(hkdfSync('sha256', piiKey, 'dualgrid', 'phone-code', 32));
  }

  hash(phoneHash: string, code: string): string {
    return createHmac('sha256', this.#key).update(`${phoneHash}:${code}`).digest('base64url');
  }

  matches(phoneHash: string, code: string, stored: string): boolean {
    const a = Buffer.from(this.hash(phoneHash, code));
    const b = Buffer.from(stored);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
