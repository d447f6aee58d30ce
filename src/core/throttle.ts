/**
 * Failed-login policy for password sign-in, pure so it is tested without clocks. Two counters decide each try:
 * - per account and client address: a few free tries, then growing waits (an attacker slows only themselves);
 * - per account across all addresses: a much higher cap within a window, then a lock until the window ends
 *   (or an administrator unlocks), so many addresses together cannot guess fast either.
 * A try is *reserved* (counted as a failure) before the password is checked, and given back on success, so
 * concurrent tries cannot all pass as free ones. Accounts are keyed by the name as typed, lower-cased, so
 * unknown names are throttled exactly like real ones.
 */
export const FREE_FAILURES = 5;
/**
 * The wait after failure n (n ≥ FREE_FAILURES) is FIRST_WAIT_SECONDS · 2^(n − FREE_FAILURES), at most
 * MAX_WAIT_SECONDS: a minute, two, four, then five minutes each. With a first wait that long, a burst sent at
 * once gets exactly the free tries checked unless it takes over a minute to answer.
 */
export const FIRST_WAIT_SECONDS = 60;
export const MAX_WAIT_SECONDS = 300;
/** An account and address pair that has not failed for this long starts afresh. */
export const FORGET_AFTER_SECONDS = 24 * 3600;
export const ACCOUNT_WINDOW_SECONDS = 3600;
/** Failures of one account, from all addresses together, allowed within one window. */
export const ACCOUNT_MAX_FAILURES = 50;

/** One account from one address: failures since the last success (in-flight tries included), the latest one's time. */
export interface AddressState {
  failures: number;
  lastAt: Date;
}

/** One account from anywhere: failures within the window that began at windowStart. */
export interface AccountState {
  failures: number;
  windowStart: Date;
}

export type ThrottleDecision =
  | { allowed: true; address: AddressState; account: AccountState }
  | { allowed: false; code: 'ACCOUNT_LOCKED' | 'LOGIN_THROTTLED'; retryAfterSeconds: number };

/** Seconds to wait after `failures` failures before the next try (0 while tries are free). */
export function waitAfter(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(FIRST_WAIT_SECONDS * 2 ** (failures - FREE_FAILURES), MAX_WAIT_SECONDS);
}

const secondsUntil = (at: number, now: Date) => Math.max(1, Math.ceil((at - now.getTime()) / 1000));

/**
 * Whether a try may go ahead now; if so, the two states with this try counted, to be stored before the
 * password is checked. Both states must be read under a lock (or in one statement) with the write.
 */
export function reserveAttempt(address: AddressState | null, account: AccountState | null, now: Date): ThrottleDecision {
  const t = now.getTime();
  const window = account && t - account.windowStart.getTime() < ACCOUNT_WINDOW_SECONDS * 1000 ? account : { failures: 0, windowStart: now };
  if (window.failures >= ACCOUNT_MAX_FAILURES) {
    return { allowed: false, code: 'ACCOUNT_LOCKED', retryAfterSeconds: secondsUntil(window.windowStart.getTime() + ACCOUNT_WINDOW_SECONDS * 1000, now) };
  }
  const pair = address && t - address.lastAt.getTime() < FORGET_AFTER_SECONDS * 1000 ? address : { failures: 0, lastAt: now };
  const readyAt = pair.lastAt.getTime() + waitAfter(pair.failures) * 1000;
  if (readyAt > t) return { allowed: false, code: 'LOGIN_THROTTLED', retryAfterSeconds: secondsUntil(readyAt, now) };
  return {
    allowed: true,
    address: { failures: pair.failures + 1, lastAt: now },
    account: { failures: window.failures + 1, windowStart: window.windowStart },
  };
}

/**
 * The address a back-off is kept for: an IPv4 address as it is (also when IPv4-mapped), an IPv6 address by its
 * /64 prefix, since one household or server is handed a whole /64 and could otherwise try from endless addresses.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  if (!ip.includes(':')) return ip;
  const bare = ip.split('%')[0] ?? ip; // no zone id (fe80::1%eth0)
  // A dotted IPv4 tail (64:ff9b::192.0.2.1) stands for two groups.
  const groups = (part: string) => (part ? part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])) : []);
  const [head = '', tail] = bare.split('::');
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = tail === undefined ? h : [...h, ...Array(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
  return `${all.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
