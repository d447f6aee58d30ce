import { existsSync } from 'node:fs';
import { ensureWebBuilt } from '../../src/build/pages.build.ts';

/**
 * Builds the web pages once before any test file runs, when web/dist is missing or stale. While the pages are
 * being edited, DUALGRID_TEST_KEEP_WEB=1 runs the server tests over the last good build in web/dist instead.
 */
export default async function setup(): Promise<void> {
  if (process.env.DUALGRID_TEST_KEEP_WEB === '1' && existsSync(new URL('../../web/dist/index.html', import.meta.url))) {
    console.log('DUALGRID_TEST_KEEP_WEB=1: testing over the existing web/dist build');
    return;
  }
  try {
    await ensureWebBuilt((msg) => console.log(msg));
  } catch (e) {
    throw new Error(`${(e as Error).message}\nWhile web/ is mid-edit, DUALGRID_TEST_KEEP_WEB=1 runs the server tests over the last good web/dist build.`);
  }
}
