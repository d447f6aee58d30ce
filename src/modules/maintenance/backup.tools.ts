import { spawn } from 'node:child_process';

/**
 * The outside programs a backup uses: PostgreSQL's own pg_dump and pg_restore, and the system tar for the archive.
 * Each runs without a shell (no quoting of paths), its stderr kept for the error message.
 */
export async function run(program: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
    child.on('error', (err) => {
      if ('code' in err && err.code === 'ENOENT') reject(new Error(`${program} was not found on PATH. ${INSTALL_HINTS[program] ?? ''}`.trim()));
      else reject(err);
    });
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${program} failed (exit ${code}): ${stderr.trim() || stdout.trim() || 'no output'}`));
    });
  });
}

const INSTALL_HINTS: Record<string, string> = {
  pg_dump: 'Install the PostgreSQL client tools of the server\'s major version (Debian/Ubuntu: apt-get install postgresql-client).',
  pg_restore: 'Install the PostgreSQL client tools of the server\'s major version (Debian/Ubuntu: apt-get install postgresql-client).',
  tar: 'Install tar (GNU tar or bsdtar).',
};

/**
 * A connection string for pg_dump and pg_restore without its password, which goes in PGPASSWORD instead: a
 * password in the arguments shows in every `ps` listing on the machine.
 */
export function pgConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env: password ? { ...process.env, PGPASSWORD: password } : { ...process.env } };
}

/** pg_dump in the custom format (compressed, restorable table by table), from an exported snapshot when given. */
export async function pgDump(url: string, file: string, snapshot?: string): Promise<void> {
  const { dbname, env } = pgConnection(url);
  await run('pg_dump', ['--format=custom', `--file=${file}`, ...(snapshot ? [`--snapshot=${snapshot}`] : []), `--dbname=${dbname}`], env);
}

/**
 * pg_restore over what is there (--clean --if-exists drops each object of the dump first), all or nothing
 * (--single-transaction), owners and grants left to the connecting role so a dump moves between servers.
 */
export async function pgRestore(url: string, file: string): Promise<void> {
  const { dbname, env } = pgConnection(url);
  await run('pg_restore', ['--clean', '--if-exists', '--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', `--dbname=${dbname}`, file], env);
}

/** An uncompressed tar of `entries` under `dir` (their contents are compressed already), links followed. */
export async function tarCreate(archive: string, dir: string, entries: string[], exclude: string[] = []): Promise<void> {
  await run('tar', ['-c', '-h', '-f', archive, ...exclude.map((p) => `--exclude=${p}`), '-C', dir, ...entries]);
}

/** Extracts `entries` (all when none) of an archive into `dir`. */
export async function tarExtract(archive: string, dir: string, entries: string[] = []): Promise<void> {
  await run('tar', ['-x', '-f', archive, '-C', dir, ...entries]);
}
