// The closed-loop benchmarks: complete matters per second over HTTP next to a one-row insert ceiling,
// and the statistics endpoints over a generated history of a million matters.
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { z } from 'zod';
import { beijingDay } from '../src/core/beijing.ts';
import type { AppDeps } from '../src/deps.ts';
import { DEMO_PASSWORD } from '../src/modules/demo/demo.loader.ts';
import { generateHistory } from './history.ts';
import type { EngineArgs, EngineResult, LoadResult, LoadTask } from './protocol.ts';

export interface BenchContext {
  args: EngineArgs;
  deps: AppDeps;
  base: string;
  townId: number;
  /** A centre operator's bearer token header, so the measured requests pay no login or session cost. */
  auth: Record<string, string>;
  progress: (text: string) => void;
  task: (url: string, extra: Partial<LoadTask>) => LoadTask;
  measured: (task: LoadTask) => Promise<LoadResult>;
}

const tokenSchema = z.object({ token: z.string() });
const summarySchema = z.object({ reported: z.object({ total: z.number() }) });
const perBusySecond = (r: LoadResult) => (r.serverElu ? r.perSecond / r.serverElu : r.perSecond);

/**
 * fetch, tried twice: after minutes of history generation (PGlite blocks the event loop meanwhile) the
 * first request may meet a keep-alive socket the server is closing, which fetch does not retry by itself.
 */
async function fetchAgain(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch {
    return fetch(url, init);
  }
}

export async function bearer(base: string, username: string): Promise<Record<string, string>> {
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith('dg_session='))?.split(';')[0];
  if (!login.ok || !cookie) throw new Error(`login ${username} failed: ${login.status}`);
  const created = await fetch(`${base}/api/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ name: 'bench' }) });
  if (!created.ok) throw new Error(`token for ${username} failed: ${created.status} ${await created.text()}`);
  return { authorization: `Bearer ${tokenSchema.parse(await created.json()).token}` };
}

type FlowFigures = Pick<EngineResult, 'matterFlow' | 'insertCeiling' | 'matterToInsert' | 'matterToInsertPerBusySecond'>;

/**
 * One complete matter = POST /api/matters (a 12345 call: intake, triage suggestion, duplicate check,
 * timeline, rollups) + /register (triage) + /dispatch (due time on the holiday calendar, assignment,
 * deadline jobs), each by a centre operator. The ceiling inserts one row per request at the same concurrency.
 */
export async function benchMatterFlow(c: BenchContext): Promise<FlowFigures> {
  const { db } = c.deps;
  const { auth } = c;
  const buildings = (await db.selectFrom('buildings').select('id').orderBy('id').limit(2000).execute()).map((b) => b.id);
  const post = await db.selectFrom('posts').select('id').where('name', '=', '公共服务岗').executeTakeFirstOrThrow();
  const n = c.args.flowConcurrency;
  c.progress(`POST /api/matters + register + dispatch, ${n} in flight, ${c.args.httpSeconds} s`);
  const matterFlow = await c.measured(c.task('/api/matters', {
    method: 'POST', headers: auth, concurrency: n, choices: buildings,
    body: JSON.stringify({ source: 'hotline', channel: 'phone', description: '12345热线转办：市民来电反映小区垃圾堆放无人清运，请尽快处理', location: { buildingId: '__PICK__' } }),
    followUps: [
      { method: 'POST', url: `${c.base}/api/matters/:id/register`, body: JSON.stringify({ categoryCode: 'S07002' }) },
      { method: 'POST', url: `${c.base}/api/matters/:id/dispatch`, body: JSON.stringify({ lead: { kind: 'post', id: post.id } }) },
    ],
  }));
  c.progress(`POST /bench/insert (ceiling), ${n} in flight, ${c.args.httpSeconds} s`);
  const insertCeiling = await c.measured(c.task('/bench/insert', { method: 'POST', body: JSON.stringify({ note: 'one row' }), concurrency: n }));
  return {
    matterFlow, insertCeiling,
    matterToInsert: insertCeiling.perSecond === 0 ? 0 : matterFlow.perSecond / insertCeiling.perSecond,
    matterToInsertPerBusySecond: perBusySecond(insertCeiling) === 0 ? 0 : perBusySecond(matterFlow) / perBusySecond(insertCeiling),
  };
}

type StatsFigures = Pick<EngineResult, 'history' | 'statsSummary' | 'statsBreakdown'>;

/** Times the town's summary and breakdown over the last 365 days after generating the history. */
export async function benchStatistics(c: BenchContext): Promise<StatsFigures> {
  const { db } = c.deps;
  const end = new Date();
  c.progress(`generating ${c.args.historyMatters.toLocaleString('en')} matters of history with set-based SQL`);
  const started = performance.now();
  await generateHistory(db, c.args.historyMatters, end, c.progress);
  const seconds = (performance.now() - started) / 1000;
  if (c.deps.engine === 'postgres') await sql`analyze`.execute(db);

  const { auth } = c;
  const from = beijingDay(new Date(end.getTime() - 364 * 86_400_000));
  const to = beijingDay(end);
  const url = (kind: 'summary' | 'breakdown') => `/api/stats/${kind}?nodeId=${c.townId}&from=${from}&to=${to}`;
  // The rollups must agree with the rows, or the timing would flatter a wrong answer.
  const check = await fetchAgain(`${c.base}${url('summary')}`, { headers: auth });
  const reported = summarySchema.parse(await check.json()).reported.total;
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from matters
    where (reported_at at time zone 'Asia/Shanghai')::date between ${from}::date and ${to}::date`.execute(db);
  if (rows[0]?.n !== reported) throw new Error(`the summary counts ${reported} matters, the table ${rows[0]?.n}`);

  const sequential = { headers: auth, concurrency: 1, maxRequests: c.args.statsRuns, maxSeconds: 600 };
  c.progress(`GET ${url('summary')}, ${c.args.statsRuns} sequential`);
  const statsSummary = await c.measured(c.task(url('summary'), sequential));
  c.progress(`GET ${url('breakdown')}, ${c.args.statsRuns} sequential`);
  const statsBreakdown = await c.measured(c.task(url('breakdown'), sequential));
  return { history: { matters: c.args.historyMatters, seconds, inYear: reported }, statsSummary, statsBreakdown };
}
