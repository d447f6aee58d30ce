import { describe, expect, it } from 'vitest';
import { FREE_FAILURES, LOCK_AFTER, afterFailure, checkThrottle, type ThrottleState } from './throttle.ts';

describe('login throttle', () => {
  const t0 = new Date('2026-11-21T08:00:00Z');
  const at = (s: number) => new Date(t0.getTime() + s * 1000);

  it('allows free tries, then makes the caller wait longer each time', () => {
    let state: ThrottleState | null = null;
    for (let i = 0; i < FREE_FAILURES; i++) state = afterFailure(state, t0);
    expect(checkThrottle(state, t0)).toEqual({ allowed: false, code: 'LOGIN_THROTTLED', retryAfterSeconds: 1 });
    expect(checkThrottle(state, at(1))).toEqual({ allowed: true });
    state = afterFailure(state, at(1));
    expect(checkThrottle(state, at(2))).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    expect(checkThrottle(state, at(3))).toEqual({ allowed: true });
  });

  it('locks after repeated failures and unlocks after the lock expires', () => {
    let state: ThrottleState | null = null;
    for (let i = 0; i < LOCK_AFTER; i++) state = afterFailure(state, t0);
    expect(checkThrottle(state, at(60))).toMatchObject({ allowed: false, code: 'ACCOUNT_LOCKED' });
    expect(checkThrottle(state, at(15 * 60 + 1))).toEqual({ allowed: true });
    expect(afterFailure(state, at(15 * 60 + 1)).failures).toBe(1);
  });
});
