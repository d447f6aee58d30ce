// Message intake throughput: signed webhook requests over HTTP (single messages and batches of 100), each
// message scored and stored, next to the same run's one-row-insert ceiling. Run by `npm run bench` after the
// engine runs, or alone: `npx tsx bench/intake.ts [--engine pglite|postgres] [--seconds 10]`.
import { fork } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { z } from 'zod';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { seedReferenceData } from '../src/db/seed.ts';
import { withDatabase } from '../test/helpers/engine.ts';
import { seedTown } from '../test/helpers/factory.ts';
import { ensureBaseModel } from '../src/modules/sensing/models.service.ts';
import { createBenchApp } from './app.ts';

const TEXTS = ['3号楼的路灯不亮了，麻烦处理一下', '大家早上好', '花园路下水道堵了，污水冒出来了', '今天社区有免费体检，大家去看看', '2单元楼下有人在吵架，快来人', '收到，谢谢网格员'];

const loadTask = z.object({
  kind: z.enum(['webhook', 'insert']), base: z.string(), sourceId: z.number(), secret: z.string(), groups: z.array(z.string()),
  batch: z.number().int().positive(), concurrency: z.number().int().positive(), seconds: z.number().positive(),
});
type LoadTask = z.infer<typeof loadTask>;
const loadResult = z.object({
  requests: z.number(), messages: z.number(), errors: z.number(), firstError: z.string().nullable(), seconds: z.number(), perSecond: z.number(), requestsPerSecond: z.number(),
  /** Messages per second of the server process's own CPU time: fairer than wall-clock when other work shares the machine. */
  perServerCpuSecond: z.number().default(0),
});
type LoadResult = z.infer<typeof loadResult>;
const engineResult = z.object({
  engine: z.enum(['pglite', 'postgres']), single: loadResult, batch100: loadResult, insertCeiling: loadResult,
  stored: z.number(), checked: z.boolean(), loadAverage: z.number(),
});
export type IntakeResult = z.infer<typeof engineResult>;

