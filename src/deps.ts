import type { Kysely } from 'kysely';
import type { Config } from './config.ts';
import type { PiiVault } from './core/pii.ts';
import type { Engine, Listen } from './db/database.ts';
import type { DB } from './db/schema.ts';

/** What every module's service is built from: the database, configuration and the PII vault. */
export interface AppDeps {
  db: Kysely<DB>;
  engine: Engine;
  config: Config;
  vault: PiiVault;
  /** LISTEN/NOTIFY for live updates; without it, live streams fall back to their own PostgreSQL connection or are unavailable. */
  listen?: Listen;
}
