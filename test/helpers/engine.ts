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
}

export async function createTestDatabase(options: { pgliteDir?: string } = {}): Promise<TestDatabase> {
  if (testEngine === 'pglite') {
    const database = await openDatabase({ databaseUrl: null, pgliteDir: options.pgliteDir ?? null });
    await migrateToLatest(database.db);
    await seedReferenceData(database.db);
    return { ...database, url: null, destroy: () => database.close() };
  }
  const name = `dualgrid_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = withDatabase(serverUrl, name);
  const database = await openDatabase({ databaseUrl: url, pgliteDir: null, poolSize: 5 });
  await migrateToLatest(database.db);
  await seedReferenceData(database.db);
  return {
    ...database,
    url,
    destroy: async () => {
      // A test that already closed this handle (to reopen the same database) may call destroy() only to drop.
      await database.close().catch(() => undefined);
      await adminQuery(`drop database if exists ${name} with (force)`);
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
