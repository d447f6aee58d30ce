import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery, testEngine, withDatabase } from './helpers/engine.ts';

/** Runs the real `dualgrid serve` process, as `npm start` does, and checks the first start and a restart. */
const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

describe(`npm start (${testEngine})`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'dualgrid-smoke-'));
  const dbName = `dualgrid_smoke_${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = { ...process.env, DUALGRID_DATA_DIR: dir, LOG_LEVEL: 'warn' } as Record<string, string>;
  let child: ChildProcess | null = null;

  beforeAll(async () => {
    delete env.DATABASE_URL;
    if (testEngine === 'postgres') {
      await adminQuery(`create database ${dbName}`);
      env.DATABASE_URL = withDatabase(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', dbName);
      env.DUALGRID_PII_KEY = randomBytes(32).toString('base64');
    }
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    if (testEngine === 'postgres') await adminQuery(`drop database if exists ${dbName} with (force)`);
  });

  async function start(): Promise<{ base: string; seconds: number }> {
    const port = await freePort();
    const started = Date.now();
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], { env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d) => { stderr += d; });
    const base = `http://127.0.0.1:${port}`;
    while (Date.now() - started < 60_000) {
      if (child.exitCode !== null) throw new Error(`the server exited: ${stderr}`);
      const ok = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
      if (ok) return { base, seconds: (Date.now() - started) / 1000 };
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`no /healthz within 60 s: ${stderr}`);
  }

  async function stop(): Promise<void> {
    const proc = child;
    if (!proc) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
    child = null;
  }

  it('answers /healthz within 60 s with the demo town loaded, and keeps it across a restart', async () => {
    const { base, seconds } = await start();
    expect(seconds).toBeLessThan(60);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const page = await (await fetch(`${base}/`)).text();
    expect(page).toContain('双网格');
    const grids = (await (await fetch(`${base}/api/nodes?level=grid&limit=500`)).json()) as { items: unknown[] };
    expect(grids.items).toHaveLength(149);
    expect((await fetch(`${base}/openapi.json`)).status).toBe(200);
    expect((await fetch(`${base}/docs`)).status).toBe(200);
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('dualgrid_http_requests_total');
    await stop();

    const again = await start();
    const after = (await (await fetch(`${again.base}/api/nodes?level=grid&limit=500`)).json()) as { items: unknown[] };
    expect(after.items).toHaveLength(149);
    const login = await fetch(`${again.base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'dualgrid2024' }) });
    expect(login.status).toBe(200);
    await stop();
  });
});
