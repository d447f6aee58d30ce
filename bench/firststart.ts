// The memory of a first start on the embedded default: an empty PGlite folder, the cluster made, migrations, the
// app, the demo town and the demo year, as `dualgrid serve` does them; then the idle figure after a collection.
// `npm run bench` runs it after the engines; alone: `npx tsx bench/firststart.ts [--idle-seconds 60]`.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';

const memorySchema = z.object({ rssMb: z.number(), heapTotalMb: z.number(), heapUsedMb: z.number(), externalMb: z.number(), arrayBuffersMb: z.number() });
const resultSchema = z.object({
  /** Peak RSS of the short-lived child that makes the cluster (PGlite's initdb); the server process is not in it. */
  initdbChildPeakMb: z.number(),
  initdbSeconds: z.number(),
  townSeconds: z.number(),
  yearSeconds: z.number(),
  yearMatters: z.number(),
  /** VmHWM of the server process after the town, and after the year: the first start's peak. */
  peakAfterTownMb: z.number(),
  peakMb: z.number(),
  afterYear: memorySchema,
  idleSeconds: z.number(),
  idle: memorySchema,
  settings: z.array(z.string()),
});
export type FirstStartResult = z.infer<typeof resultSchema>;

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const memory = () => {
  const m = process.memoryUsage();
  return { rssMb: mb(m.rss), heapTotalMb: mb(m.heapTotal), heapUsedMb: mb(m.heapUsed), externalMb: mb(m.external), arrayBuffersMb: mb(m.arrayBuffers) };
};
/** The process's peak RSS so far (resourceUsage reports kilobytes). */
const peakMb = () => mb(process.resourceUsage().maxRSS * 1024);

/** In the child: one first start on a fresh folder, measured. */
async function firstStart(idleSeconds: number): Promise<FirstStartResult> {
  const gc = globalThis.gc;
  if (!gc) throw new Error('the first-start bench needs --expose-gc');
  const { embeddedDir, initEmbeddedDir, PGLITE_SETTINGS } = await import('../src/db/database.ts');
  const { loadConfig } = await import('../src/config.ts');
  const { openDeps } = await import('../src/server.ts');
  const { buildApp } = await import('../src/app.ts');
  const { loadDemoTown } = await import('../src/modules/demo/demo.loader.ts');
  const { loadDemoYear } = await import('../src/modules/demo/demo.year.ts');
  const { ensureBaseModel } = await import('../src/modules/sensing/models.service.ts');
  const { SensorCache } = await import('../src/modules/sensing/sensor.cache.ts');
  const dataDir = mkdtempSync(join(tmpdir(), 'dualgrid-firststart-'));
  try {
    const config = loadConfig({ DUALGRID_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' });
    let started = performance.now();
    // openDeps would make the cluster too; called first here only to read the initdb child's own peak.
    const init = await initEmbeddedDir(embeddedDir(dataDir));
    const initdbSeconds = (performance.now() - started) / 1000;
    const { deps, database } = await openDeps(config);
    // As serve does: the base sensing model trained (in a worker thread) before the app is built; intake then holds it.
    await ensureBaseModel(deps);
    await new SensorCache(deps.db).get();
    const app = await buildApp(deps);
    try {
      started = performance.now();
      await loadDemoTown(deps);
      const townSeconds = (performance.now() - started) / 1000;
      const peakAfterTownMb = peakMb();
      await app.listen({ port: 0, host: '127.0.0.1' });
      started = performance.now();
      const year = await loadDemoYear(deps);
      const yearSeconds = (performance.now() - started) / 1000;
      const afterYear = memory();
      const peak = peakMb();
      // Idle as a server idles: a collection, then a quiet spell for V8 and the allocator to hand pages back.
      gc();
      await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
      gc();
      return {
        initdbChildPeakMb: mb(init?.childPeakRssBytes ?? 0), initdbSeconds, townSeconds, yearSeconds, yearMatters: year.matters,
        peakAfterTownMb, peakMb: peak, afterYear, idleSeconds, idle: memory(), settings: [...PGLITE_SETTINGS],
      };
    } finally {
      await app.close();
      await database.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Forks this file as the measured process (its RSS must hold nothing but the first start) and returns its figures. */
export function runFirstStartBench(idleSeconds = 60, progress: (text: string) => void = console.log): Promise<FirstStartResult> {
  return new Promise((resolve, reject) => {
    progress(`[first start] empty PGlite folder → cluster, migrations, demo town, demo year; then ${idleSeconds} s idle`);
    const child = fork(fileURLToPath(import.meta.url), ['--child', '--idle-seconds', String(idleSeconds)], {
      execArgv: [...process.execArgv, '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: FirstStartResult | null = null;
    child.on('message', (raw: unknown) => {
      result = resultSchema.parse(raw);
    });
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`the first-start run exited with code ${code} before reporting`))));
  });
}

export function renderFirstStart(r: FirstStartResult): string {
  const m = (x: z.infer<typeof memorySchema>) => `RSS ${x.rssMb} MB (V8 heap ${x.heapUsedMb} used of ${x.heapTotalMb}; external ${x.externalMb}: PGlite's WebAssembly memory and ${x.arrayBuffersMb} of array buffers)`;
  return [
    `First start, embedded PGlite (settings: ${r.settings.join(', ')})`,
    `  cluster (initdb in a child process): ${r.initdbSeconds.toFixed(1)} s, child peak ${r.initdbChildPeakMb} MB`,
    `  demo town: ${r.townSeconds.toFixed(1)} s; server peak so far ${r.peakAfterTownMb} MB`,
    `  demo year: ${r.yearMatters} matters in ${r.yearSeconds.toFixed(1)} s; server peak ${r.peakMb} MB; ${m(r.afterYear)}`,
    `  idle after a GC and ${r.idleSeconds} s: ${m(r.idle)}`,
  ].join('\n');
}

const { values } = parseArgs({ options: { child: { type: 'boolean', default: false }, 'idle-seconds': { type: 'string', default: '60' } }, strict: false });
const idleSeconds = Number(values['idle-seconds']);
if (values.child) {
  firstStart(idleSeconds).then(
    (result) => {
      process.send?.(result);
      process.disconnect?.();
    },
    (err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : err);
      process.exit(1);
    },
  );
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!(idleSeconds >= 0 && idleSeconds <= 600)) throw new Error('--idle-seconds must be in [0, 600]');
  runFirstStartBench(idleSeconds).then((r) => console.log(`\n${renderFirstStart(r)}`), (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
