import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TRIES, PER_IP_PER_HOUR, PER_PHONE_PER_HOUR } from '../src/modules/access/phone-codes.ts';
import { expectError } from './helpers/app.ts';
import { useTestTown } from './helpers/town.ts';

/** Each test sends from its own address, so the per-IP throttle of one test never trips another. */
let nextIp = 1;
const freshIp = () => `10.9.0.${nextIp++}`;

describe('signing in with a phone number and a one-time code', () => {
  const t = useTestTown();

  const sendCode = (phone: string, ip: string, app: FastifyInstance = t.app) =>
    app.inject({ method: 'POST', url: '/api/auth/phone/code', payload: { phone }, remoteAddress: ip });
  const verify = (phone: string, code: string, ip: string, app: FastifyInstance = t.app) =>
    app.inject({ method: 'POST', url: '/api/auth/phone/verify', payload: { phone, code }, remoteAddress: ip });
  const counts = async () => ({
    users: Number((await t.deps.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
    sessions: Number((await t.deps.db.selectFrom('sessions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
    codes: Number((await t.deps.db.selectFrom('phone_codes').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
  });
  const wrongOf = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

  it('in demo SMS mode returns the code, and the code signs in a new resident with a session cookie', async () => {
    expect(t.deps.config.smsMode).toBe('demo');
    const ip = freshIp();
    const sent = await sendCode('139 0000 0001', ip);
    expect(sent.statusCode).toBe(200);
    const { demoCode, phone, mode, expiresInSeconds } = sent.json();
    expect(demoCode).toMatch(/^\d{6}$/);
    expect({ phone, mode, expiresInSeconds }).toEqual({ phone: '139****0001', mode: 'demo', expiresInSeconds: 300 });
    // Only a keyed hash of the code is kept, bound to the number's hash.
    const stored = await t.deps.db.selectFrom('phone_codes').selectAll().where('phone_hash', '=', t.deps.vault.hash('phone', '13900000001')).executeTakeFirstOrThrow();
    expect(stored.code_hash).not.toContain(demoCode);
    expect(stored.attempts).toBe(0);

    const res = await verify('+8613900000001', demoCode, ip);
    expect(res.statusCode).toBe(200);
    const me = res.json();
    expect(me).toMatchObject({ displayName: '居民0001', newAccount: true, assignments: [{ role: 'resident', nodeId: t.town.town.id }] });
    expect(me.username).toMatch(/^m_[0-9a-f]{10}$/);
    const cookie = res.cookies.find((c) => c.name === 'dg_session');
    expect(cookie?.httpOnly).toBe(true);
    const headers = { cookie: `dg_session=${cookie?.value}` };
    const who = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers });
    expect(who.statusCode).toBe(200);
    expect(who.json()).toMatchObject({ userId: me.userId, username: me.username, via: 'session' });

    // The number is stored the project's way: keyed hash, sealed, masked; never in plain.
    const user = await t.deps.db.selectFrom('users').selectAll().where('id', '=', me.userId).executeTakeFirstOrThrow();
    expect(user).toMatchObject({ phone_masked: '139****0001', phone_hash: t.deps.vault.hash('phone', '13900000001'), password_hash: null });
    expect(user.phone_enc).not.toContain('13900000001');
    expect(t.deps.vault.open(user.phone_enc ?? '')).toBe('13900000001');

    // Sent, created and signed in are all in the audit trail; the number only masked.
    const audit = await t.deps.db.selectFrom('audit_log').select(['action', 'actor_user_id', 'details']).where('action', 'in', ['auth.phone_code_sent', 'user.create', 'auth.login']).orderBy('id').execute();
    const mine = audit.filter((a) => JSON.stringify(a.details).includes('139****0001') || a.actor_user_id === me.userId);
    expect(mine.map((a) => a.action)).toEqual(['auth.phone_code_sent', 'user.create', 'auth.login']);
    expect(JSON.stringify(mine)).not.toContain('13900000001');

    // The same code does not work twice; a new code signs the same account in again.
    expectError(await verify('13900000001', demoCode, ip), 401, 'PHONE_CODE_EXPIRED');
    await t.deps.db.updateTable('phone_codes').set({ created_at: new Date(Date.now() - 120_000) }).where('phone_hash', '=', stored.phone_hash).execute();
    const again = await sendCode('13900000001', ip);
    const second = await verify('13900000001', again.json().demoCode, ip);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ userId: me.userId, newAccount: false });
  });

  it('refuses a wrong code with 401 and a stable code, writing no account and no session', async () => {
    const ip = freshIp();
    const { demoCode } = (await sendCode('13900000002', ip)).json();
    const before = await counts();
    const res = await verify('13900000002', wrongOf(demoCode), ip);
    expectError(res, 401, 'PHONE_CODE_INVALID');
    expect(res.json().error.details).toEqual({ triesLeft: MAX_TRIES - 1 });
    const after = await counts();
    expect(after).toEqual(before);
    expect(res.cookies.find((c) => c.name === 'dg_session')).toBeUndefined();
    // The right code still works after one wrong try.
    expect((await verify('13900000002', demoCode, ip)).statusCode).toBe(200);
  });

  it(`locks a code after ${MAX_TRIES} wrong tries, even for the right code`, async () => {
    const ip = freshIp();
    const { demoCode } = (await sendCode('13900000003', ip)).json();
    const before = await counts();
    for (let i = 1; i < MAX_TRIES; i++) {
      const res = await verify('13900000003', wrongOf(demoCode), ip);
      expectError(res, 401, 'PHONE_CODE_INVALID');
      expect(res.json().error.details.triesLeft).toBe(MAX_TRIES - i);
    }
    expectError(await verify('13900000003', wrongOf(demoCode), ip), 401, 'PHONE_CODE_LOCKED');
    expectError(await verify('13900000003', demoCode, ip), 401, 'PHONE_CODE_LOCKED');
    expect(await counts()).toEqual(before);
    const failed = await t.deps.db.selectFrom('audit_log').select('details').where('action', '=', 'auth.phone_code_failed').execute();
    expect(failed.filter((a) => JSON.stringify(a.details).includes('139****0003'))).toHaveLength(MAX_TRIES);
  });

  it('refuses an expired code, and a number that never asked for one', async () => {
    const ip = freshIp();
    const { demoCode } = (await sendCode('13900000004', ip)).json();
    await t.deps.db.updateTable('phone_codes').set({ expires_at: new Date(Date.now() - 1000) }).where('phone_hash', '=', t.deps.vault.hash('phone', '13900000004')).execute();
    const before = await counts();
    expectError(await verify('13900000004', demoCode, ip), 401, 'PHONE_CODE_EXPIRED');
    expectError(await verify('13900000005', '123456', ip), 401, 'PHONE_CODE_EXPIRED');
    expect(await counts()).toEqual(before);
  });

  const codeOf = (phone: string) => t.deps.db.selectFrom('phone_codes').select(['attempts', 'used_at']).where('phone_hash', '=', t.deps.vault.hash('phone', phone)).orderBy('id', 'desc').executeTakeFirstOrThrow();
  const failedTries = async (masked: string) =>
    (await t.deps.db.selectFrom('audit_log').select('details').where('action', '=', 'auth.phone_code_failed').execute()).filter((a) => JSON.stringify(a.details).includes(masked)).length;
  const errorCodes = (responses: { statusCode: number; json: () => { error?: { code: string } } }[]) => {
    const count: Record<string, number> = {};
    for (const r of responses) {
      const key = r.statusCode === 200 ? '200' : (r.json().error?.code ?? String(r.statusCode));
      count[key] = (count[key] ?? 0) + 1;
    }
    return count;
  };

  it(`compares at most ${MAX_TRIES} of 100 concurrent guesses, so the right code sent last never signs in`, async () => {
    const ip = freshIp();
    const { demoCode } = (await sendCode('13900000011', ip)).json();
    const before = await counts();
    // Requests reach the database in the order sent, so the right code is counted after every wrong one.
    const guesses = [...Array.from({ length: 99 }, (_, i) => String((Number(demoCode) + 1 + i) % 1_000_000).padStart(6, '0')), demoCode];
    const responses = await Promise.all(guesses.map((code) => verify('13900000011', code, ip)));
    expect(errorCodes(responses)).toEqual({ PHONE_CODE_INVALID: MAX_TRIES - 1, PHONE_CODE_LOCKED: 100 - (MAX_TRIES - 1) });
    expectError(responses[99] as (typeof responses)[number], 401, 'PHONE_CODE_LOCKED');
    expect(await counts()).toEqual(before);
    expect(await codeOf('13900000011')).toEqual({ attempts: MAX_TRIES, used_at: null });
    expect(await failedTries('139****0011')).toBe(MAX_TRIES);
  });

  it(`signs in at most once from 100 concurrent guesses holding the right code, and counts no more than ${MAX_TRIES} tries`, async () => {
    const ip = freshIp();
    const { demoCode } = (await sendCode('13900000012', ip)).json();
    const sessionsBefore = (await counts()).sessions;
    const guesses = [demoCode, ...Array.from({ length: 99 }, (_, i) => String((Number(demoCode) + 1 + i) % 1_000_000).padStart(6, '0'))];
    const responses = await Promise.all(guesses.map((code) => verify('13900000012', code, ip)));
    const signedIn = responses.filter((r) => r.statusCode === 200).length;
    expect(signedIn).toBeLessThanOrEqual(1);
    expect((await counts()).sessions - sessionsBefore).toBe(signedIn);
    // Every try counted was compared once: the sign-in or a wrong try; once used, the code is compared no more.
    const { attempts } = await codeOf('13900000012');
    expect(attempts).toBeLessThanOrEqual(MAX_TRIES);
    expect(signedIn + (await failedTries('139****0012'))).toBe(attempts);
    expect(responses.every((r) => r.statusCode === 200 || r.statusCode === 401)).toBe(true);
  });

  it('answers an expired or used code the same whether the guess is right or wrong, without counting a try', async () => {
    const ip = freshIp();
    const { demoCode } = (await sendCode('13900000013', ip)).json();
    await t.deps.db.updateTable('phone_codes').set({ expires_at: new Date(Date.now() - 1000) }).where('phone_hash', '=', t.deps.vault.hash('phone', '13900000013')).execute();
    const expiredRight = await verify('13900000013', demoCode, ip);
    const expiredWrong = await verify('13900000013', wrongOf(demoCode), ip);
    expectError(expiredRight, 401, 'PHONE_CODE_EXPIRED');
    expect(expiredWrong.body).toBe(expiredRight.body);
    expect((await codeOf('13900000013')).attempts).toBe(0);

    const other = freshIp();
    const used = (await sendCode('13900000014', other)).json().demoCode;
    expect((await verify('13900000014', used, other)).statusCode).toBe(200);
    const usedRight = await verify('13900000014', used, other);
    const usedWrong = await verify('13900000014', wrongOf(used), other);
    expectError(usedRight, 401, 'PHONE_CODE_EXPIRED');
    expect(usedWrong.body).toBe(usedRight.body);
    expect((await codeOf('13900000014')).attempts).toBe(1);
  });

  it('refuses numbers that are not mainland mobiles, and codes that are not six digits, with 400', async () => {
    const ip = freshIp();
    const before = await counts();
    for (const phone of ['12345', '23800138000', '1380013800a', '', '138001380001']) {
      expectError(await sendCode(phone, ip), 400, 'VALIDATION_FAILED');
      expectError(await verify(phone, '123456', ip), 400, 'VALIDATION_FAILED');
    }
    for (const code of ['12345', '1234567', 'abcdef']) expectError(await verify('13900000006', code, ip), 400, 'VALIDATION_FAILED');
    expectError(await t.app.inject({ method: 'POST', url: '/api/auth/phone/code', payload: {}, remoteAddress: ip }), 400, 'VALIDATION_FAILED');
    expect(await counts()).toEqual(before);
  });

  it('throttles codes per number (a minute apart, a few an hour) and per IP, with 429 and nothing stored', async () => {
    const ip = freshIp();
    const hash = t.deps.vault.hash('phone', '13900000007');
    const age = (ms: number) => t.deps.db.updateTable('phone_codes').set({ created_at: new Date(Date.now() - ms) }).where('phone_hash', '=', hash).where('created_at', '>', new Date(Date.now() - 30_000)).execute();
    expect((await sendCode('13900000007', ip)).statusCode).toBe(200);
    let before = await counts();
    const soon = await sendCode('13900000007', ip);
    expectError(soon, 429, 'RATE_LIMITED');
    expect(soon.json().error.details).toMatchObject({ reason: 'resend_wait' });
    expect(soon.json().error.details.retryAfterSeconds).toBeGreaterThan(0);
    expect(await counts()).toEqual(before);
    // A minute later another may go, up to the hourly number.
    for (let i = 1; i < PER_PHONE_PER_HOUR; i++) {
      await age(90_000 * i);
      expect((await sendCode('13900000007', ip)).statusCode).toBe(200);
    }
    await age(120_000);
    before = await counts();
    const hourly = await sendCode('13900000007', ip);
    expectError(hourly, 429, 'RATE_LIMITED');
    expect(hourly.json().error.details).toMatchObject({ reason: 'phone_hourly' });
    expect(await counts()).toEqual(before);

    // One address asking for many numbers is stopped too; another address is not.
    const busy = freshIp();
    for (let i = 0; i < PER_IP_PER_HOUR; i++) expect((await sendCode(`1370000${String(i).padStart(4, '0')}`, busy)).statusCode).toBe(200);
    before = await counts();
    const byIp = await sendCode('13799999999', busy);
    expectError(byIp, 429, 'RATE_LIMITED');
    expect(byIp.json().error.details).toMatchObject({ reason: 'ip_hourly' });
    expect(await counts()).toEqual(before);
    expect((await sendCode('13799999999', freshIp())).statusCode).toBe(200);
  });

  it('keeps staff accounts to their password: a staff number gets no session by code', async () => {
    const ip = freshIp();
    const sealed = t.deps.vault.seal('phone', '13900000008');
    await t.deps.db.updateTable('users').set({ phone_hash: sealed.hash, phone_enc: sealed.enc, phone_masked: sealed.masked }).where('id', '=', t.town.users.worker11).execute();
    const { demoCode } = (await sendCode('13900000008', ip)).json();
    const before = await counts();
    expectError(await verify('13900000008', demoCode, ip), 403, 'FORBIDDEN');
    expect(await counts()).toEqual(before);
  });

  it('signs an existing resident account in by its number, and its reports are listed as its own', async () => {
    const ip = freshIp();
    const sealed = t.deps.vault.seal('phone', '13812345678');
    await t.deps.db.updateTable('users').set({ phone_hash: sealed.hash, phone_enc: sealed.enc, phone_masked: sealed.masked }).where('id', '=', t.town.users.resident).execute();
    const { demoCode } = (await sendCode('13812345678', ip)).json();
    const res = await verify('13812345678', demoCode, ip);
    expect(res.json()).toMatchObject({ userId: t.town.users.resident, username: 't_resident', newAccount: false });
    const headers = { cookie: `dg_session=${res.cookies.find((c) => c.name === 'dg_session')?.value}` };
    const report = await t.app.inject({ method: 'POST', url: '/api/matters', headers, payload: {
      source: 'resident_report', channel: 'phone', description: '楼下路灯不亮了', location: { lng: 106.505, lat: 29.51, crs: 'wgs84' }, photos: [], reporter: {},
    } });
    expect(report.statusCode).toBe(201);
    const list = await t.app.inject({ method: 'GET', url: '/api/matters?order=recent', headers });
    expect(list.json().items.map((m: { code: string }) => m.code)).toEqual([report.json().code]);
  });
});

describe('signing in by phone with an SMS gateway webhook', () => {
  const t = useTestTown();
  let app: FastifyInstance;
  let receiver: Server;
  let refuse = false;
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const secret = 'gateway-secret-1';

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(refuse ? 500 : 200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/sms`;
    // A second app over the same database, configured with the gateway.
    app = (await t.another({ env: { DUALGRID_SMS_WEBHOOK_URL: url, DUALGRID_SMS_WEBHOOK_SECRET: secret } })).app;
  });
  afterAll(async () => {
    await new Promise((done) => receiver?.close(done));
  });

  it('sends the code to the gateway, signed, and never returns it', async () => {
    const ip = freshIp();
    const res = await app.inject({ method: 'POST', url: '/api/auth/phone/code', payload: { phone: '13600000001' }, remoteAddress: ip });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ phone: '136****0001', mode: 'webhook', expiresInSeconds: 300, resendAfterSeconds: 60 });
    expect(res.body).not.toContain('demoCode');
    expect(received).toHaveLength(1);
    const [hit] = received;
    const timestamp = String(hit?.headers['x-dualgrid-timestamp']);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(600);
    expect(hit?.headers['x-dualgrid-signature']).toBe(createHmac('sha256', secret).update(`${timestamp}.${hit?.body}`).digest('hex'));
    expect(hit?.headers['x-dualgrid-signature']).not.toBe(createHmac('sha256', 'another-secret').update(`${timestamp}.${hit?.body}`).digest('hex'));
    const message = JSON.parse(hit?.body ?? '{}');
    expect(message).toMatchObject({ kind: 'login_code', phone: '13600000001', expiresInSeconds: 300 });
    expect(message.code).toMatch(/^\d{6}$/);
    expect(message.text).toContain(message.code);

    // The code from the text message signs in.
    const ok = await app.inject({ method: 'POST', url: '/api/auth/phone/verify', payload: { phone: '13600000001', code: message.code }, remoteAddress: ip });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ displayName: '居民0001', newAccount: true });
  });

  it('answers 502 when the gateway refuses, and stores no code', async () => {
    refuse = true;
    const before = await t.deps.db.selectFrom('phone_codes').select('id').execute();
    const res = await app.inject({ method: 'POST', url: '/api/auth/phone/code', payload: { phone: '13600000002' }, remoteAddress: freshIp() });
    expectError(res, 502, 'SMS_SEND_FAILED');
    expect(await t.deps.db.selectFrom('phone_codes').select('id').execute()).toEqual(before);
    refuse = false;
  });
});
