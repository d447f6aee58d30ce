// The points ledger's throughput: posted transfers and hold→post pairs per second through PointsService, many in
// flight, next to the same run's one-row-insert ceiling at the same concurrency; the ledger is reconciled afterwards.
// Run by `npm run bench` after the intake bench, alone by `npm run bench -- points`, or as
// `npx tsx bench/points.ts [--engine pglite|postgres] [--seconds 10]`.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { z } from 'zod';
import { systemContext } from '../src/core/scope.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { seedReferenceData } from '../src/db/seed.ts';
import * as repo from '../src/modules/points/points.repository.ts';
import { PointsService } from '../src/modules/points/points.service.ts';
import { withDatabase } from '../test/helpers/engine.ts';
import { seedTown } from '../test/helpers/factory.ts';
import { createBenchApp } from './app.ts';
import { percentile } from './protocol.ts';

/** Operations in flight at once (each its own transaction), and resident accounts they spread over. */
const IN_FLIGHT = 16;
const ACCOUNTS = 64;

const runResult = z.object({ count: z.number(), errors: z.number(), firstError: z.string().nullable(), seconds: z.number(), perSecond: z.number(), p50Ms: z.number(), p99Ms: z.number() });
type RunResult = z.infer<typeof runResult>;
const engineResult = z.object({
  engine: z.enum(['pglite', 'postgres']), posted: runResult, holdPost: runResult, insertCeiling: runResult, loadAverage: z.number(),
  /** After all runs: transfers stored, transfers acknowledged, and the ledger's proof. */
  stored: z.number(), acknowledged: z.number(), mismatched: z.number(), total: z.number(), pending: z.number(), entries: z.number(), checked: z.boolean(),
});
export type PointsBenchResult = z.infer<typeof engineResult>;

/** `IN_FLIGHT` loops of `op` for `seconds`; each acknowledged op counts once, its latency is the whole op's. */
async function measure(seconds: number, op: () => Promise<void>): Promise<RunResult> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        await op();
        latencies.push(performance.now() - t0);
      } catch (e) {
        errors += 1;
        firstError ??= e instanceof Error ? e.message : String(e);
      }
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { count: latencies.length, errors, firstError, seconds: elapsed, perSecond: latencies.length / elapsed, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

/** One engine, in its own process: a seeded town, 64 funded resident accounts, then the three runs and the proof. */
async function runEngine(engine: 'pglite' | 'postgres', databaseUrl: string | null, seconds: number, say: (s: string) => void): Promise<PointsBenchResult> {
  const database = await openDatabase({ databaseUrl, pgliteDir: null });
  await migrateToLatest(database.db);
  await seedReferenceData(database.db);
  const t = await createBenchApp(database, databaseUrl);
  try {
    const { db } = t.deps;
    const town = await seedTown(t.deps);
    const points = new PointsService(t.deps);
    const ctx = systemContext('bench');
    const run = randomBytes(4).toString('hex');
    const inserted = await db.insertInto('residents')
      .values(Array.from({ length: ACCOUNTS }, (_, i) => ({ grid_id: town.g11.id, name: `积分压测居民${i + 1}`, created_at: new Date() })))
      .returning('id').execute();
    const accounts: number[] = [];
    for (const r of inserted) accounts.push((await repo.ensureResidentAccount(db, r.id)).id);
    const [issuance, settlement] = [await repo.systemAccount(db, 'issuance'), await repo.systemAccount(db, 'settlement')];
    let acknowledged = 0;
    const transfer = (input: Parameters<PointsService['transferIn']>[2]) => db.transaction().execute((trx) => points.transferIn(trx, ctx, input));
    // Enough points that no hold of the run is refused.
    for (const [i, id] of accounts.entries()) {
      await transfer({ key: `bench:${run}:fund:${i}`, kind: 'adjust', debitId: issuance.id, creditId: id, amount: 1_000_000 });
      acknowledged += 1;
    }
    const account = (n: number) => accounts[n % accounts.length] ?? 0;
    // Every operation of the bench (warm-ups included) gets a number of its own, so every key is new.
    let seq = 0;

    const posted = async () => {
      const n = ++seq;
      await transfer({ key: `bench:${run}:earn:${n}`, kind: 'earn', debitId: issuance.id, creditId: account(n), amount: 1 + (n % 10) });
      acknowledged += 1;
    };
    const holdPost = async () => {
      const n = ++seq;
      const { transfer: hold } = await transfer({ key: `bench:${run}:hold:${n}`, kind: 'redeem', debitId: account(n), creditId: settlement.id, amount: 1 + (n % 10), pendingUntil: new Date(Date.now() + 3_600_000) });
      acknowledged += 1; // the hold is stored once it is acknowledged, even if its post then failed
      await db.transaction().execute((trx) => points.postHold(trx, ctx, hold.id));
    };
    const insert = async () => {
      await db.transaction().execute((trx) => sql`insert into bench_insert (payload) values (${JSON.stringify({ note: 'one row' })})`.execute(trx));
    };
    const measured = async (label: string, op: () => Promise<void>) => {
      say(`${label}, ${IN_FLIGHT} in flight, ${seconds} s (after 1 s of warm-up)`);
      await measure(Math.min(1, seconds), op);
      return measure(seconds, op);
    };
    const postedRun = await measured('posted transfers (earn: issuance → resident)', posted);
    const holdPostRun = await measured('hold → post pairs (redeem: resident → settlement)', holdPost);
    const insertCeiling = await measured('one-row insert in a transaction (ceiling)', insert);

    const proof = await repo.reconcile(db);
    const n = (row: { n: number | string | bigint }) => Number(row.n);
    const stored = n(await db.selectFrom('point_transfers').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow());
    const pending = n(await db.selectFrom('point_transfers').select((eb) => eb.fn.countAll().as('n')).where('state', '=', 'pending').executeTakeFirstOrThrow());
    const entries = n(await db.selectFrom('point_entries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow());
    // Every stored transfer was acknowledged (none lost, none doubled), none is left pending, each has its two entries.
    const checked = proof.mismatched.length === 0 && proof.total === 0 && proof.entriesTotal === 0 && stored === acknowledged
      && pending === holdPostRun.errors && entries === 2 * (stored - pending);
    return {
      engine, posted: postedRun, holdPost: holdPostRun, insertCeiling, loadAverage: loadavg()[0] ?? 0,
      stored, acknowledged, mismatched: proof.mismatched.length, total: proof.total, pending, entries, checked,
    };
  } finally {
    await t.close();
    await database.close();
  }
}

async function admin(serverUrl: string, text: string) {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

function engineInChild(engine: 'pglite' | 'postgres', databaseUrl: string | null, seconds: number): Promise<PointsBenchResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--role', 'engine', JSON.stringify({ engine, databaseUrl, seconds })], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: PointsBenchResult | null = null;
    child.on('message', (raw: unknown) => {
      const m = z.union([z.object({ progress: z.string() }), z.object({ result: engineResult })]).parse(raw);
      if ('progress' in m) console.log(`[points ${engine}] ${m.progress}`);
      else {
        result = m.result;
        setTimeout(() => child.kill(), 5000).unref();
      }
    });
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`the points ${engine} run exited with ${code}`))));
  });
}

