import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Config, loadConfig } from '../../config.ts';
import { embeddedDir, openDatabase } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { createBackup, type Installation, restoreBackup } from './backup.service.ts';
import { keyFingerprint, keyOpensData, readKeyFile, rotatePiiKey } from './keys.service.ts';
import { otherSessions } from './maintenance.repository.ts';

/**
 * The `dualgrid backup`, `restore` and `rotate-pii-key` commands. They run on the machine that holds the data, as
 * the system; on the embedded database main.ts first takes its folder's lock, so they never run beside the server.
 */
type Env = Record<string, string | undefined>;

/** The embedded data folder the commands would open (as loadConfig reads it), or null on PostgreSQL. */
export function embeddedDataDir(env: Env = process.env): string | null {
  return env.DATABASE_URL ? null : resolve(env.DUALGRID_DATA_DIR ?? './data');
}

const installationOf = (config: Config): Installation => ({
  database: config.databaseUrl ? { engine: 'postgres', url: config.databaseUrl } : { engine: 'pglite', dir: embeddedDir(config.dataDir) },
  filesDir: config.filesDir,
  piiKey: config.piiKey,
});

/** Where the key comes from, in the words of docs/operations.md. */
function keySource(env: Env, dataDir: string): string {
  if (env.DUALGRID_PII_KEY) return 'DUALGRID_PII_KEY';
  return env.DUALGRID_PII_KEY_FILE ?? join(dataDir, 'pii.key');
}

export async function backupCommand(file: string): Promise<void> {
  const config = loadConfig();
  const manifest = await createBackup(installationOf(config), file, (line) => console.log(line));
  const rows = Object.values(manifest.rowCounts).reduce((a, n) => a + n, 0);
  console.log(`backup written to ${resolve(file)} (${statSync(file).size} bytes): ${manifest.engine}, ${Object.keys(manifest.rowCounts).length} tables, ${rows} rows, ${manifest.files.count} photos`);
  if (manifest.piiKey.opensData === false) {
    console.warn('WARNING: the configured PII key does not open the numbers in this database; check the key before relying on this backup.');
  }
  console.log(
    `The PII key is NOT in the backup. Its fingerprint is ${manifest.piiKey.fingerprint} (the key in ${keySource(process.env, config.dataDir)}).\n` +
      'Keep a copy of that key apart from the backups (e.g. in the town\'s password safe): a restore needs it, and checks it by this fingerprint.',
  );
}

export async function restoreCommand(file: string, opts: { force?: boolean }): Promise<void> {
  // loadConfig would make a new random key for an embedded install without one; a restore needs the backup's.
  const dataDir = embeddedDataDir();
  if (dataDir && !process.env.DUALGRID_PII_KEY && !existsSync(keySource(process.env, dataDir))) {
    throw new Error(
      `No PII key is configured: put the backup's key in ${keySource(process.env, dataDir)} (or set DUALGRID_PII_KEY) and run the restore again. ` +
        `The backup's key fingerprint is in its manifest: tar -xOf ${file} manifest.json`,
    );
  }
  const config = loadConfig();
  const report = await restoreBackup(installationOf(config), file, { force: opts.force }, (line) => console.log(line));
  console.log(
    `restored ${resolve(file)} (taken ${report.manifest.createdAt}): ${report.photos.restored} photos added, ${report.photos.present} already there.\n` +
      'The app applies any newer migrations at its next start.',
  );
  if (report.keyMismatch) console.warn(`WARNING: restored with a key that is not the backup's (${report.manifest.piiKey.fingerprint}); numbers will not open or match.`);
}

export async function rotatePiiKeyCommand(opts: { newKeyFile: string; force?: boolean }): Promise<void> {
  const config = loadConfig();
  const newKey = readKeyFile(opts.newKeyFile);
  // One connection: a pool's idle spares would look like other sessions.
  const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: embeddedDir(config.dataDir), poolSize: 1 });
  try {
    await migrateToLatest(database.db);
    if (database.engine === 'postgres') {
      const sessions = await otherSessions(database.db);
      if (sessions.length > 0 && !opts.force) {
        throw new Error(
          `${sessions.length} other session(s) use this database (pids ${sessions.map((s) => s.pid).join(', ')}). Stop every app copy first: ` +
            'a copy still running with the old key would seal new numbers under it after the rotation. Or pass --force.',
        );
      }
    }
    if ((await keyOpensData(database.db, config.piiKey)) === false) {
      throw new Error(`The configured PII key (${keyFingerprint(config.piiKey)}, from ${keySource(process.env, config.dataDir)}) does not open the numbers in this database; nothing was changed.`);
    }
    const r = await rotatePiiKey(database.db, config.piiKey, newKey);
    console.log(`re-sealed ${r.numbers} numbers (${r.users} users, ${r.residents} residents, ${r.matters} matters) under key ${r.to} (was ${r.from}); deleted ${r.phoneCodesDeleted} sign-in codes.`);
  } finally {
    await database.close();
  }
  const where = config.databaseUrl || process.env.DUALGRID_PII_KEY
    ? `set DUALGRID_PII_KEY to the new key (the content of ${resolve(opts.newKeyFile)})${config.databaseUrl ? ' on every app copy' : ''}`
    : `replace ${keySource(process.env, config.dataDir)} with ${resolve(opts.newKeyFile)}`;
  console.log(
    `Now switch the key before the app starts again: ${where}.\n` +
      'Until then the app cannot open or match any number. Keep the old key as long as you keep backups made before now: they need it.',
  );
}
