import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_MAX_FAILURES, ACCOUNT_WINDOW_SECONDS, type AccountState, type AddressState, FIRST_WAIT_SECONDS, FORGET_AFTER_SECONDS, FREE_FAILURES, MAX_WAIT_SECONDS,
  addressKey, reserveAttempt, waitAfter,
} from './throttle.ts';

describe('login throttle', () => {
  const t0 = new Date('2026-11-21T08:00:00Z');
  const at = (s: number) => new Date(t0.getTime() + s * 1000);

  /** Tries as fast as the policy lets one address (every try failing); returns the seconds at which tries were checked. */
  function hammer(seconds: number, start: { address: AddressState | null; account: AccountState | null } = { address: null, account: null }) {
    let { address, account } = start;
    const checked: number[] = [];
    for (let s = 0; s < seconds; s++) {
      for (;;) {
        const d = reserveAttempt(address, account, at(s));
        if (!d.allowed) break;
        ({ address, account } = d);
        checked.push(s);
      }
    }
    return { checked, address, account };
  }

  it('gives a few free tries, then doubles the wait up to a ceiling', () => {
    expect([0, FREE_FAILURES - 1].map(waitAfter)).toEqual([0, 0]);
    expect([FREE_FAILURES, FREE_FAILURES + 1, FREE_FAILURES + 2].map(waitAfter)).toEqual([FIRST_WAIT_SECONDS, 2 * FIRST_WAIT_SECONDS, 4 * FIRST_WAIT_SECONDS]);
    expect(waitAfter(FREE_FAILURES + 40)).toBe(MAX_WAIT_SECONDS);

    let address: AddressState | null = null;
    let account: AccountState | null = null;
    for (let i = 1; i <= FREE_FAILURES; i++) {
      const d = reserveAttempt(address, account, t0);
      if (!d.allowed) throw new Error(`free try ${i} refused`);
      expect(d.address).toEqual({ failures: i, lastAt: t0 });
      expect(d.account).toEqual({ failures: i, windowStart: t0 });
      ({ address, account } = d);
    }
    expect(reserveAttempt(address, account, t0)).toEqual({ allowed: false, code: 'LOGIN_THROTTLED', retryAfterSeconds: FIRST_WAIT_SECONDS });
    expect(reserveAttempt(address, account, at(FIRST_WAIT_SECONDS - 1))).toEqual({ allowed: false, code: 'LOGIN_THROTTLED', retryAfterSeconds: 1 });
    const next = reserveAttempt(address, account, at(FIRST_WAIT_SECONDS));
    expect(next).toMatchObject({ allowed: true, address: { failures: FREE_FAILURES + 1 } });
    if (!next.allowed) return;
    const later = FIRST_WAIT_SECONDS + 2 * FIRST_WAIT_SECONDS;
    expect(reserveAttempt(next.address, next.account, at(later - 1))).toEqual({ allowed: false, code: 'LOGIN_THROTTLED', retryAfterSeconds: 1 });
    expect(reserveAttempt(next.address, next.account, at(later))).toMatchObject({ allowed: true });
  });

  it('keys the back-off to the address: the same account from a fresh address is not slowed', () => {
    const { address, account } = hammer(1);
    expect(reserveAttempt(address, account, at(0))).toMatchObject({ allowed: false, code: 'LOGIN_THROTTLED' });
    expect(reserveAttempt(null, account, at(0))).toMatchObject({ allowed: true, address: { failures: 1 }, account: { failures: FREE_FAILURES + 1 } });
  });

  it('holds one address to the documented rate: 18 checks in the first hour, 12 an hour after, 294 in a day', () => {
    const hour = hammer(3600);
    expect(hour.checked).toHaveLength(18);
    expect(hour.checked.slice(0, FREE_FAILURES)).toEqual(Array(FREE_FAILURES).fill(0));
    const day = hammer(24 * 3600);
    expect(day.checked).toHaveLength(294);
    expect(day.checked.filter((s) => s >= 3600 && s < 7200)).toHaveLength(12);
  });

  it('locks the account from every address once the window holds the cap, until the window is over', () => {
    const account: AccountState = { failures: ACCOUNT_MAX_FAILURES - 1, windowStart: t0 };
    const last = reserveAttempt(null, account, at(600));
    expect(last).toMatchObject({ allowed: true, account: { failures: ACCOUNT_MAX_FAILURES, windowStart: t0 } });
    if (!last.allowed) return;
    // Any address, even one that never failed, is refused now.
    expect(reserveAttempt(null, last.account, at(601))).toEqual({ allowed: false, code: 'ACCOUNT_LOCKED', retryAfterSeconds: ACCOUNT_WINDOW_SECONDS - 601 });
    expect(reserveAttempt(null, last.account, at(ACCOUNT_WINDOW_SECONDS - 1))).toMatchObject({ allowed: false, code: 'ACCOUNT_LOCKED', retryAfterSeconds: 1 });
    // A new window starts afresh.
    expect(reserveAttempt(null, last.account, at(ACCOUNT_WINDOW_SECONDS))).toEqual({
      allowed: true, address: { failures: 1, lastAt: at(ACCOUNT_WINDOW_SECONDS) }, account: { failures: 1, windowStart: at(ACCOUNT_WINDOW_SECONDS) },
    });
  });

  it('needs several addresses to reach the lock: one address alone stays under the cap in any window', () => {
    expect(hammer(ACCOUNT_WINDOW_SECONDS).checked.length).toBeLessThan(ACCOUNT_MAX_FAILURES);
    // Many addresses together get at most the cap per window.
    let account: AccountState | null = null;
    let checked = 0;
    for (let a = 0; a < 20; a++) {
      const r = hammer(1, { address: null, account });
      account = r.account;
      checked += r.checked.length;
    }
    expect(checked).toBe(ACCOUNT_MAX_FAILURES);
  });

  it('forgets an address that has been quiet for a day', () => {
    const { address, account } = hammer(600);
    expect(address?.failures).toBeGreaterThan(FREE_FAILURES);
    const later = at(600 + FORGET_AFTER_SECONDS);
    expect(reserveAttempt(address, account, later)).toMatchObject({ allowed: true, address: { failures: 1 }, account: { failures: 1 } });
  });

  it('keeps IPv4 addresses as they are and IPv6 ones by their /64', () => {
    expect(addressKey('10.0.0.7')).toBe('10.0.0.7');
    expect(addressKey('::ffff:10.0.0.7')).toBe('10.0.0.7');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0DB8:0001:0002:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('1::2:3:4:5:192.0.2.1')).toBe('1:0:2:3::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });
});
