import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { initEmbeddedDir, openDatabase } from '../src/db/database.ts';
import { testEngine } from './helpers/engine.ts';

// The embedded database's own start: made in a child process, with the small memory settings. PGlite only.
describe.skipIf(testEngine !== 'pglite')('the embedded database folder', () => {
  const root = mkdtempSync(join(tmpdir(), 'dualgrid-embedded-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('makes the cluster of an empty folder in a child, clears a killed start’s staging folder, and opens with 16 MB of shared buffers', async () => {
    const dir = join(root, 'pglite');
    mkdirSync(join(root, 'pglite.initdb-999999'));
    writeFileSync(join(root, 'pglite.initdb-999999', 'PG_VERSION'), '17\n');

    const made = await initEmbeddedDir(dir);
    expect(made?.childPeakRssBytes).toBeGreaterThan(0);
    expect(existsSync(join(dir, 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(root, 'pglite.initdb-999999'))).toBe(false);
    expect(await initEmbeddedDir(dir)).toBeNull(); // a folder with a cluster is left alone

    const database = await openDatabase({ databaseUrl: null, pgliteDir: dir });
    try {
      const { rows } = await sql<{ shared_buffers: string }>`show shared_buffers`.execute(database.db);
      expect(rows[0]?.shared_buffers).toBe('16MB');
      await sql`create table kept (n int)`.execute(database.db);
      await sql`insert into kept values (7)`.execute(database.db);
    } finally {
      await database.close();
    }
    const reopened = await openDatabase({ databaseUrl: null, pgliteDir: dir });
    try {
      const { rows } = await sql<{ n: number }>`select n from kept`.execute(reopened.db);
      expect(rows).toEqual([{ n: 7 }]);
    } finally {
      await reopened.close();
    }
  });

  it('leaves a folder that holds something other than a cluster to PGlite', async () => {
    const dir = join(root, 'other');
    mkdirSync(dir);
    writeFileSync(join(dir, 'note.txt'), 'not a cluster');
    expect(await initEmbeddedDir(dir)).toBeNull();
    expect(existsSync(join(dir, 'PG_VERSION'))).toBe(false);
  });
});
