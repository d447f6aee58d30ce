import { linkSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One process at a time on the embedded database. PGlite takes no lock on its folder (electric-sql/pglite#1106):
 * a second process opening it — a backup while the server runs — writes over the first and corrupts it. So every
 * `dualgrid` command on the embedded database holds `<dataDir>/pglite.lock` (beside the folder, never inside a
 * backup of it) naming its process; another command finds it and refuses, and a lock whose process is gone
 * (kill -9, power loss) is taken over.
 */
export const lockFileOf = (dataDir: string) => join(dataDir, 'pglite.lock');

interface Holder {
  pid: number;
  command: string;
  since: string;
}

/** Takes the lock for this process, or throws naming the live process that holds it. Returns the release. */
export function lockDataDir(dataDir: string, command: string): () => void {
  const file = lockFileOf(dataDir);
  const mine: Holder = { pid: process.pid, command, since: new Date().toISOString() };
  mkdirSync(dataDir, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    // Written aside, then linked into place: the lock appears whole or not at all, never as an empty file.
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(mine)}\n`, { mode: 0o600 });
    try {
      linkSync(temp, file);
      const release = () => {
        if (readHolder(file)?.pid === process.pid) unlinkSync(file);
        process.off('exit', release);
      };
      process.on('exit', release);
      return release;
    } catch (err) {
      if (!(err instanceof Error && 'code' in err && err.code === 'EEXIST')) throw err;
    } finally {
      rmSync(temp, { force: true });
    }
    const holder = readHolder(file);
    // As postmaster.pid is read: our own pid or our parent's in a stale file is a restarted container reusing pids.
    if (holder && holder.pid !== process.pid && holder.pid !== process.ppid && isAlive(holder.pid)) {
      throw new Error(
        `The embedded database in ${dataDir} is in use by process ${holder.pid} (dualgrid ${holder.command}, since ${holder.since}). ` +
          'PGlite serves one process at a time: stop that process (the server, or another command) and run this again. ' +
          `If no dualgrid process is running, delete ${file}.`,
      );
    }
    // The holder is gone (or the file is unreadable): take the lock over.
    unlinkSync(file);
  }
  throw new Error(`Could not take the lock ${file}; another dualgrid process is starting at the same moment. Try again.`);
}

function readHolder(file: string): Holder | null {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || !('pid' in parsed) || typeof parsed.pid !== 'number') return null;
    const command = 'command' in parsed && typeof parsed.command === 'string' ? parsed.command : '?';
    const since = 'since' in parsed && typeof parsed.since === 'string' ? parsed.since : '?';
    return { pid: parsed.pid, command, since };
  } catch {
    return null;
  }
}

/** Signal 0 checks that a process exists; EPERM means it exists under another user. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err instanceof Error && 'code' in err && err.code === 'EPERM';
  }
}
