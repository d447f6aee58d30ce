import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_MAX_FAILURES, FREE_FAILURES, MAX_WAIT_SECONDS } from '../src/core/throttle.ts';
import { expectError } from './helpers/app.ts';
import { PASSWORD } from './helpers/factory.ts';
import { useTestTown } from './helpers/town.ts';

/**
 * The password throttle under concurrency, on both engines. Bursts are sent all at once; requests reach the
 * database in the order they were sent (the pool and PGlite's single session queue first come, first served),
 * so the last request of a burst is counted after every other one.
 */
describe('the password throttle holds under concurrency', () => {
  const t = useTestTown();
  const [admin, staff] = t.actors('t_admin', 't_staff1');

  const login = (username: string, password: string, ip: string, app: FastifyInstance = t.app, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip, headers });
  const burst = (username: string, passwords: string[], ip: (i: number) => string) => Promise.all(passwords.map((p, i) => login(username, p, ip(i))));
  const statuses = (responses: LightMyRequestResponse[]) => {
    const count: Record<number, number> = {};
    for (const r of responses) count[r.statusCode] = (count[r.statusCode] ?? 0) + 1;
    return count;
  };
  const failedAudits = async (username: string) =>
    (await t.deps.db.selectFrom('audit_log').select('details').where('action', '=', 'auth.login_failed').execute())
      .filter((a) => (a.details as { username?: string }).username === username).length;
  const pair = (account: string, address: string) =>
    t.deps.db.selectFrom('login_attempts').selectAll().where('account', '=', account).where('address', '=', address).executeTakeFirst();
  const window = (account: string) => t.deps.db.selectFrom('login_windows').selectAll().where('account', '=', account).executeTakeFirst();
  const sessionsOf = async (userId: number) => (await t.deps.db.selectFrom('sessions').select('id').where('user_id', '=', userId).execute()).length;

  it(`checks only ${FREE_FAILURES} of 100 concurrent wrong passwords from one address, and counts every one it checked`, async () => {
    const responses = await burst('t_worker11', Array(100).fill('wrong-password'), () => '10.0.1.1');
    expect(statuses(responses)).toEqual({ 401: FREE_FAILURES, 429: 100 - FREE_FAILURES });
    for (const r of responses.filter((x) => x.statusCode === 429)) {
      expectError(r, 429, 'LOGIN_THROTTLED');
      expect(r.json().error.details.retryAfterSeconds).toBeGreaterThan(0);
      expect(Number(r.headers['retry-after'])).toBe(Math.max(1, Math.ceil(r.json().error.details.retryAfterSeconds)));
    }
    // The counters equal the checks: no count lost to the race.
    expect(await pair('t_worker11', '10.0.1.1')).toMatchObject({ failures: FREE_FAILURES });
    expect(await window('t_worker11')).toMatchObject({ failures: FREE_FAILURES });
    expect(await failedAudits('t_worker11')).toBe(FREE_FAILURES);

    // Deep in the back-off (the longest wait just over), another burst gets exactly one check.
    await t.deps.db.updateTable('login_attempts').set({ failures: FREE_FAILURES + 20, last_at: new Date(Date.now() - (MAX_WAIT_SECONDS + 1) * 1000) })
      .where('account', '=', 't_worker11').where('address', '=', '10.0.1.1').execute();
    expect(statuses(await burst('t_worker11', Array(100).fill('wrong-password'), () => '10.0.1.1'))).toEqual({ 401: 1, 429: 99 });
    expect(await pair('t_worker11', '10.0.1.1')).toMatchObject({ failures: FREE_FAILURES + 21 });
    expect(await failedAudits('t_worker11')).toBe(FREE_FAILURES + 1);
  });

  it('never lets in the right password sent after 39 wrong ones in the same burst', async () => {
    const before = await sessionsOf(t.town.users.volunteer);
    const responses = await burst('t_volunteer', [...Array(39).fill('wrong-password'), PASSWORD], () => '10.0.2.1');
    expect(statuses(responses)).toEqual({ 401: FREE_FAILURES, 429: 40 - FREE_FAILURES });
    expectError(responses[39] as LightMyRequestResponse, 429, 'LOGIN_THROTTLED');
    expect(await sessionsOf(t.town.users.volunteer)).toBe(before);
    expect(await pair('t_volunteer', '10.0.2.1')).toMatchObject({ failures: FREE_FAILURES });
  });

  it('lets the owner sign in from their own address while another address hammers the account', async () => {
    const [attack, owner] = await Promise.all([
      burst('t_centre', Array(100).fill('wrong-password'), () => '10.0.3.66'),
      login('t_centre', PASSWORD, '10.0.3.7'),
    ]);
    expect(statuses(attack)).toEqual({ 401: FREE_FAILURES, 429: 100 - FREE_FAILURES });
    expect(owner.statusCode).toBe(200);
    // Once more after the attack, and the owner's success gave its counted try back to the account's window.
    expect((await login('t_centre', PASSWORD, '10.0.3.7')).statusCode).toBe(200);
    expect(await window('t_centre')).toMatchObject({ failures: FREE_FAILURES });
    expect(await pair('t_centre', '10.0.3.7')).toBeUndefined();
    // The attacker's own address stays slowed, right password or not.
    expectError(await login('t_centre', PASSWORD, '10.0.3.66'), 429, 'LOGIN_THROTTLED');
  });

  it(`locks the account for every address after ${ACCOUNT_MAX_FAILURES} failures from many, until an administrator unlocks it`, async () => {
    // Twelve addresses, ten tries each, all at once: each address gets its free tries until the account's cap.
    const responses = await burst('t_worker12', Array(120).fill('wrong-password'), (i) => `10.0.4.${i % 12}`);
    expect(responses.filter((r) => r.statusCode === 401)).toHaveLength(ACCOUNT_MAX_FAILURES);
    expect(responses.every((r) => [401, 423, 429].includes(r.statusCode))).toBe(true);
    expect(await window('t_worker12')).toMatchObject({ failures: ACCOUNT_MAX_FAILURES });
    expect(await failedAudits('t_worker12')).toBe(ACCOUNT_MAX_FAILURES);
    const locks = await t.deps.db.selectFrom('audit_log').select('subject_id').where('action', '=', 'auth.account_locked').execute();
    expect(locks).toEqual([{ subject_id: String(t.town.users.worker12) }]);

    // Now even the owner from a fresh address is refused, without a check.
    const locked = await login('t_worker12', PASSWORD, '10.0.4.200');
    expectError(locked, 423, 'ACCOUNT_LOCKED');
    expect(locked.json().error.details.retryAfterSeconds).toBeGreaterThan(0);
    expect(await failedAudits('t_worker12')).toBe(ACCOUNT_MAX_FAILURES);

    // Unlocking: signed in, and an administrator over the account; anyone else (here the community's own staff,
    // whose scope holds the account's grid) is told nothing and changes nothing.
    const url = `/api/users/${t.town.users.worker12}/unlock`;
    expectError(await t.app.inject({ method: 'POST', url }), 401, 'UNAUTHENTICATED');
    expectError(await staff.raw('POST', url), 404, 'NOT_FOUND');
    expectError(await admin.raw('POST', '/api/users/999999/unlock'), 404, 'NOT_FOUND');
    expect(await window('t_worker12')).toMatchObject({ failures: ACCOUNT_MAX_FAILURES });

    expect((await admin.raw('POST', url)).statusCode).toBe(204);
    const unlock = await t.deps.db.selectFrom('audit_log').select(['actor_user_id', 'details']).where('action', '=', 'auth.unlock').executeTakeFirstOrThrow();
    expect(unlock).toEqual({ actor_user_id: t.town.users.admin, details: { username: 't_worker12', addresses: 12, windowFailures: ACCOUNT_MAX_FAILURES } });
    expect(await window('t_worker12')).toBeUndefined();
    expect((await login('t_worker12', PASSWORD, '10.0.4.200')).statusCode).toBe(200);
    // Every address's back-off went with the lock.
    expect((await login('t_worker12', PASSWORD, '10.0.4.1')).statusCode).toBe(200);
  });

  it('throttles names that do not exist exactly like real accounts', async () => {
    const real = await burst('t_staff2', Array(20).fill('wrong-password'), () => '10.0.5.1');
    const unknown = await burst('nobody_here', Array(20).fill('wrong-password'), () => '10.0.5.1');
    expect(statuses(unknown)).toEqual(statuses(real));
    expect(statuses(unknown)).toEqual({ 401: FREE_FAILURES, 429: 20 - FREE_FAILURES });
    expect(await pair('nobody_here', '10.0.5.1')).toMatchObject({ failures: FREE_FAILURES });
  });

  it('counts IPv6 clients by their /64, so hopping addresses inside one network gains no tries', async () => {
    const responses = await burst('t_head', Array(10).fill('wrong-password'), (i) => `2001:db8:1:2::${i + 1}`);
    expect(statuses(responses)).toEqual({ 401: FREE_FAILURES, 429: 10 - FREE_FAILURES });
    expect(await pair('t_head', '2001:db8:1:2::/64')).toMatchObject({ failures: FREE_FAILURES });
    expectError(await login('t_head', PASSWORD, '2001:db8:1:2:ffff::9'), 429, 'LOGIN_THROTTLED');
    expect((await login('t_head', PASSWORD, '2001:db8:1:3::1')).statusCode).toBe(200);
  });

  it('keys the address on the forwarded client only behind a trusted proxy (DUALGRID_TRUST_PROXY)', async () => {
    const proxied = (await t.another({ env: { DUALGRID_TRUST_PROXY: '10.0.6.1' } })).app;
    const forwarded = { 'x-forwarded-for': '203.0.113.9' };
    expectError(await login('t_post', 'wrong-password', '10.0.6.1', proxied, forwarded), 401, 'INVALID_CREDENTIALS');
    expect(await pair('t_post', '203.0.113.9')).toMatchObject({ failures: 1 });
    // Without the setting, a client cannot pick its own address with the header.
    expectError(await login('t_post', 'wrong-password', '10.0.6.2', t.app, forwarded), 401, 'INVALID_CREDENTIALS');
    expect(await pair('t_post', '10.0.6.2')).toMatchObject({ failures: 1 });
    expect(await pair('t_post', '203.0.113.9')).toMatchObject({ failures: 1 });
  });
});
