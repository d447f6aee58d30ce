// One engine's benchmarks, run in a child process so its RSS is not mixed with the other engine's.
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { GridLocator } from '../src/core/geo/locator.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { seedReferenceData } from '../src/db/seed.ts';
import { DEMO_PASSWORD, isEmpty, loadDemoTown } from '../src/modules/demo/demo.loader.ts';
import { GridLocatorCache } from '../src/modules/structure/locator.cache.ts';
import { createBenchApp } from './app.ts';
import { LoadClient } from './client.ts';
import { bearer, benchMatterFlow, benchStatistics } from './matters.ts';
import { type EngineArgs, engineArgsSchema, type EngineMessage, type EngineResult, type LoadResult, type LoadTask, seededRandom, TOWN_BBOX } from './protocol.ts';

const send = (message: EngineMessage) => process.send?.(message);
const progress = (text: string) => send({ type: 'progress', text });
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const memory = () => {
  const m = process.memoryUsage();
  return { rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed) };
};

/** Times GridLocator.locate over `lookups` seeded random points in the town, stopping early after 30 s. */
function benchLocator(locator: GridLocator, grids: number, lookups: number): EngineResult['locateInMemory'] {
  const random = seededRandom(1121);
  const [minLng, minLat, maxLng, maxLat] = TOWN_BBOX;
  const points = new Float64Array(lookups * 2);
  for (let i = 0; i < lookups; i++) {
    points[2 * i] = minLng + random() * (maxLng - minLng);
    points[2 * i + 1] = minLat + random() * (maxLat - minLat);
  }
  for (let i = 0; i < Math.min(lookups, 20_000); i++) locator.locate(points[2 * i] ?? 0, points[2 * i + 1] ?? 0); // warm the JIT
  const deadline = performance.now() + 30_000;
  const started = performance.now();
  let hits = 0;
  let done = 0;
  for (; done < lookups; done++) {
    if ((done & 0xffff) === 0 && performance.now() > deadline) break;
    if (locator.locate(points[2 * done] ?? 0, points[2 * done + 1] ?? 0).gridId !== null) hits++;
  }
  const seconds = (performance.now() - started) / 1000;
  return { grids, lookups: done, seconds, perSecond: done / seconds, hitRate: done === 0 ? 0 : hits / done };
}

/** Requests per second of busy server event loop; falls back to plain throughput when ELU is unknown. */
const perBusySecond = (r: LoadResult) => (r.serverElu ? r.perSecond / r.serverElu : r.perSecond);

async function main(args: EngineArgs): Promise<EngineResult> {
  const loadAverage = loadavg()[0] ?? 0;
  progress('migrating and seeding an empty database');
  const database = await openDatabase({ databaseUrl: args.databaseUrl, pgliteDir: null });
  await migrateToLatest(database.db);
  await seedReferenceData(database.db);
  const t = await createBenchApp(database, args.databaseUrl);
  const client = new LoadClient();
  try {
    if (!(await isEmpty(t.deps.db))) throw new Error('the benchmark database is not empty');
    progress('loading the demo town');
    const loadStart = performance.now();
    const town = await loadDemoTown(t.deps);
    const loadSeconds = (performance.now() - loadStart) / 1000;
    const memoryAfterLoad = memory();

    progress(`locating ${args.lookups.toLocaleString('en')} points in memory`);
    const { locator } = await new GridLocatorCache(t.deps.db).get();
    const locateInMemory = benchLocator(locator, locator.size, args.lookups);

    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    if (address === null || typeof address === 'string') throw new Error('the server is not listening on TCP');
    const base = `http://127.0.0.1:${(address satisfies AddressInfo).port}`;
    const [cx, cy] = [(TOWN_BBOX[0] + TOWN_BBOX[2]) / 2, (TOWN_BBOX[1] + TOWN_BBOX[3]) / 2];
    const probe = await fetch(`${base}/api/geo/locate?lng=${cx}&lat=${cy}`);
    if (!(await probe.text()).includes('"grid":{')) throw new Error('the town centre did not resolve to a grid');

    const http = (url: string, extra: Partial<LoadTask>): LoadTask => ({
      url: `${base}${url}`, method: 'GET', body: null, randomPointIn: null, concurrency: 32, maxRequests: 5_000_000, maxSeconds: args.httpSeconds,
      headers: {}, choices: null, followUps: null, ...extra,
    });
    // A short unmeasured run first, so JIT warm-up and connection setup do not count.
    const measured = async (task: LoadTask) => {
      await client.run({ ...task, maxSeconds: Math.min(1, task.maxSeconds), maxRequests: Math.min(task.maxRequests, 2_000) });
      return client.run(task);
    };

    progress(`GET /api/geo/locate, 32 in flight, ${args.httpSeconds} s`);
    const locateHttp = await measured(http('/api/geo/locate', { randomPointIn: TOWN_BBOX }));
    progress(`GET /healthz, 32 in flight, ${args.httpSeconds} s`);
    const healthzHttp = await measured(http('/healthz', {}));

    const townRow = await t.deps.db.selectFrom('nodes').select('id').where('level', '=', 'town').executeTakeFirstOrThrow();
    const sequential = { concurrency: 1, maxRequests: args.treeRequests, maxSeconds: 60 };
    progress(`GET /api/nodes/${townRow.id}, ${args.treeRequests} sequential`);
    const nodeDetail = await measured(http(`/api/nodes/${townRow.id}`, sequential));
    progress(`GET /api/nodes?parentId=${townRow.id}&withFigures=true, ${args.treeRequests} sequential`);
    const childFigures = await measured(http(`/api/nodes?parentId=${townRow.id}&withFigures=true`, sequential));

    progress(`POST /api/auth/login, 4 in flight, ${args.loginSeconds} s`);
    const login = await measured(http('/api/auth/login', {
      method: 'POST', body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }), concurrency: 4, maxRequests: 5_000, maxSeconds: args.loginSeconds,
    }));

    const memoryAfterHttp = memory();
    const context = { args, deps: t.deps, base, townId: townRow.id, auth: await bearer(base, 'centre1'), progress, task: http, measured };
    const flow = await benchMatterFlow(context);
    const stats = await benchStatistics(context);

    return {
      ...flow, ...stats, memoryAfterHistory: memory(),
      engine: args.engine, loadSeconds, town, locateInMemory, locateHttp, healthzHttp,
      locateToHealthz: healthzHttp.perSecond === 0 ? 0 : locateHttp.perSecond / healthzHttp.perSecond,
      locateToHealthzPerBusySecond: perBusySecond(healthzHttp) === 0 ? 0 : perBusySecond(locateHttp) / perBusySecond(healthzHttp),
      loadAverage,
      nodeDetail, childFigures, login, memoryAfterLoad, memoryAfterHttp,
    };
  } finally {
    client.close();
    await t.close();
    await database.close();
  }
}

const args = engineArgsSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
main(args).then(
  (result) => {
    send({ type: 'done', result });
    process.disconnect?.();
  },
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
