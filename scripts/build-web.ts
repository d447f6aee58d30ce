// npm run build:web — builds web/ into web/dist when its sources changed (npm start and npm test do this too).
import { ensureWebBuilt } from '../src/build/pages.build.ts';

const force = process.argv.includes('--force');
if (force) {
  const { rmSync } = await import('node:fs');
  const { WEB_DIST } = await import('../src/build/pages.build.ts');
  rmSync(WEB_DIST, { recursive: true, force: true });
}
const built = await ensureWebBuilt((m) => console.log(m));
if (!built) console.log('web/dist is up to date');
