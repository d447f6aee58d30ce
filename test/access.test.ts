import { describe, expect, it } from 'vitest';
import { FREE_FAILURES } from '../src/core/throttle.ts';
import { expectError } from './helpers/app.ts';
import { PASSWORD } from './helpers/factory.ts';
import { useTestTown } from './helpers/town.ts';

describe('authentication', () => {
  const t = useTestTown();

  it('logs in with a password, sets an httpOnly cookie, and logs out', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 't_worker11', password: PASSWORD } });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'dg_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    expect(res.json()).toMatchObject({ username: 't_worker11', assignments: [{ role: 'grid_worker', nodeId: t.town.g11.id, employment: 'full_time' }] });
    const headers = { cookie: `dg_session=${cookie?.value}` };
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers })).statusCode).toBe(204);
    expectError(await t.app.inject({ method: 'GET', url: '/api/auth/me', headers }), 401, 'UNAUTHENTICATED');
  });

  it('stores only an argon2id hash of the password', async () => {
    const row = await t.deps.db.selectFrom('users').select('password_hash').where('username', '=', 't_worker11').executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 't_centre', password: 'nope-nope' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody_here', password: 'nope-nope' } });
    expectError(wrong, 401, 'INVALID_CREDENTIALS');
    expectError(unknown, 401, 'INVALID_CREDENTIALS');
    expect(wrong.json().error.message).toBe(unknown.json().error.message);
  });

  it('slows repeated failures from one address, even for the right password, and not the owner elsewhere', async () => {
    const attempt = (password: string, ip: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 't_volunteer', password }, remoteAddress: ip });
    for (let i = 0; i < FREE_FAILURES; i++) expectError(await attempt('wrong-password', '10.1.0.1'), 401, 'INVALID_CREDENTIALS');
    const throttled = await attempt(PASSWORD, '10.1.0.1');
    expectError(throttled, 429, 'LOGIN_THROTTLED');
    expect(throttled.json().error.details.retryAfterSeconds).toBeGreaterThan(0);
    expect((await attempt(PASSWORD, '10.1.0.2')).statusCode).toBe(200);
    // Pretend the wait passed by moving the last failure back: the right password then signs in and clears the back-off.
    await t.deps.db.updateTable('login_attempts').set({ last_at: new Date(Date.now() - 3600_000) }).where('account', '=', 't_volunteer').execute();
    expect((await attempt(PASSWORD, '10.1.0.1')).statusCode).toBe(200);
    expect(await t.deps.db.selectFrom('login_attempts').select('address').where('account', '=', 't_volunteer').execute()).toEqual([]);
    const audit = await t.deps.db.selectFrom('audit_log').select('action').where('action', '=', 'auth.login_failed').execute();
    expect(audit.length).toBeGreaterThanOrEqual(FREE_FAILURES);
  });

  it('issues bearer API tokens that authenticate, and stop working once revoked', async () => {
    const headers = await t.login('t_centre');
    const created = await t.app.inject({ method: 'POST', url: '/api/auth/tokens', headers, payload: { name: '12345 hotline bridge' } });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    const bearer = { authorization: `Bearer ${token}` };
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer })).json()).toMatchObject({ username: 't_centre', via: 'token' });
    const stored = await t.deps.db.selectFrom('api_tokens').select('token_hash').where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/auth/tokens/${id}`, headers })).statusCode).toBe(204);
    expectError(await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer }), 401, 'UNAUTHENTICATED');
  });

  it('rejects malformed login bodies with a clear 400', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 42 } });
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.json().error.message).toMatch(/username|password/);
  });

  it('answers unknown endpoints with the error envelope', async () => {
    expectError(await t.app.inject({ method: 'GET', url: '/api/nothing-here' }), 404, 'NOT_FOUND');
  });
});
