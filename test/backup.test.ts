import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { seedReferenceData } from '../src/db/seed.ts';
import { createBackup, type DatabaseTarget, type Installation, restoreBackup } from '../src/modules/maintenance/backup.service.ts';
import { run } from '../src/modules/maintenance/backup.tools.ts';
import { lockDataDir, lockFileOf } from '../src/modules/maintenance/datadir.lock.ts';
import { keyFingerprint } from '../src/modules/maintenance/keys.service.ts';
import { tableCounts, tableNames } from '../src/modules/maintenance/maintenance.repository.ts';
import { createTestApp, login, TEST_PII_KEY, type TestApp } from './helpers/app.ts';
import { adminQuery, createTestDatabase, type TestDatabase, testEngine, withDatabase } from './helpers/engine.ts';
import { PASSWORD, seedStoryTown, type StoryTown } from './helpers/factory.ts';
import { tinyJpeg, uploadPhoto } from './helpers/matters.ts';

// `dualgrid backup` and `restore` on the engine under test: a town with data and a photo, backed up, restored into a
// wiped installation (a new empty database or PGlite folder, an empty uploads folder), then the same rows in every
// table, a password sign-in, the photo and a revealed number. The source and target are built with the helpers
// useTestTown builds on, since a backup works on a PGlite folder, not on an open handle.
const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

