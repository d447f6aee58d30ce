// Renders the per-engine results side by side as a plain-text table.
import type { EngineResult, LoadResult } from './protocol.ts';

const NAMES: Record<EngineResult['engine'], string> = { pglite: 'PGlite (in memory)', postgres: 'PostgreSQL' };

const int = (n: number) => Math.round(n).toLocaleString('en');
const ms = (n: number) => (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0));
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const errors = (r: LoadResult) => (r.errors > 0 ? ` · ${r.errors} errors (${r.firstError ?? '?'})` : '');
const elu = (r: LoadResult) => (r.serverElu === null ? '' : ` · ELU ${Math.round(r.serverElu * 100)}%`);
const throughput = (r: LoadResult) => `${int(r.perSecond)}/s · p50 ${ms(r.p50Ms)} ms · p99 ${ms(r.p99Ms)} ms${elu(r)}${errors(r)}`;
const latency = (r: LoadResult) => `p50 ${ms(r.p50Ms)} ms · p99 ${ms(r.p99Ms)} ms (${r.requests} req)${errors(r)}`;

const ROWS: [string, (r: EngineResult) => string][] = [
  ['Load average at start (1 min)', (r) => r.loadAverage.toFixed(2)],
  ['Demo town load', (r) => `${r.loadSeconds.toFixed(1)} s (${int(r.town.households ?? 0)} households, ${int(r.town.residents ?? 0)} residents)`],
  ['RSS after demo load', (r) => `${r.memoryAfterLoad.rssMb} MB (heap ${r.memoryAfterLoad.heapUsedMb} MB)`],
  ['GridLocator.locate (in memory)', (r) => `${int(r.locateInMemory.perSecond)}/s over ${r.locateInMemory.grids} grids (${int(r.locateInMemory.lookups)} points, ${Math.round(r.locateInMemory.hitRate * 100)}% hit)`],
  ['GET /api/geo/locate, 32 in flight', (r) => throughput(r.locateHttp)],
  ['GET /healthz, 32 in flight (ceiling)', (r) => throughput(r.healthzHttp)],
  ['locate / healthz', (r) => `${pct(r.locateToHealthz)} of req/s · ${pct(r.locateToHealthzPerBusySecond)} per busy server second`],
  ['GET /api/nodes/:town (rollups)', (r) => latency(r.nodeDetail)],
  ['GET /api/nodes?parentId=town&withFigures', (r) => latency(r.childFigures)],
  ['POST /api/auth/login, 4 in flight', (r) => throughput(r.login)],
  ['RSS after HTTP runs', (r) => `${r.memoryAfterHttp.rssMb} MB (heap ${r.memoryAfterHttp.heapUsedMb} MB)`],
  ['Matters: POST + register + dispatch', (r) => `${throughput(r.matterFlow)} (complete matters)`],
  ['POST /bench/insert, same in flight (ceiling)', (r) => throughput(r.insertCeiling)],
  ['matters / insert ceiling', (r) => `${pct(r.matterToInsert)} of req/s · ${pct(r.matterToInsertPerBusySecond)} per busy server second`],
  ['History generated (SQL, not the services)', (r) => `${int(r.history.matters)} matters in ${r.history.seconds.toFixed(0)} s (${int(r.history.inYear)} in the year queried)`],
  ['GET /api/stats/summary (town, 1 year)', (r) => latency(r.statsSummary)],
  ['GET /api/stats/breakdown (town, 1 year)', (r) => latency(r.statsBreakdown)],
  ['RSS after the history', (r) => `${r.memoryAfterHistory.rssMb} MB (heap ${r.memoryAfterHistory.heapUsedMb} MB)`],
];

export function renderTable(results: readonly EngineResult[]): string {
  const header = ['', ...results.map((r) => NAMES[r.engine])];
  const body = ROWS.map(([label, cell]) => [label, ...results.map(cell)]);
  const rows = [header, ...body];
  const widths = header.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  const line = (row: string[]) => row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' │ ');
  const rule = widths.map((w) => '─'.repeat(w)).join('─┼─');
  return [line(header), rule, ...body.map(line)].join('\n');
}
