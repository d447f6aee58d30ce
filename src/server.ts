import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { assertKeyOpensData } from './modules/maintenance/keys.service.ts';
import { PiiVault } from './core/pii.ts';
import { type Database, embeddedDir, openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { seedReferenceData } from './db/seed.ts';
import type { AppDeps } from './deps.ts';
import { isEmpty, loadDemoTown } from './modules/demo/demo.loader.ts';
import { DEMO_CHATTER_JOB, resumeDemoChatter } from './modules/demo/demo.chatter.ts';
import { loadDemoDeliberation } from './modules/demo/demo.deliberation.ts';
import { loadDemoPoints } from './modules/demo/demo.points.ts';
import { loadDemoYear } from './modules/demo/demo.year.ts';
import { createJobRunner } from './modules/jobs/jobs.setup.ts';
import { ensureBaseModel } from './modules/sensing/models.service.ts';
import { ensureWebBuilt } from './build/pages.build.ts';
import { scheduleLedgerJobs } from './modules/points/ledger.jobs.ts';

export interface Running {
  app: FastifyInstance;
  database: Database;
  deps: AppDeps;
  stop(): Promise<void>;
}

/** Opens the configured database, applies migrations and returns what every command needs. */
export async function openDeps(config: Config): Promise<{ deps: AppDeps; database: Database }> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: embeddedDir(config.dataDir) });
  await migrateToLatest(database.db);
  await seedReferenceData(database.db);
  return { database, deps: { db: database.db, engine: database.engine, config, vault: new PiiVault(config.piiKey), listen: database.listen } };
}

/** `dualgrid serve`: migrate, load the demo town into an empty database unless told not to, listen. */
export async function serve(config: Config): Promise<Running> {
  // The pages are built from web/ when missing or older than their sources, before the app serves them.
  await ensureWebBuilt((msg) => console.log(msg));
  const { deps, database } = await openDeps(config);
  // A key that opens none of the stored numbers (the old one after a rotation, another copy's, a restore forced
  // past its fingerprint check) would seal new numbers under a second key: refuse to start instead.
  try {
    await assertKeyOpensData(deps.db, config.piiKey);
  } catch (err) {
    await database.close();
    throw err;
  }
  // The trained half of sensing needs a first version: trained from the shipped base set when there is none (~3 s, in a worker thread).
  await ensureBaseModel(deps);
  const app = await buildApp(deps, { logger: { level: config.logLevel } });
  const demo = config.demoOnEmpty && (await isEmpty(deps.db));
  if (demo) {
    const started = Date.now();
    const figures = await loadDemoTown(deps);
    app.log.info({ ...figures, ms: Date.now() - started }, 'loaded the demo town into the empty database');
  }
  // A demo stream switched off at an earlier start goes on when it is on again.
  await resumeDemoChatter(deps);
  // The points ledger's nightly reconciliation and monthly lot expiry: each run queues the next; this puts the first.
  await scheduleLedgerJobs(deps.db, new Date());
  await app.listen({ port: config.port, host: config.host });
  const jobs = createJobRunner(deps, { log: (msg, err) => app.log.error({ err }, msg) });
  // The demo's group messages flow at once, beside the replay below; every other job waits for the replay to end.
  const chatter = demo ? createJobRunner(deps, { kinds: [DEMO_CHATTER_JOB], log: (msg, err) => app.log.error({ err }, msg) }) : null;
  chatter?.start();
  // The demo year (seconds, written in bulk) loads after listen while the town is already usable.
  // The live job runner starts only after it, so it never fires the year's deadlines ahead of the year.
  const stopYear = new AbortController();
  // Then the live runner takes over every kind, the stream's too, and the stream's own runner steps aside.
  const year = demo ? replayDemoYear(deps, app, stopYear.signal).then(async () => {
    if (stopYear.signal.aborted) return;
    // Then the demo's deliberation, through the API as its people would (a few seconds).
    await loadDemoDeliberation(app, deps).then((d) => app.log.info(d, 'loaded the demo deliberation'), (err) => app.log.error({ err }, 'the demo deliberation did not load; the town is as it was'));
    // And its points: the merchant alliance of community 01, check-ins, signed-off volunteer hours, a redemption.
    await loadDemoPoints(app, deps).then((d) => app.log.info(d, 'loaded the demo points'), (err) => app.log.error({ err }, 'the demo points did not load; the town is as it was'));
    if (stopYear.signal.aborted) return;
    jobs.start();
    await chatter?.stop();
  }) : null;
  if (!year) jobs.start();
  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      stopYear.abort();
      await year;
      await chatter?.stop();
      await jobs.stop();
      await app.close();
      await database.close();
    })();
    return stopping;
  };
  return { app, database, deps, stop };
}

/** The demo year in the background, logged when it starts and ends; a failure leaves the town as it is. */
async function replayDemoYear(deps: AppDeps, app: FastifyInstance, signal: AbortSignal): Promise<void> {
  app.log.info('loading the demo year (about 2,500 matters, well under a minute) in the background; the town is usable meanwhile');
  try {
    const { matters, steps, jobsRun, satisfactionRate, refused, seconds } = await loadDemoYear(deps, { signal, log: (message) => app.log.debug(message) });
    app.log.info({ matters, steps, jobsRun, satisfactionRate, refused, seconds }, signal.aborted ? 'stopped the demo year at shutdown' : 'loaded the demo year');
  } catch (err) {
    app.log.error({ err }, 'the demo year failed to load');
  }
}
