import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { AppDeps } from '../src/deps.ts';
import { APP_PREFIXES } from '../src/modules/pages/pages.routes.ts';
import { expectError } from './helpers/app.ts';
import { messageCount, postWebhook, useOnlineTown, webhookMessage } from './online/fixture.ts';
import { useTestTown } from './helpers/town.ts';

const count = async (t: { deps: AppDeps }, table: string): Promise<number> =>
  Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(t.deps.db)).rows[0]?.n);

/** A multipart body whose boundary is declared but never closes: the parser gives up mid-part. */
const brokenMultipart = {
  'content-type': 'multipart/form-data; boundary=----x',
  payload: '------x\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff',
};

describe('hostile input is refused with 400 and changes nothing (issue 10 findings)', () => {
  const t = useTestTown();
  const [centre] = t.actors('t_centre');

  it('refuses ids past the int4 range in paths, queries and bodies', async () => {
    expectError(await t.app.inject({ method: 'GET', url: '/api/nodes/2147483648' }), 400, 'VALIDATION_FAILED');
    expectError(await t.app.inject({ method: 'GET', url: '/api/nodes/9007199254740991' }), 400, 'VALIDATION_FAILED');
    expect((await t.app.inject({ method: 'GET', url: '/api/nodes/2147483647' })).statusCode).toBe(404);
    expectError(await centre.raw('GET', '/api/matters?under=2147483648'), 400, 'VALIDATION_FAILED');
    const before = await count(t, 'matters');
    expectError(await centre.raw('POST', '/api/matters', { source: 'hotline', description: '楼下路灯坏了好几天了', location: { nodeId: 2 ** 31 } }), 400, 'VALIDATION_FAILED');
    expect(await count(t, 'matters')).toBe(before);
  });

  it('refuses NUL characters anywhere: login, search, matter fields; naming the field', async () => {
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 't_centre\u0000', password: 'x' } });
    expectError(login, 400, 'VALIDATION_FAILED');
    expect(login.json().error.details.issues[0].path).toBe('body.username');
    expectError(await centre.raw('GET', `/api/nodes?q=${encodeURIComponent('花园\u0000')}`), 400, 'VALIDATION_FAILED');
    const before = await count(t, 'matters');
    const res = await centre.raw('POST', '/api/matters', { source: 'hotline', description: '水管爆了\u0000莫得水', location: { nodeId: t.town.g11.id } });
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.json().error.message).toContain('body.description');
    expect(await count(t, 'matters')).toBe(before);
  });

  it('refuses lone UTF-16 surrogates (login via the audit jsonb, token names)', async () => {
    const auditBefore = await count(t, 'audit_log');
    expectError(await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: `{"username":"t_centre\\ud800","password":"x"}`, headers: { 'content-type': 'application/json' } }), 400, 'VALIDATION_FAILED');
    expectError(await centre.raw('POST', '/api/auth/tokens', { name: 'bad \udc00 name' }), 400, 'VALIDATION_FAILED');
    expect(await count(t, 'audit_log')).toBe(auditBefore);
    // A whole emoji is a surrogate pair, and welcome.
    expect((await centre.raw('POST', '/api/auth/tokens', { name: '同步 😀' })).statusCode).toBe(201);
  });

  it('answers a malformed multipart body with 400 on the photo upload and the people import', async () => {
    const upload = await t.app.inject({ method: 'POST', url: '/api/files', headers: { ...(await t.login('t_worker11')), 'content-type': brokenMultipart['content-type'] }, payload: brokenMultipart.payload });
    expectError(upload, 400, 'MALFORMED_UPLOAD');
    const people = await t.app.inject({ method: 'POST', url: '/api/admin/import/people', headers: { ...(await t.login('t_admin')), 'content-type': brokenMultipart['content-type'] }, payload: brokenMultipart.payload });
    expectError(people, 400, 'MALFORMED_UPLOAD');
  });
});

