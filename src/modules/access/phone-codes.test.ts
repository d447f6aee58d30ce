import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CodeHasher, MAX_TRIES, PER_IP_PER_HOUR, PER_PHONE_PER_HOUR, RESEND_SECONDS, checkSend, codeState, newCode } from './phone-codes.ts';

describe('phone sign-in codes', () => {
  const t0 = new Date('2026-11-22T08:00:00Z');
  const at = (s: number) => new Date(t0.getTime() + s * 1000);

  it('sends one code a minute per number, a few an hour, and a bounded number per IP', () => {
    expect(checkSend([], [], t0)).toEqual({ allowed: true });
    expect(checkSend([t0], [t0], at(10))).toEqual({ allowed: false, retryAfterSeconds: RESEND_SECONDS - 10, reason: 'resend_wait' });
    expect(checkSend([t0], [t0], at(RESEND_SECONDS))).toEqual({ allowed: true });
    const hourly = Array.from({ length: PER_PHONE_PER_HOUR }, (_, i) => at(i * 120));
    const last = hourly.at(-1) as Date;
    const later = new Date(last.getTime() + 120_000);
    expect(checkSend(hourly, hourly, later)).toMatchObject({ allowed: false, reason: 'phone_hourly', retryAfterSeconds: 3600 - (later.getTime() - t0.getTime()) / 1000 });
    // An hour after the first, the oldest falls out of the window.
    expect(checkSend(hourly, hourly, at(3601))).toEqual({ allowed: true });
    const busy = Array.from({ length: PER_IP_PER_HOUR }, (_, i) => at(i));
    expect(checkSend([], busy, at(600))).toMatchObject({ allowed: false, reason: 'ip_hourly', retryAfterSeconds: 3000 });
    expect(checkSend([], busy.slice(1), at(600))).toEqual({ allowed: true });
  });

  it('lets a code be tried until it expires, is used, or has had its tries', () => {
    const fresh = { expiresAt: at(300), attempts: 0, usedAt: null };
    expect(codeState(undefined, t0)).toBe('expired');
    expect(codeState(fresh, at(299))).toBe('usable');
    expect(codeState(fresh, at(300))).toBe('expired');
    expect(codeState({ ...fresh, usedAt: at(5) }, at(10))).toBe('expired');
    expect(codeState({ ...fresh, attempts: MAX_TRIES - 1 }, at(10))).toBe('usable');
    expect(codeState({ ...fresh, attempts: MAX_TRIES }, at(10))).toBe('locked');
  });

  it('makes six-digit codes and keeps only a keyed hash bound to the number', () => {
    for (let i = 0; i < 50; i++) expect(newCode()).toMatch(/^\d{6}$/);
    const hasher = new CodeHasher(randomBytes(32));
    const stored = hasher.hash('phoneA', '123456');
    expect(stored).not.toContain('123456');
    expect(hasher.matches('phoneA', '123456', stored)).toBe(true);
    expect(hasher.matches('phoneA', '123457', stored)).toBe(false);
    expect(hasher.matches('phoneB', '123456', stored)).toBe(false);
    expect(new CodeHasher(randomBytes(32)).matches('phoneA', '123456', stored)).toBe(false);
  });
});
