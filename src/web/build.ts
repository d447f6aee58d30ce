import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
  for (const f of ['index.html', 'vite.config.ts', 'tsconfig.json', '../package-lock.json']) files.push(join(WEB_ROOT, f));
  const h = createHash('sha256');
  for (const f of files) if (existsSync(f)) h.update(f.slice(WEB_ROOT.length)).update('\0').update(readFileSync(f));
  return h.digest('hex');
}

export const webIsBuilt = (): boolean => existsSync(STAMP) && readFileSync(STAMP, 'utf8') === webSourceHash() && existsSync(join(WEB_DIST, 'index.html'));

/** Builds the pages with Vite unless web/dist already holds a build of the current sources. */
export async function ensureWebBuilt(log: (msg: string) => void = () => undefined): Promise<boolean> {
  if (webIsBuilt()) return false;
  const started = Date.now();
  log('building the web pages (web/ → web/dist) …');
  const { build } = await import('vite');
  await build({ configFile: join(WEB_ROOT, 'vite.config.ts'), root: WEB_ROOT, logLevel: 'warn' });
  writeFileSync(STAMP, webSourceHash());
  log(`built the web pages in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}