describe(`backup → wipe → restore (${testEngine})`, () => {
  const dirs: string[] = [];
  const databases: string[] = [];
  const apps: TestApp[] = [];
  const handles: TestDatabase[] = [];
  const tempDir = async (prefix: string) => {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  const photoBytes = tinyJpeg();
  let town: StoryTown;
  let photo = '';
  let matterId = 0;
  let source: Installation;
  let counts: Record<string, number> = {};
  let archive = '';
  let target: Installation;

  /** A wiped installation: a PostgreSQL database just created, or a PGlite folder not there yet; empty uploads. */
  const emptyInstallation = async (piiKey: Buffer): Promise<Installation> => {
    let database: DatabaseTarget;
    if (testEngine === 'pglite') {
      database = { engine: 'pglite', dir: join(await tempDir('dualgrid-restore-'), 'pglite') };
    } else {
      const name = `dualgrid_test_${process.pid}_${randomBytes(4).toString('hex')}`;
      await adminQuery(`create database ${name}`);
      databases.push(name);
      database = { engine: 'postgres', url: withDatabase(serverUrl, name) };
    }
    return { database, filesDir: join(await tempDir('dualgrid-restore-files-'), 'files'), piiKey };
  };

  /** The restored installation's database as the app opens it at start: migrations, reference data. */
  const openRestored = async (where: DatabaseTarget): Promise<TestDatabase> => {
    if (where.engine === 'pglite') {
      const handle = await createTestDatabase({ pgliteDir: where.dir });
      handles.push(handle);
      return handle;
    }
    const database = await openDatabase({ databaseUrl: where.url, pgliteDir: null, poolSize: 5 });
    await migrateToLatest(database.db);
    await seedReferenceData(database.db);
    const handle: TestDatabase = { ...database, url: where.url, destroy: () => database.close(), reopen: () => Promise.reject(new Error('not reopened here')) };
    handles.push(handle);
    return handle;
  };

  const tablesOf = async (where: DatabaseTarget): Promise<string[]> => {
    if (where.engine === 'pglite') return existsSync(where.dir) ? ['(a folder)'] : [];
    const database = await openDatabase({ databaseUrl: where.url, pgliteDir: null, poolSize: 1 });
    try {
      return await tableNames(database.db);
    } finally {
      await database.close();
    }
  };

  beforeAll(async () => {
    const pgliteDir = testEngine === 'pglite' ? join(await tempDir('dualgrid-backup-'), 'pglite') : undefined;
    const database = await createTestDatabase({ pgliteDir });
    handles.push(database);
    const filesDir = await tempDir('dualgrid-backup-files-');
    const app = await createTestApp({ database, filesDir });
    apps.push(app);
    town = await seedStoryTown(app.deps);
    const worker = await login(app.app, 't_worker11', PASSWORD);
    photo = await uploadPhoto(app.app, worker, photoBytes);
    const reported = await app.app.inject({
      method: 'POST', url: '/api/matters', headers: worker,
      payload: { source: 'visit', channel: 'phone', description: '楼道扶手松动', location: { buildingId: town.building.id }, reporter: { residentId: town.residents.r11 }, photos: [photo] },
    });
    expect(reported.statusCode, reported.body).toBe(201);
    matterId = reported.json().id;
    counts = await tableCounts(app.deps.db);
    // PGlite serves one process: the app lets go of its folder before the backup opens it. PostgreSQL keeps serving.
    if (testEngine === 'pglite') {
      await app.close();
      await database.close();
    }
    source = { database: pgliteDir ? { engine: 'pglite', dir: pgliteDir } : { engine: 'postgres', url: database.url ?? '' }, filesDir, piiKey: TEST_PII_KEY };
    archive = join(await tempDir('dualgrid-backup-out-'), 'dualgrid.tar');
  });

  afterAll(async () => {
    for (const app of apps.reverse()) await app.close().catch(() => undefined);
    for (const handle of handles.reverse()) await handle.destroy().catch(() => undefined);
    for (const name of databases) await adminQuery(`drop database if exists ${name} with (force)`);
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('writes one archive: the manifest, the database and the photos, with the key’s fingerprint and not the key', async () => {
    const manifest = await createBackup(source, archive);
    expect(manifest).toMatchObject({
      format: 'dualgrid-backup', engine: testEngine, database: testEngine === 'pglite' ? 'pglite.tar.gz' : 'database.pgdump',
      files: { count: 1, bytes: photoBytes.length }, piiKey: { fingerprint: keyFingerprint(TEST_PII_KEY), opensData: true },
    });
    expect(manifest.rowCounts).toEqual(counts);
    expect(manifest.rowCounts.matters).toBe(1);
    expect(manifest.migrations.length).toBeGreaterThanOrEqual(10);
    const entries = (await run('tar', ['-tf', archive])).split('\n').filter(Boolean);
    expect(entries).toEqual(expect.arrayContaining(['manifest.json', manifest.database, `files/${photo.slice(0, 2)}/${photo}`]));
    const bytes = readFileSync(archive);
    expect(bytes.includes(TEST_PII_KEY)).toBe(false);
    expect(bytes.includes(Buffer.from(TEST_PII_KEY.toString('base64')))).toBe(false);
    await expect(createBackup(source, archive)).rejects.toThrow(/exists already/);
  });

  it('refuses a restore under another PII key, or of a file that is no backup, and leaves the wiped installation untouched', async () => {
    const wrongKey = await emptyInstallation(randomBytes(32));
    await expect(restoreBackup(wrongKey, archive)).rejects.toThrow(/is not the key of this backup/);
    expect(await tablesOf(wrongKey.database)).toEqual([]);
    expect(existsSync(wrongKey.filesDir)).toBe(false);

    const junk = join(await tempDir('dualgrid-junk-'), 'junk.tar');
    await writeFile(junk, 'not a tar archive at all');
    const wiped = await emptyInstallation(TEST_PII_KEY);
    await expect(restoreBackup(wiped, junk)).rejects.toThrow(/not a dualgrid backup/);
    expect(await tablesOf(wiped.database)).toEqual([]);
  });

  it('restores into a wiped installation: the same rows in every table, a password sign-in, the photo and the numbers', async () => {
    target = await emptyInstallation(TEST_PII_KEY);
    const report = await restoreBackup(target, archive);
    expect(report).toMatchObject({ movedAside: null, photos: { restored: 1, present: 0 }, keyMismatch: false });

    const database = await openRestored(target.database);
    expect(await tableCounts(database.db)).toEqual(counts);
    const app = await createTestApp({ database, filesDir: target.filesDir });
    apps.push(app);
    const worker = await login(app.app, 't_worker11', PASSWORD);
    const file = await app.app.inject({ method: 'GET', url: `/api/files/${photo}`, headers: worker });
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(photoBytes)).toBe(true);
    const matter = await app.app.inject({ method: 'GET', url: `/api/matters/${matterId}`, headers: worker });
    expect(matter.json().photos.map((p: { hash: string }) => p.hash)).toEqual([photo]);
    const admin = await login(app.app, 't_admin', PASSWORD);
    const revealed = await app.app.inject({ method: 'POST', url: `/api/residents/${town.residents.r11}/reveal`, headers: admin, payload: { fields: ['phone'], reason: '恢复后核对' } });
    expect(revealed.json()).toEqual({ id: town.residents.r11, phone: '13812345678' });
  });

  it.runIf(testEngine === 'postgres')('refuses to restore over a PostgreSQL database an app is connected to', async () => {
    await expect(restoreBackup(target, archive)).rejects.toThrow(/other session\(s\) use this database/);
  });
});

// main.ts holds this lock around every command on the embedded database, so `backup` refuses while `serve` runs.
describe('the embedded data folder lock', () => {
  let dir = '';
  let child: ChildProcess | null = null;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dualgrid-lock-'));
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });
  const holdBy = (pid: number) => writeFileSync(lockFileOf(dir), JSON.stringify({ pid, command: 'serve', since: '2026-12-01T00:00:00.000Z' }));

  it('refuses while the process that holds it lives, and takes it over once that process is gone', async () => {
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    child = holder;
    const pid = holder.pid ?? 0;
    holdBy(pid);
    expect(() => lockDataDir(dir, 'backup')).toThrow(new RegExp(`in use by process ${pid} \\(dualgrid serve`));
    const gone = new Promise((resolve) => holder.once('exit', resolve));
    holder.kill('SIGKILL');
    await gone;
    const release = lockDataDir(dir, 'backup');
    expect(JSON.parse(readFileSync(lockFileOf(dir), 'utf8'))).toMatchObject({ pid: process.pid, command: 'backup' });
    // A file naming our own pid is a stale one (a restarted container reuses pids): taken over, not refused.
    const again = lockDataDir(dir, 'serve');
    again();
    release();
    expect(await readdir(dir)).toEqual([]);
  });
});
