// The app built the way the tests build it (test/helpers/app.ts), plus one bench-only route added
// before the app is sealed: Fastify takes no new routes after ready().
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { PiiVault } from '../src/core/pii.ts';
import type { Database } from '../src/db/database.ts';
import type { AppDeps } from '../src/deps.ts';

export interface BenchApp {
  app: FastifyInstance;
  deps: AppDeps;
  close(): Promise<void>;
}

export async function createBenchApp(database: Database, databaseUrl: string | null): Promise<BenchApp> {
  // Uploads go to a temporary folder removed on close, never to ./data.
  const filesDir = await mkdtemp(join(tmpdir(), 'dualgrid-bench-files-'));
  const config = { ...loadConfig({ DUALGRID_PII_KEY: randomBytes(32).toString('base64'), DUALGRID_NO_DEMO: '1' }), databaseUrl, filesDir };
  const deps: AppDeps = { db: database.db, engine: database.engine, config, vault: new PiiVault(config.piiKey), listen: database.listen };
  const app = await buildApp(deps);
  await sql`create table if not exists bench_insert (id bigserial primary key, at timestamptz not null default now(), payload jsonb not null)`.execute(deps.db);
  // The ceiling for writes: the least an endpoint on the same stack and database can do, one row per request.
  app.post('/bench/insert', { schema: { hide: true } }, async (req, reply) => {
    const { rows } = await sql<{ id: number }>`insert into bench_insert (payload) values (${JSON.stringify(req.body ?? {})}) returning id`.execute(deps.db);
    return reply.code(201).send({ id: rows[0]?.id ?? null });
  });
  await app.ready();
  return {
    app, deps,
    close: async () => {
      await app.close();
      await rm(filesDir, { recursive: true, force: true });
    },
  };
}
