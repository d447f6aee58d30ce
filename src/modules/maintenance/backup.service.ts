import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { PGliteDialect } from '../../db/pglite-dialect.ts';
import { openDatabase } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { type BackupManifest, FILES, MANIFEST, parseManifest } from './backup.manifest.ts';
import { pgDump, pgRestore, tarCreate, tarExtract } from './backup.tools.ts';
import { keyFingerprint, keyOpensData } from './keys.service.ts';
import { appliedMigrations, checkpoint, exportSnapshot, otherSessions, tableCounts } from './maintenance.repository.ts';

/** The database a backup is taken from or restored into: PGlite's data folder, or a PostgreSQL database. */
export type DatabaseTarget = { engine: 'pglite'; dir: string } | { engine: 'postgres'; url: string };

/** What one installation keeps: its database, its uploaded photos and (outside both) its PII key. */
export interface Installation {
  database: DatabaseTarget;
  filesDir: string;
  piiKey: Buffer;
}

export type Log = (line: string) => void;

const PHOTO = /^[0-9a-f]{2}\/[0-9a-f]{64}$/;

/**
 * Writes one archive (tar) holding manifest.json, the database — PGlite's own dump of its data folder, or
 * `pg_dump -Fc` from PostgreSQL — and the uploaded photos under files/. The PII key is left out on purpose; the
 * manifest records its fingerprint. On PostgreSQL the row counts and the dump come from one exported snapshot, so
 * the app may keep running; PGlite serves one process, so the caller holds its folder (datadir.lock.ts).
 */
