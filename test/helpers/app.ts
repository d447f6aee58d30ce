import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { type BuildAppOptions, buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { PiiVault } from '../../src/core/pii.ts';
import type { AppDeps } from '../../src/deps.ts';
import { createTestDatabase, type TestDatabase } from './engine.ts';

export const TEST_PII_KEY = randomBytes(32);

export interface TestApp {
  app: FastifyInstance;
  deps: AppDeps;
  database: TestDatabase;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** The database to build on (its owner destroys it); a fresh one, destroyed on close, when absent. */
  database?: TestDatabase;
  piiKey?: Buffer;
  /** The uploads folder (its owner removes it); a fresh temporary one, removed on close, when absent. */
  filesDir?: string;
  /** Environment read into the app's configuration over the tests' own, e.g. DUALGRID_SMS_WEBHOOK_URL. */
  env?: Record<string, string>;
  /** The app's logger (off when absent), e.g. a level and a stream a test reads the lines from. */
  logger?: BuildAppOptions['logger'];
}

/** A real app over a real database (PGlite or PostgreSQL), driven with app.inject. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  // Uploads go to a fresh temporary folder (removed on close) unless the test names one, never to ./data.
  const filesDir = options.filesDir ?? (await mkdtemp(join(tmpdir(), 'dualgrid-files-')));
  const config = { ...loadConfig({ DUALGRID_PII_KEY: (options.piiKey ?? TEST_PII_KEY).toString('base64'), DUALGRID_NO_DEMO: '1', DUALGRID_DEMO_CHATTER: '0', ...options.env }), databaseUrl: database.url, filesDir };
  const deps: AppDeps = { db: database.db, engine: database.engine, config, vault: new PiiVault(config.piiKey), listen: database.listen };
  const app = await buildApp(deps, { logger: options.logger });
  await app.ready();
  return {
    app, deps, database,
    close: async () => {
      await app.close();
      if (!options.database) await database.destroy();
      if (!options.filesDir) await rm(filesDir, { recursive: true, force: true });
    },
  };
}

/** Logs in over HTTP and returns the session cookie header for later requests. */
export async function login(app: FastifyInstance, username: string, password: string): Promise<Record<string, string>> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'dg_session');
  if (!cookie) throw new Error('no session cookie');
  return { cookie: `dg_session=${cookie.value}` };
}

export const body = <T = Record<string, unknown>>(res: LightMyRequestResponse): T => res.json() as T; // tests read JSON shapes they assert on next

export function expectError(res: LightMyRequestResponse, status: number, code: string): void {
  if (res.statusCode !== status || res.json().error?.code !== code) {
    throw new Error(`expected ${status} ${code}, got ${res.statusCode} ${res.body}`);
  }
}