/** Runs the points bench on each engine (PostgreSQL in a scratch database), prints a table; false if a check failed. */
export async function runPointsBenches(engines: readonly ('pglite' | 'postgres')[], serverUrl: string, seconds: number): Promise<boolean> {
  const results: PointsBenchResult[] = [];
  let ok = true;
  for (const engine of engines) {
    try {
      if (engine === 'pglite') {
        results.push(await engineInChild('pglite', null, seconds));
        continue;
      }
      try {
        await admin(serverUrl, 'select 1');
      } catch {
        console.log('[points postgres] skipped: the server is unreachable');
        continue;
      }
      const name = `dualgrid_points_${process.pid}_${randomBytes(4).toString('hex')}`;
      await admin(serverUrl, `create database ${name}`);
      try {
        results.push(await engineInChild('postgres', withDatabase(serverUrl, name), seconds));
      } finally {
        await admin(serverUrl, `drop database if exists ${name} with (force)`);
      }
    } catch (err) {
      ok = false;
      console.error(`[points ${engine}] failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const f = (n: number) => Math.round(n).toLocaleString('en');
  const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));
  const cell = (r: RunResult) => `${f(r.perSecond)}/s · p50 ${ms(r.p50Ms)} ms · p99 ${ms(r.p99Ms)} ms${r.errors > 0 ? ` · ${r.errors} errors` : ''}`;
  console.log(`\nPoints ledger (PointsService in process, ${IN_FLIGHT} in flight, each operation its own transaction, ${ACCOUNTS} resident accounts)`);
  console.log('engine    | posted transfers                     | hold → post pairs                    | one-row insert ceiling               | posted ÷ ceiling | pairs ÷ ceiling | load avg | ledger check');
  for (const r of results) {
    const check = `${r.checked ? 'ok' : 'MISMATCH'} (${f(r.stored)} stored / ${f(r.acknowledged)} acknowledged, ${r.mismatched} mismatched, total ${r.total}, ${r.pending} pending)`;
    console.log(`${r.engine.padEnd(9)} | ${cell(r.posted).padEnd(36)} | ${cell(r.holdPost).padEnd(36)} | ${cell(r.insertCeiling).padEnd(36)} | `
      + `${(r.posted.perSecond / Math.max(1, r.insertCeiling.perSecond)).toFixed(2).padStart(16)} | ${(r.holdPost.perSecond / Math.max(1, r.insertCeiling.perSecond)).toFixed(2).padStart(15)} | `
      + `${r.loadAverage.toFixed(1).padStart(8)} | ${check}`);
    for (const x of [r.posted, r.holdPost, r.insertCeiling]) if (x.firstError) console.log(`  first error: ${x.firstError}`);
    if (!r.checked) ok = false;
  }
  return ok;
}

// ---- entry points: standalone and engine child ----
const { values } = parseArgs({ options: { role: { type: 'string' }, engine: { type: 'string' }, seconds: { type: 'string', default: '10' } }, allowPositionals: true, strict: false });
const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain && values.role === 'engine') {
  const a = z.object({ engine: z.enum(['pglite', 'postgres']), databaseUrl: z.string().nullable(), seconds: z.number() }).parse(JSON.parse(process.argv.at(-1) ?? '{}'));
  runEngine(a.engine, a.databaseUrl, a.seconds, (progress) => process.send?.({ progress })).then((result) => {
    process.send?.({ result });
    process.disconnect?.();
  }, (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  });
} else if (isMain) {
  const engine = values.engine;
  const engines = engine === 'pglite' || engine === 'postgres' ? [engine] as const : ['pglite', 'postgres'] as const;
  const ok = await runPointsBenches(engines, process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', Number(values.seconds));
  process.exitCode = ok ? 0 : 1;
}