export async function createBackup(inst: Installation, file: string, log: Log = () => {}): Promise<BackupManifest> {
  const archive = resolve(file);
  if (existsSync(archive)) throw new Error(`${archive} exists already; name a new file for the backup.`);
  await mkdir(dirname(archive), { recursive: true });
  const staging = await mkdtemp(join(dirname(archive), '.dualgrid-backup-'));
  try {
    const taken = inst.database.engine === 'pglite'
      ? await dumpEmbedded(inst.database.dir, join(staging, 'pglite.tar.gz'), inst.piiKey)
      : await dumpPostgres(inst.database.url, join(staging, 'database.pgdump'), inst.piiKey);
    log(`database dumped: ${Object.keys(taken.rowCounts).length} tables, ${sum(taken.rowCounts)} rows`);
    const files = await photoStats(inst.filesDir);
    // The photos go in as files/ through a link to the uploads folder: tar follows it (-h), nothing is copied first.
    if (files.count > 0) await symlink(inst.filesDir, join(staging, FILES), 'dir');
    else await mkdir(join(staging, FILES));
    const manifest: BackupManifest = {
      format: 'dualgrid-backup', version: 1, createdAt: new Date().toISOString(), engine: inst.database.engine,
      database: inst.database.engine === 'pglite' ? 'pglite.tar.gz' : 'database.pgdump',
      migrations: taken.migrations, rowCounts: taken.rowCounts, files,
      piiKey: { fingerprint: keyFingerprint(inst.piiKey), opensData: taken.opensData },
    };
    await writeFile(join(staging, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    const partial = `${archive}.partial`;
    await tarCreate(partial, staging, [MANIFEST, manifest.database, FILES], ['.*']);
    await rename(partial, archive);
    return manifest;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

interface Taken {
  rowCounts: Record<string, number>;
  migrations: string[];
  opensData: boolean | null;
}

async function dumpEmbedded(dir: string, out: string, key: Buffer): Promise<Taken> {
  const embedded = await openEmbedded(dir);
  try {
    const taken = { rowCounts: await tableCounts(embedded.db), migrations: await appliedMigrations(embedded.db), opensData: await keyOpensData(embedded.db, key) };
    await checkpoint(embedded.db);
    const tarball = await embedded.pglite.dumpDataDir('gzip');
    await writeFile(out, Buffer.from(await tarball.arrayBuffer()));
    return taken;
  } finally {
    await embedded.close();
  }
}

async function dumpPostgres(url: string, out: string, key: Buffer): Promise<Taken> {
  const database = await openDatabase({ databaseUrl: url, pgliteDir: null, poolSize: 1 });
  try {
    // pg_dump reads the snapshot this transaction exported: the counts and the dump see the same moment.
    return await database.db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(async (trx) => {
      const snapshot = await exportSnapshot(trx);
      const taken = { rowCounts: await tableCounts(trx), migrations: await appliedMigrations(trx), opensData: await keyOpensData(trx, key) };
      await pgDump(url, out, snapshot);
      return taken;
    });
  } finally {
    await database.close();
  }
}

export interface RestoreOptions {
  /** Restore although the configured PII key is not the backup's, or other sessions use the PostgreSQL database. */
  force?: boolean;
}

export interface RestoreReport {
  manifest: BackupManifest;
  /** Where the embedded database that was there before went (PGlite), or null. */
  movedAside: string | null;
  photos: { restored: number; present: number };
  /** The configured key's fingerprint differs from the backup's (only with force). */
  keyMismatch: boolean;
}

/**
 * Restores an archive of createBackup into the installation: the database (PGlite: into a fresh data folder, the
 * old one moved aside; PostgreSQL: pg_restore --clean --if-exists), then the photos, added to the uploads folder
 * (content-addressed, so nothing there is overwritten). Refuses before changing anything when the archive is of
 * the other engine, when the configured PII key is not the backup's (unless forced), and, on PostgreSQL, when
 * other sessions are connected (unless forced) or the database has migrations newer than the backup. Afterwards the
 * row count of every table must equal the manifest's.
 */
export async function restoreBackup(inst: Installation, file: string, options: RestoreOptions = {}, log: Log = () => {}): Promise<RestoreReport> {
  const archive = resolve(file);
  if (!existsSync(archive)) throw new Error(`${archive} does not exist.`);
  // Staged beside the uploads folder, so the photos move into it by rename rather than by copy.
  await mkdir(dirname(resolve(inst.filesDir)), { recursive: true });
  const staging = await mkdtemp(join(dirname(resolve(inst.filesDir)), '.dualgrid-restore-'));
  try {
    try {
      await tarExtract(archive, staging, [MANIFEST]);
    } catch (err) {
      throw new Error(`${archive} is not a dualgrid backup (no manifest.json): ${err instanceof Error ? err.message : String(err)}`);
    }
    const manifest = parseManifest(await readFile(join(staging, MANIFEST), 'utf8'), archive);
    const keyMismatch = checkKey(manifest, inst.piiKey, options.force === true);
    if (keyMismatch) log(`restoring with a key of fingerprint ${keyFingerprint(inst.piiKey)}, not the backup's ${manifest.piiKey.fingerprint} (--force)`);
    const target = inst.database;
    if (manifest.engine !== target.engine) throw new Error(engineMismatch(manifest.engine));
    if (target.engine === 'postgres') await checkPostgresTarget(target.url, manifest, options.force === true);

    await tarExtract(archive, staging);
    const dump = join(staging, manifest.database);
    let movedAside: string | null = null;
    let counts: Record<string, number>;
    if (target.engine === 'pglite') {
      movedAside = await moveAside(target.dir);
      if (movedAside) log(`the embedded database that was there is kept in ${movedAside}`);
      counts = await loadEmbedded(target.dir, dump);
    } else {
      await pgRestore(target.url, dump);
      counts = await postgresCounts(target.url);
    }
    const differences = compareCounts(manifest.rowCounts, counts);
    if (differences.length > 0) throw new Error(`The database was restored but its row counts differ from the backup's: ${differences.join(', ')}`);
    log(`database restored: ${Object.keys(counts).length} tables, ${sum(counts)} rows, as recorded in the backup`);
    const photos = await movePhotos(join(staging, FILES), inst.filesDir);
    return { manifest, movedAside, photos, keyMismatch };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** True when the keys differ and force allows it; throws when they differ without force. */
function checkKey(manifest: BackupManifest, key: Buffer, force: boolean): boolean {
  const configured = keyFingerprint(key);
  if (configured === manifest.piiKey.fingerprint) return false;
  if (force) return true;
  throw new Error(
    `The configured PII key (fingerprint ${configured}) is not the key of this backup (${manifest.piiKey.fingerprint}): ` +
      'the restored phone and ID numbers could be neither revealed nor matched. Configure the backup\'s key ' +
      '(DUALGRID_PII_KEY, DUALGRID_PII_KEY_FILE or data/pii.key) and run the restore again, or pass --force to restore anyway.',
  );
}

const ENGINE_NAMES = { pglite: 'the embedded database (PGlite)', postgres: 'PostgreSQL' } as const;

function engineMismatch(backup: keyof typeof ENGINE_NAMES): string {
  const other = backup === 'pglite' ? 'postgres' : 'pglite';
  return `This backup is of ${ENGINE_NAMES[backup]}, and the configured database is ${ENGINE_NAMES[other]}: a backup restores into ` +
    `the engine it was taken from (${backup === 'pglite' ? 'unset DATABASE_URL' : 'set DATABASE_URL'}). To move from the embedded database to PostgreSQL, see docs/operations.md.`;
}

async function checkPostgresTarget(url: string, manifest: BackupManifest, force: boolean): Promise<void> {
  const database = await openDatabase({ databaseUrl: url, pgliteDir: null, poolSize: 1 });
  try {
    const sessions = await otherSessions(database.db);
    if (sessions.length > 0 && !force) {
      const who = sessions.map((s) => `pid ${s.pid}${s.application ? ` (${s.application})` : ''}${s.client ? ` from ${s.client}` : ''}`).join(', ');
      throw new Error(`${sessions.length} other session(s) use this database: ${who}. Stop every app copy before restoring, or pass --force.`);
    }
    const backup = new Set(manifest.migrations);
    const newer = (await appliedMigrations(database.db)).filter((m) => !backup.has(m));
    if (newer.length > 0) {
      throw new Error(
        `The database has migrations the backup has not (${newer.join(', ')}); pg_restore --clean would leave their tables behind. ` +
          'Restore into an empty database instead (dropdb, createdb, then restore).',
      );
    }
  } finally {
    await database.close();
  }
}

async function postgresCounts(url: string): Promise<Record<string, number>> {
  const database = await openDatabase({ databaseUrl: url, pgliteDir: null, poolSize: 1 });
  try {
    return await tableCounts(database.db);
  } finally {
    await database.close();
  }
}

/** A raw PGlite over a data folder (the dump and load are PGlite's own calls), with Kysely for the counts. */
async function openEmbedded(dir: string, loadDataDir?: Blob) {
  if (!loadDataDir && !existsSync(join(dir, 'PG_VERSION'))) throw new Error(`There is no embedded database in ${dir}.`);
  if (loadDataDir) await mkdir(dir, { recursive: true });
  const pglite = await PGlite.create({ dataDir: dir, ...(loadDataDir ? { loadDataDir } : {}) });
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
  return {
    pglite, db,
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

async function loadEmbedded(dir: string, dump: string): Promise<Record<string, number>> {
  const embedded = await openEmbedded(dir, new Blob([await readFile(dump)]));
  try {
    const counts = await tableCounts(embedded.db);
    await checkpoint(embedded.db);
    return counts;
  } finally {
    await embedded.close();
  }
}

/** Renames a PGlite folder that holds a database to <dir>.before-restore-<time>; null when there was none. */
async function moveAside(dir: string): Promise<string | null> {
  if (!existsSync(dir)) return null;
  if ((await readdir(dir)).length === 0) return null;
  const aside = `${dir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  await rename(dir, aside);
  return aside;
}

async function photoStats(filesDir: string): Promise<{ count: number; bytes: number }> {
  let count = 0;
  let bytes = 0;
  for (const rel of await photosUnder(filesDir)) {
    count++;
    bytes += (await stat(join(filesDir, rel))).size;
  }
  return { count, bytes };
}

/** The photos under a folder as <2 hex>/<sha-256 hex> paths; anything else (temporary partial writes) is not one. */
async function photosUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .filter((rel) => PHOTO.test(rel))
    .sort();
}

/** Adds the staged photos to the uploads folder; one already there is the same content under the same name. */
async function movePhotos(from: string, filesDir: string): Promise<{ restored: number; present: number }> {
  let restored = 0;
  let present = 0;
  for (const rel of await photosUnder(from)) {
    const target = join(filesDir, rel);
    if (existsSync(target)) {
      present++;
      continue;
    }
    await mkdir(dirname(target), { recursive: true });
    try {
      await rename(join(from, rel), target);
    } catch (err) {
      if (!(err instanceof Error && 'code' in err && err.code === 'EXDEV')) throw err;
      await copyFile(join(from, rel), target);
    }
    restored++;
  }
  return { restored, present };
}

function compareCounts(expected: Record<string, number>, actual: Record<string, number>): string[] {
  const names = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  return names.filter((n) => expected[n] !== actual[n]).map((n) => `${n}: ${expected[n] ?? 'absent'} in the backup, ${actual[n] ?? 'absent'} now`);
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, n) => a + n, 0);
