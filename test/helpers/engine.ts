import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { seedReferenceData } from '../../src/db/seed.ts';

/**
 * Tests run on the engine named by DUALGRID_TEST_ENGINE: 'pglite' (default, in memory) or 'postgres',
 * where each test file gets its own freshly created database on TEST_DATABASE_URL's server, dropped after.
 */
export const testEngine = (process.env.DUALGRID_TEST_ENGINE ?? 'pglite') === 'postgres' ? 'postgres' : 'pglite';
const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase extends Database {
  /** Connection string of the per-file database (postgres) or null (pglite). */
  url: string | null;
  /** Closes and drops the database. */
  destroy(): Promise<void>;
  /**
   * A restart: closes this handle and opens the same storage again (the same PostgreSQL database, or PGlite's
   * pgliteDir; an in-memory PGlite has nothing to reopen). destroy() of the handle it returns drops the database.
   */
  reopen(): Promise<TestDatabase>;
}

export async function createTestDatabase(options: { pgliteDir?: string } = {}): Promise<TestDatabase> {
  if (testEngine === 'pglite') {
    const pgliteDir = options.pgliteDir ?? null;
    const database = await openDatabase({ databaseUrl: null, pgliteDir });
    await migrateToLatest(database.db);
    await seedReferenceData(database.db);
    return testDatabase(database, { url: null, pgliteDir, drop: async () => {} });
  }
  const name = `dualgrid_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = withDatabase(serverUrl, name);
  const database = await openDatabase({ databaseUrl: url, pgliteDir: null, poolSize: 5 });
  await migrateToLatest(database.db);
  await seedReferenceData(database.db);
  return testDatabase(database, { url, pgliteDir: null, drop: () => adminQuery(`drop database if exists ${name} with (force)`) });
}

function testDatabase(database: Database, where: { url: string | null; pgliteDir: string | null; drop: () => Promise<void> }): TestDatabase {
  return {
    ...database,
    url: where.url,
    destroy: async () => {
      // A handle already closed (reopen() closes it) may still be destroyed, only to drop.
      await database.close().catch(() => undefined);
      await where.drop();
    },
    reopen: async () => {
      if (!where.url && !where.pgliteDir) throw new Error('an in-memory PGlite database cannot be reopened: create it with a pgliteDir');
      await database.close();
      const reopened = await openDatabase({ databaseUrl: where.url, pgliteDir: where.url ? null : where.pgliteDir, poolSize: 5 });
      return testDatabase(reopened, where);
    },
  };
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
