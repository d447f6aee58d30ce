import { ensureWebBuilt } from '../../src/web/build.ts';

/** Builds the web pages once before any test file runs, when web/dist is missing or stale. */
export default async function setup(): Promise<void> {
  await ensureWebBuilt((msg) => console.log(msg));
}