function post(agent: Agent, url: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, method: 'POST', headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The load generator (its own process): `concurrency` requests in flight for `seconds`, each freshly signed with new message ids. */
async function runLoad(task: LoadTask): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: task.concurrency });
  const run = randomBytes(4).toString('hex');
  let seq = 0;
  let requests = 0;
  let messages = 0;
  let errors = 0;
  let firstError: string | null = null;
  const message = () => {
    seq += 1;
    return { id: `${run}-${seq}`, groupId: task.groups[seq % task.groups.length] ?? 'x', senderId: `u${seq % 500}`, senderName: `居民${seq % 500}`, text: TEXTS[seq % TEXTS.length] ?? '' };
  };
  const started = performance.now();
  const deadline = started + task.seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      let res: { status: number; text: string };
      let count = 1;
      if (task.kind === 'insert') {
        res = await post(agent, `${task.base}/bench/insert`, {}, '{"note":"one row"}');
      } else {
        const body = JSON.stringify(task.batch === 1 ? message() : { messages: Array.from({ length: task.batch }, message) });
        count = task.batch;
        const ts = String(Math.floor(Date.now() / 1000));
        const signature = createHmac('sha256', task.secret).update(`${ts}.${body}`).digest('hex');
        res = await post(agent, `${task.base}/api/intake/webhook/${task.sourceId}`, { 'x-dualgrid-timestamp': ts, 'x-dualgrid-signature': signature }, body);
      }
      if (res.status >= 200 && res.status < 300) {
        requests += 1;
        messages += count;
      } else {
        errors += 1;
        firstError ??= `${res.status} ${res.text.slice(0, 200)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: task.concurrency }, worker));
  agent.destroy();
  const seconds = (performance.now() - started) / 1000;
  return { requests, messages, errors, firstError, seconds, perSecond: messages / seconds, requestsPerSecond: requests / seconds, perServerCpuSecond: 0 };
}

function loadInChild(task: LoadTask): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--role', 'load', JSON.stringify(task)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (raw: unknown) => {
      resolve(loadResult.parse(raw));
      child.disconnect();
    });
    child.once('exit', (code) => reject(new Error(`the load generator exited with ${code}`)));
  });
}

/** One engine, in its own process: a seeded town with webhook groups, then the three runs. */
async function runEngine(engine: 'pglite' | 'postgres', databaseUrl: string | null, seconds: number, say: (s: string) => void): Promise<IntakeResult> {
  const database = await openDatabase({ databaseUrl, pgliteDir: null });
  await migrateToLatest(database.db);
  await seedReferenceData(database.db);
  const t = await createBenchApp(database, databaseUrl);
  try {
    // Intake senses with the dictionary and the base model, as a town's does.
    await ensureBaseModel(t.deps);
    const town = await seedTown(t.deps);
    const secret = randomBytes(24).toString('hex');
    const source = await t.deps.db.insertInto('intake_sources').values({ kind: 'webhook', name: 'bench', secret }).returning('id').executeTakeFirstOrThrow();
    const groups: string[] = [];
    for (const [i, grid] of [town.g11, town.g12, town.g21].entries()) {
      const g = await t.deps.db.insertInto('online_groups').values({ grid_id: grid.id, platform: 'webhook', external_id: `bench-${i}`, name: `bench ${i}` }).returning('external_id').executeTakeFirstOrThrow();
      groups.push(g.external_id);
    }
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`; // listening on TCP gives an AddressInfo
    const task = (extra: Partial<LoadTask>): LoadTask => ({ kind: 'webhook', base, sourceId: source.id, secret, groups, batch: 1, concurrency: 64, seconds, ...extra });
    const measured = async (t2: LoadTask) => {
      await loadInChild({ ...t2, seconds: Math.min(1, t2.seconds) }); // warm-up, not counted
      const cpu = process.cpuUsage();
      const r = await loadInChild(t2);
      const used = process.cpuUsage(cpu);
      return { ...r, perServerCpuSecond: r.messages / ((used.user + used.system) / 1e6 || 1) };
    };
    say(`webhook, one message a request, 64 in flight, ${seconds} s`);
    const single = await measured(task({}));
    say(`webhook, batches of 100, 8 in flight, ${seconds} s`);
    const batch100 = await measured(task({ batch: 100, concurrency: 8 }));
    say(`POST /bench/insert (ceiling), 64 in flight, ${seconds} s`);
    const insertCeiling = await measured(task({ kind: 'insert' }));
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from group_messages`.execute(t.deps.db);
    const stored = rows[0]?.n ?? 0;
    // Every 2xx must be a committed, sensed row: the warm-ups and both measured runs, nothing lost or doubled.
    const scored = await sql<{ n: number }>`select count(*)::int as n from group_messages where category_code is not null or actionable or score = 0`.execute(t.deps.db);
    return { engine, single, batch100, insertCeiling, stored, loadAverage: loadavg()[0] ?? 0, checked: (scored.rows[0]?.n ?? -1) === stored && stored >= single.messages + batch100.messages };
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

function engineInChild(engine: 'pglite' | 'postgres', databaseUrl: string | null, seconds: number): Promise<IntakeResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--role', 'engine', JSON.stringify({ engine, databaseUrl, seconds })], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: IntakeResult | null = null;
    child.on('message', (raw: unknown) => {
      const m = z.union([z.object({ progress: z.string() }), z.object({ result: engineResult })]).parse(raw);
      if ('progress' in m) console.log(`[intake ${engine}] ${m.progress}`);
      else {
        result = m.result;
        setTimeout(() => child.kill(), 5000).unref();
      }
    });
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`the intake ${engine} run exited with ${code}`))));
  });
}

/** Runs the intake bench on each engine (PostgreSQL in a scratch database) and prints a table. */
export async function runIntakeBenches(engines: readonly ('pglite' | 'postgres')[], serverUrl: string, seconds: number): Promise<IntakeResult[]> {
  const results: IntakeResult[] = [];
  for (const engine of engines) {
    if (engine === 'pglite') {
      results.push(await engineInChild('pglite', null, seconds));
      continue;
    }
    try {
      await admin(serverUrl, 'select 1');
    } catch {
      console.log('[intake postgres] skipped: the server is unreachable');
      continue;
    }
    const name = `dualgrid_intake_${process.pid}_${randomBytes(4).toString('hex')}`;
    await admin(serverUrl, `create database ${name}`);
    try {
      results.push(await engineInChild('postgres', withDatabase(serverUrl, name), seconds));
    } finally {
      await admin(serverUrl, `drop database if exists ${name} with (force)`);
    }
  }
  const f = (n: number) => Math.round(n).toLocaleString('en');
  console.log('\nMessage intake (signed webhook over HTTP: accepted, scored and stored per second)');
  console.log('engine    | single msg/s | batch-100 msg/s | insert ceiling rows/s | single ÷ ceiling | per server CPU-s: single / batch / ceiling | errors | load avg | stored rows check');
  for (const r of results) {
    const cpu = `${f(r.single.perServerCpuSecond)} / ${f(r.batch100.perServerCpuSecond)} / ${f(r.insertCeiling.perServerCpuSecond)}`;
    console.log(`${r.engine.padEnd(9)} | ${f(r.single.perSecond).padStart(12)} | ${f(r.batch100.perSecond).padStart(15)} | ${f(r.insertCeiling.perSecond).padStart(21)} | `
      + `${(r.single.perSecond / Math.max(1, r.insertCeiling.perSecond)).toFixed(2).padStart(16)} | ${cpu.padStart(42)} | ${String(r.single.errors + r.batch100.errors + r.insertCeiling.errors).padStart(6)} | `
      + `${r.loadAverage.toFixed(1).padStart(8)} | ${r.checked ? 'ok' : 'MISMATCH'} (${f(r.stored)})`);
    for (const x of [r.single, r.batch100, r.insertCeiling]) if (x.firstError) console.log(`  first error: ${x.firstError}`);
  }
  return results;
}

// ---- entry points: standalone, engine child, load child ----
const { values } = parseArgs({ options: { role: { type: 'string' }, engine: { type: 'string' }, seconds: { type: 'string', default: '10' } }, allowPositionals: true, strict: false });
const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain && values.role === 'load') {
  const task = loadTask.parse(JSON.parse(process.argv.at(-1) ?? '{}'));
  runLoad(task).then((r) => process.send?.(r), (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
} else if (isMain && values.role === 'engine') {
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
  await runIntakeBenches(engines, process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', Number(values.seconds));
}
