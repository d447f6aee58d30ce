import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.ts';

interface Line { level: number; msg: string; status?: number; url?: string; ms?: number }
const INFO = 30;

/** The log a town's operator reads: at info, only refused, failed and slow requests; every request at debug. */
describe('request log', () => {
  const lines: Line[] = [];
  const stream = { write: (s: string) => { lines.push(JSON.parse(s) as Line); } };
  let t: TestApp;
  let slow: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ logger: { level: 'debug', stream } });
    slow = await createTestApp({ database: t.database, logger: { level: 'debug', stream }, env: { DUALGRID_SLOW_REQUEST_MS: '0' } });
  });
  afterAll(async () => {
    await slow?.close();
    await t?.close();
  });
  // The summary is written once the response has gone out, which may be after inject() resolves.
  const requestLines = (url: string) => vi.waitFor(() => {
    const mine = lines.filter((l) => l.url === url);
    if (!mine.some((l) => l.status !== undefined)) throw new Error(`no summary line for ${url} yet`);
    return mine;
  });

  it('logs a good request at debug only: nothing at info', async () => {
    lines.length = 0;
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const mine = (await requestLines('/healthz')).filter((l) => l.msg !== 'incoming request');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ msg: 'request completed', status: 200 });
    expect(mine[0]?.level).toBeLessThan(INFO);
    expect(lines.filter((l) => l.level >= INFO)).toEqual([]);
  });

  it('logs a refused request at info with its status', async () => {
    lines.length = 0;
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: {} })).statusCode).toBe(400);
    const mine = (await requestLines('/api/auth/login')).filter((l) => l.msg !== 'incoming request');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ level: INFO, msg: 'request refused', status: 400 });
  });

  it('logs a request slower than DUALGRID_SLOW_REQUEST_MS at info', async () => {
    lines.length = 0;
    expect((await slow.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await requestLines('/healthz')).find((l) => l.msg !== 'incoming request')).toMatchObject({ level: INFO, msg: 'slow request', status: 200 });
  });
});