describe('one poisoned webhook message fails alone', () => {
  const o = useOnlineTown();

  it('30 valid concurrent messages are all stored while a signed one with a NUL is refused', async () => {
    const before = await messageCount(o);
    const valid = Array.from({ length: 30 }, (_, i) => webhookMessage({ text: `${i + 1}号楼的路灯不亮了，晚上黑黢黢的` }));
    const poisoned = webhookMessage({ text: '楼道\u0000漏水了' });
    const answers = await Promise.all([...valid.slice(0, 15), poisoned, ...valid.slice(15)].map((m) => postWebhook(o, m)));
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(30);
    expectError(answers[15] as (typeof answers)[number], 400, 'MALFORMED_MESSAGE');
    expect(await messageCount(o)).toBe(before + 30);
  });
});

describe('web protections', () => {
  const t = useTestTown({ seed: 'town' });

  it('sends the security headers on every area page, the overview and the API', async () => {
    for (const url of ['/', ...APP_PREFIXES, '/api/nodes?root=true', '/healthz']) {
      const res = await t.app.inject({ method: 'GET', url });
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).toContain("script-src 'self'");
      expect(csp, url).not.toContain("'unsafe-eval'");
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('same-origin');
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
    }
    // The overview's script is a file of its own, since the policy allows no inline script.
    const overview = await t.app.inject({ method: 'GET', url: '/' });
    expect(overview.body).not.toMatch(/<script>(?!<\/script>)/);
    expect((await t.app.inject({ method: 'GET', url: '/overview.js' })).headers['content-type']).toContain('javascript');
  });

  it('refuses cookie-authenticated writes from a foreign origin, and lets same-origin and bearer calls through', async () => {
    const cookie = await t.login('t_centre');
    const report = { source: 'hotline', description: '小区门口井盖松了，踩上去哐当响', location: { nodeId: t.town.g11.id } };
    const send = (headers: Record<string, string>) => t.app.inject({ method: 'POST', url: '/api/matters', headers: { ...headers, host: 'grid.example.gov.cn' }, payload: report });
    const before = await count(t, 'matters');
    expectError(await send({ ...cookie, origin: 'https://evil.example' }), 403, 'CROSS_SITE_REQUEST');
    expectError(await send({ ...cookie, 'sec-fetch-site': 'cross-site' }), 403, 'CROSS_SITE_REQUEST');
    expect(await count(t, 'matters')).toBe(before);
    // Login CSRF (signing a victim in as someone else) is refused too.
    const foreignLogin = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { origin: 'https://evil.example' }, payload: { username: 't_centre', password: 'x' } });
    expectError(foreignLogin, 403, 'CROSS_SITE_REQUEST');
    expect((await send({ ...cookie, origin: 'http://grid.example.gov.cn', 'sec-fetch-site': 'same-origin' })).statusCode).toBe(201);
    expect((await send({ ...cookie })).statusCode).toBe(201);
    // Behind a proxy that rewrites Host, the configured public URL's origin is this site too.
    const viaProxy = await t.app.inject({ method: 'POST', url: '/api/matters', headers: { ...cookie, host: '127.0.0.1:8080', origin: t.deps.config.publicUrl }, payload: report });
    expect(viaProxy.statusCode).toBe(201);
    const token = (await t.app.inject({ method: 'POST', url: '/api/auth/tokens', headers: cookie, payload: { name: 'integration' } })).json().token;
    expect((await send({ authorization: `Bearer ${token}`, origin: 'https://partner.example' })).statusCode).toBe(201);
  });

  it('shows /metrics only to the allow-list or the token holder', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
    expectError(await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.1.2.3' }), 403, 'FORBIDDEN');
  });
});

describe('web protections behind HTTPS', () => {
  const t = useTestTown({ seed: 'none', env: { DUALGRID_SECURE_COOKIES: '1', DUALGRID_METRICS_TOKEN: 'scrape-secret-123', DUALGRID_METRICS_ALLOW: '' } });

  it('adds HSTS and upgrade-insecure-requests; /metrics takes the token', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/r' });
    expect(res.headers['strict-transport-security']).toContain('max-age=');
    expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
    expectError(await t.app.inject({ method: 'GET', url: '/metrics' }), 403, 'FORBIDDEN');
    expectError(await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer wrong' } }), 403, 'FORBIDDEN');
    expect((await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer scrape-secret-123' } })).statusCode).toBe(200);
  });
});
