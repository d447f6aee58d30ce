import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Building the Vue app in web/ into web/dist (Vite), once per change of its sources; src/modules/pages serves the result. */
export const WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));
export const WEB_DIST = join(WEB_ROOT, 'dist');
const STAMP = join(WEB_DIST, '.source-hash');

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
}

/** A hash of everything the build reads: the web sources, its config and the lockfile. */
export function webSourceHash(): string {
  const files: string[] = [];
  walk(join(WEB_ROOT, 'src'), files);
  // The pages also import two modules of the server's pure core: Beijing time and the vocabulary.
  for (const f of ['index.html', 'vite.config.ts', 'tsconfig.json', '../package-lock.json', '../src/core/beijing.ts', '../src/core/vocabulary.ts']) files.push(join(WEB_ROOT, f));
  const h = createHash('sha256');
  for (const f of files) if (existsSync(f)) h.update(f.slice(WEB_ROOT.length)).update('\0').update(readFileSync(f));
  return h.digest('hex');
}

export const webIsBuilt = (): boolean => existsSync(STAMP) && readFileSync(STAMP, 'utf8') === webSourceHash() && existsSync(join(WEB_DIST, 'index.html'));

const LOCK = join(WEB_ROOT, '.build-lock');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One build at a time on this machine (several test runs or servers may start together): a lock directory. */
async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // A lock older than 5 minutes belongs to a build that died; take it over.
      const since = statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs;
      if (since !== undefined && Date.now() - since > 300_000) rmSync(LOCK, { recursive: true, force: true });
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * Builds the pages with Vite unless web/dist already holds a build of the current sources. The build goes to a
 * fresh folder that then replaces web/dist in two renames, so a server never reads a half-written build.
 */
export async function ensureWebBuilt(log: (msg: string) => void = () => undefined): Promise<boolean> {
  if (webIsBuilt()) return false;
  return withLock(async () => {
    if (webIsBuilt()) return false;
    const started = Date.now();
    const hash = webSourceHash();
    log('building the web pages (web/ → web/dist) …');
    const out = join(WEB_ROOT, `.dist-${process.pid}`);
    // A child process with NODE_ENV=production: inside a test runner NODE_ENV is 'test', and Vite would then
    // build with import.meta.env.DEV true (no service worker, development code paths).
    const vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
    const result = spawnSync(process.execPath, [vite, 'build', '--config', join(WEB_ROOT, 'vite.config.ts'), '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: WEB_ROOT, env: { ...process.env, NODE_ENV: 'production' }, stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (result.status !== 0) throw new Error(`building the web pages failed (vite exited with ${result.status ?? result.signal})`);
    writeFileSync(join(out, '.source-hash'), hash);
    const old = join(WEB_ROOT, `.dist-old-${process.pid}`);
    if (existsSync(WEB_DIST)) renameSync(WEB_DIST, old);
    renameSync(out, WEB_DIST);
    rmSync(old, { recursive: true, force: true });
    log(`built the web pages in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return true;
  });
}
