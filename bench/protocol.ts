import { Rng } from '../src/core/prng.ts';
export { TOWN_BBOX } from '../src/modules/demo/demo.loader.ts';
// Messages between the bench processes, validated with zod so no IPC payload is trusted by a cast.
import { z } from 'zod';

export const engineSchema = z.enum(['pglite', 'postgres']);
export type BenchEngine = z.infer<typeof engineSchema>;

/** One load run: `concurrency` requests in flight until `maxRequests` or `maxSeconds`, whichever comes first. */
export const loadTaskSchema = z.object({
  url: z.string(),
  method: z.enum(['GET', 'POST']),
  body: z.string().nullable(),
  /** When set, each request gets `lng`/`lat` of a random point in this [minLng, minLat, maxLng, maxLat] box. */
  randomPointIn: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
  concurrency: z.number().int().positive(),
  maxRequests: z.number().int().positive(),
  maxSeconds: z.number().positive(),
  /** Extra request headers, e.g. a bearer token. */
  headers: z.record(z.string(), z.string()),
  /** When set, "__PICK__" (with its quotes) in the body becomes one of these numbers, drawn per request. */
  choices: z.array(z.number()).nullable(),
  /**
   * Requests sent in turn after the first one succeeds; ':id' in their URL is the `id` the first answer
   * returned. The whole sequence counts as one request and its latency is the sequence's.
   */
  followUps: z.array(z.object({ method: z.enum(['GET', 'POST']), url: z.string(), body: z.string().nullable() })).nullable(),
});
export type LoadTask = z.infer<typeof loadTaskSchema>;

export const loadResultSchema = z.object({
  requests: z.number(),
  errors: z.number(),
  /** First non-2xx status or error message, so a failing run says why. */
  firstError: z.string().nullable(),
  seconds: z.number(),
  perSecond: z.number(),
  p50Ms: z.number(),
  p99Ms: z.number(),
  /** Event-loop utilisation of the server process during the run (1 = saturated); filled in by the server side. */
  serverElu: z.number().nullable(),
});
export type LoadResult = z.infer<typeof loadResultSchema>;

export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('result'), id: z.number(), result: loadResultSchema }),
  z.object({ type: z.literal('failed'), id: z.number(), message: z.string() }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;
export const clientRequestSchema = z.object({ id: z.number(), task: loadTaskSchema });

const memorySchema = z.object({ rssMb: z.number(), heapUsedMb: z.number() });

export const engineResultSchema = z.object({
  engine: engineSchema,
  loadSeconds: z.number(),
  town: z.record(z.string(), z.number()),
  locateInMemory: z.object({ grids: z.number(), lookups: z.number(), seconds: z.number(), perSecond: z.number(), hitRate: z.number() }),
  locateHttp: loadResultSchema,
  healthzHttp: loadResultSchema,
  locateToHealthz: z.number(),
  /** The same ratio per second of busy server event loop, fair when the client cannot saturate /healthz. */
  locateToHealthzPerBusySecond: z.number(),
  /** One-minute load average when this engine's run started; other work on the machine skews every figure. */
  loadAverage: z.number(),
  nodeDetail: loadResultSchema,
  childFigures: loadResultSchema,
  login: loadResultSchema,
  memoryAfterLoad: memorySchema,
  memoryAfterHttp: memorySchema,
  /** Complete matters (report + register + dispatch) per second over HTTP, and the one-row insert ceiling at the same concurrency. */
  matterFlow: loadResultSchema,
  insertCeiling: loadResultSchema,
  matterToInsert: z.number(),
  matterToInsertPerBusySecond: z.number(),
  /** Generated history (straight SQL, for the statistics timing only) and how many of its matters the queried year holds. */
  history: z.object({ matters: z.number(), seconds: z.number(), inYear: z.number() }),
  statsSummary: loadResultSchema,
  statsBreakdown: loadResultSchema,
  memoryAfterHistory: memorySchema,
});
export type EngineResult = z.infer<typeof engineResultSchema>;

export const engineMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), text: z.string() }),
  z.object({ type: z.literal('done'), result: engineResultSchema }),
]);
export type EngineMessage = z.infer<typeof engineMessageSchema>;

/** The engine child's settings, passed as one JSON argument. */
export const engineArgsSchema = z.object({
  engine: engineSchema,
  databaseUrl: z.string().nullable(),
  httpSeconds: z.number().positive(),
  loginSeconds: z.number().positive(),
  treeRequests: z.number().int().positive(),
  lookups: z.number().int().positive(),
  /** Matter sequences (and ceiling inserts) in flight at once. */
  flowConcurrency: z.number().int().positive(),
  historyMatters: z.number().int().positive(),
  /** Sequential requests timed per statistics endpoint. */
  statsRuns: z.number().int().positive(),
});
export type EngineArgs = z.infer<typeof engineArgsSchema>;

/** Nearest-rank percentile of an ascending array; 0 for no samples. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? 0;
}

/** Deterministic stream of [0, 1) floats so every run sends the same points. */
export function seededRandom(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}

