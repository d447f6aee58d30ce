import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { PiiVault } from './core/pii.ts';
import { type Database, embeddedDir, openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { AppDeps } from './deps.ts';
import { isEmpty, loadDemoTown } from './modules/demo/demo.loader.ts';

export interface Running {
  app: FastifyInstance;
  database: Database;
  deps: AppDeps;
  stop(): Promise<void>;
}

/** Opens the configured database, applies migrations and returns what every command needs. */
export async function openDeps(config: Config): Promise<{ deps: AppDeps; database: Database }> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: embeddedDir(config.dataDir) });
  await migrateToLatest(database.db);
  return { database, deps: { db: database.db, engine: database.engine, config, vault: new PiiVault(config.piiKey) } };
}

/** `dualgrid serve`: migrate, load the demo town into an empty database unless told not to, listen. */
export async function serve(config: Config): Promise<Running> {
  const { deps, database } = await openDeps(config);
  const app = await buildApp(deps, { logger: { level: config.logLevel } });
  if (config.demoOnEmpty && (await isEmpty(deps.db))) {
    const started = Date.now();
    const figures = await loadDemoTown(deps);
    app.log.info({ ...figures, ms: Date.now() - started }, 'loaded the demo town into the empty database');
  }
  await app.listen({ port: config.port, host: config.host });
  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      await app.close();
      await database.close();
    })();
    return stopping;
  };
  return { app, database, deps, stop };
}
