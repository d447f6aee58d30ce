/** Failed-login policy: free tries, then growing waits, then a lock. Pure so it is tested without clocks. */
export const FREE_FAILURES = 3;
export const LOCK_AFTER = 8;
export const LOCK_MINUTES = 15;
const MAX_WAIT_SECONDS = 60;

export interface ThrottleState {
  failures: number;
  lastFailureAt: Date;
  lockedUntil: Date | null;
}

export type ThrottleDecision = { allowed: true } | { allowed: false; code: 'ACCOUNT_LOCKED' | 'LOGIN_THROTTLED'; retryAfterSeconds: number };

export function checkThrottle(state: ThrottleState | null, now: Date): ThrottleDecision {
  if (!state) return { allowed: true };
  if (state.lockedUntil && state.lockedUntil > now) {
    return { allowed: false, code: 'ACCOUNT_LOCKED', retryAfterSeconds: Math.ceil((state.lockedUntil.getTime() - now.getTime()) / 1000) };
  }
  if (state.failures < FREE_FAILURES) return { allowed: true };
  const waitMs = Math.min(2 ** (state.failures - FREE_FAILURES), MAX_WAIT_SECONDS) * 1000;
  const readyAt = state.lastFailureAt.getTime() + waitMs;
  if (readyAt > now.getTime()) return { allowed: false, code: 'LOGIN_THROTTLED', retryAfterSeconds: Math.ceil((readyAt - now.getTime()) / 1000) };
  return { allowed: true };
}

export function afterFailure(state: ThrottleState | null, now: Date): ThrottleState {
  // A lock that has run out starts the count afresh.
  const base = state && !(state.lockedUntil && state.lockedUntil <= now) ? state.failures : 0;
  const failures = base + 1;
  return {
    failures,
    lastFailureAt: now,
    lockedUntil: failures >= LOCK_AFTER ? new Date(now.getTime() + LOCK_MINUTES * 60_000) : null,
  };
}
