import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.ts';

export type Engine = 'pglite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  engine: Engine;
  close(): Promise<void>;
}

// Return int8 (counts, sums) as JS numbers; our ids are int4 and counts stay far below 2^53.
pg.types.setTypeParser(20, (value: string) => Number(value));
// Keep DATE columns as 'YYYY-MM-DD' strings rather than local-midnight Date objects.
pg.types.setTypeParser(1082, (value: string) => value);

export interface DatabaseOptions {
  databaseUrl: string | null;
  /** Folder for the embedded database; null means in memory (tests). */
  pgliteDir: string | null;
  poolSize?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // An idle connection dropped by the server (restart, failover) must not crash the process; the pool reconnects.
    pool.on('error', (err) => process.emitWarning(`PostgreSQL idle connection lost: ${err.message}`));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, engine: 'postgres', close: () => db.destroy() };
  }
  if (options.pgliteDir) mkdirSync(options.pgliteDir, { recursive: true });
  const pglite = await PGlite.create({
    dataDir: options.pgliteDir ?? undefined,
    // Parse int8 and date the same way as the pg driver so both engines return identical values.
    parsers: { 20: (value: string) => Number(value), 1082: (value: string) => value },
  });
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
  return {
    db,
    engine: 'pglite',
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

export const embeddedDir = (dataDir: string) => join(dataDir, 'pglite');
