// `npm run bench [-- --engine pglite|postgres] [--json] [--seconds N]`: runs each engine in its own process and prints a table.
// `npm run bench -- points [--engine …] [--seconds N]` runs only the points ledger bench (bench/points.ts).
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { withDatabase } from '../test/helpers/engine.ts';
import { type BenchEngine, type EngineArgs, engineMessageSchema, type EngineResult } from './protocol.ts';
import { renderTable } from './table.ts';
import { runIntakeBenches } from './intake.ts';
import { runPointsBenches } from './points.ts';
import { renderSensing, runSensingBench, type SensingSpeed } from './sensing.ts';
import { type FirstStartResult, renderFirstStart, runFirstStartBench } from './firststart.ts';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    engine: { type: 'string' },
    json: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '10' },
    history: { type: 'string', default: '1000000' },
    'idle-seconds': { type: 'string', default: '60' },
    help: { type: 'boolean', default: false },
  },
});
if (opts.help) {
  console.log('usage: npm run bench -- [points] [--engine pglite|postgres] [--seconds 10] [--history 1000000] [--idle-seconds 60] [--json]\n  BENCH_DATABASE_URL overrides postgres://postgres@127.0.0.1:5432/postgres');
  process.exit(0);
}
if (opts.engine !== undefined && opts.engine !== 'pglite' && opts.engine !== 'postgres') {
  console.error(`--engine must be pglite or postgres, got ${opts.engine}`);
  process.exit(2);
}
const engines: BenchEngine[] = opts.engine === undefined ? ['pglite', 'postgres'] : [opts.engine];
const httpSeconds = Number(opts.seconds);
if (!(httpSeconds > 0 && httpSeconds <= 60)) {
  console.error('--seconds must be a number in (0, 60]');
  process.exit(2);
}
const historyMatters = Number(opts.history);
if (!(Number.isInteger(historyMatters) && historyMatters > 0)) {
  console.error('--history must be a positive whole number of matters');
  process.exit(2);
}
const idleSeconds = Number(opts['idle-seconds']);
if (!(idleSeconds >= 0 && idleSeconds <= 600)) {
  console.error('--idle-seconds must be a number in [0, 600]');
  process.exit(2);
}
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
if (positionals.length > 0 && positionals.join(' ') !== 'points') {
  console.error(`the only benchmark to name is points, got ${positionals.join(' ')}`);
  process.exit(2);
}
if (positionals[0] === 'points') process.exit((await runPointsBenches(engines, serverUrl, httpSeconds)) ? 0 : 1);

/** Runs one SQL statement on the server's admin database; rejects fast when the server is down. */
async function admin(text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

/** Forks bench/engine.ts, relays its progress lines, and resolves with its result. */
function runEngine(args: EngineArgs): Promise<EngineResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./engine.ts', import.meta.url)), [JSON.stringify(args)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: EngineResult | null = null;
    child.on('message', (raw: unknown) => {
      const message = engineMessageSchema.parse(raw);
      if (message.type === 'progress') console.log(`[${args.engine}] ${message.text}`);
      else {
        result = message.result;
        // Lingering keep-alive sockets must not hold the run open once the figures are in.
        setTimeout(() => child.kill(), 5000).unref();
      }
    });
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`the ${args.engine} run exited with code ${code} before reporting`))));
  });
}

const machine = {
  date: new Date().toISOString().slice(0, 10),
  cpus: availableParallelism(),
  cpuModel: cpus()[0]?.model ?? 'unknown',
  memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
  node: process.version,
};
let postgresVersion: string | null = null;
const results: EngineResult[] = [];
const skipped: string[] = [];
let failed = false;

for (const engine of engines) {
  const base: Omit<EngineArgs, 'databaseUrl'> = {
    engine, httpSeconds, loginSeconds: Math.min(5, httpSeconds), treeRequests: 200, lookups: 1_000_000, flowConcurrency: 8, historyMatters, statsRuns: 50,
  };
  const started = Date.now();
  try {
    if (engine === 'pglite') {
      results.push(await runEngine({ ...base, databaseUrl: null }));
    } else {
      try {
        const row: unknown = (await admin('show server_version')).rows[0];
        postgresVersion = row !== null && typeof row === 'object' && 'server_version' in row ? String(row.server_version) : 'unknown';
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        skipped.push(`PostgreSQL skipped: ${serverUrl} is unreachable (${why})`);
        console.log(`[postgres] ${skipped.at(-1)}`);
        continue;
      }
      const name = `dualgrid_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
      await admin(`create database ${name}`);
      // Ctrl-C would skip the finally below; drop the scratch database on the way out instead.
      const onSignal = () => void admin(`drop database if exists ${name} with (force)`).finally(() => process.exit(130));
      process.once('SIGINT', onSignal);
      try {
        console.log(`[postgres] scratch database ${name}`);
        results.push(await runEngine({ ...base, databaseUrl: withDatabase(serverUrl, name) }));
      } finally {
        process.off('SIGINT', onSignal);
        await admin(`drop database if exists ${name} with (force)`);
        console.log(`[postgres] dropped ${name}`);
      }
    }
    console.log(`[${engine}] done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } catch (err) {
    failed = true;
    console.error(`[${engine}] failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

console.log(`\n${machine.date} · ${machine.cpus} cores · ${machine.cpuModel} · ${machine.memoryGb} GB · Node ${machine.node}${postgresVersion ? ` · PostgreSQL ${postgresVersion}` : ''}\n`);
if (results.length > 0) console.log(renderTable(results));
for (const line of skipped) console.log(line);
let sensing: SensingSpeed | null = null;
try {
  sensing = await runSensingBench();
  console.log(`\n${renderSensing(sensing)}`);
} catch (err) {
  failed = true;
  console.error(`[sensing] failed: ${err instanceof Error ? err.message : String(err)}`);
}
await runIntakeBenches(engines, serverUrl, httpSeconds);
if (!(await runPointsBenches(engines, serverUrl, httpSeconds))) failed = true;
// The embedded default's first start (cluster, town, year) and its idle memory, in a process of its own.
let firstStart: FirstStartResult | null = null;
if (engines.includes('pglite')) {
  try {
    firstStart = await runFirstStartBench(idleSeconds);
    console.log(`\n${renderFirstStart(firstStart)}`);
  } catch (err) {
    failed = true;
    console.error(`[first start] failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}
if (opts.json) {
  const file = fileURLToPath(new URL('./results.json', import.meta.url));
  writeFileSync(file, `${JSON.stringify({ machine: { ...machine, postgres: postgresVersion }, results, sensing, firstStart, skipped }, null, 2)}\n`);
  console.log(`wrote ${file}`);
}
process.exitCode = failed ? 1 : 0;
