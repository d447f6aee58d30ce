import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from './pglite-dialect.ts';
import pg from 'pg';
import type { DB } from './schema.ts';

export type Engine = 'pglite' | 'postgres';

/** Receives the payload of each NOTIFY on a channel; resolves to a function that stops listening. */
export type Listen = (channel: string, onPayload: (payload: string) => void) => Promise<() => Promise<void>>;

export interface Database {
  db: Kysely<DB>;
  engine: Engine;
  /** LISTEN on a channel (PGlite: the one embedded session; PostgreSQL: a dedicated connection outside the pool). */
  listen: Listen;
  close(): Promise<void>;
}

// Return int8 (counts, sums) as JS numbers; our ids are int4 and counts stay far below 2^53.
pg.types.setTypeParser(20, (value: string) => Number(value));
// Keep DATE columns as 'YYYY-MM-DD' strings rather than local-midnight Date objects.
pg.types.setTypeParser(1082, (value: string) => value);

export interface DatabaseOptions {
  databaseUrl: string | null;
  /** Folder for the embedded database; null means in memory (tests). */
  pgliteDir: string | null;
  poolSize?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // An idle connection dropped by the server (restart, failover) must not crash the process; the pool reconnects.
    pool.on('error', (err) => process.emitWarning(`PostgreSQL idle connection lost: ${err.message}`));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    const listeners = tracked(pgListener(options.databaseUrl));
    return { db, engine: 'postgres', listen: listeners.listen, close: async () => {
      await listeners.stopAll();
      await db.destroy();
    } };
  }
  if (options.pgliteDir) await initEmbeddedDir(options.pgliteDir);
  const pglite = await PGlite.create({
    dataDir: options.pgliteDir ?? undefined,
    ...pgliteStartOptions(),
    // Parse int8 and date the same way as the pg driver so both engines return identical values.
    parsers: { 20: (value: string) => Number(value), 1082: (value: string) => value },
  });
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
  // PGlite is a single session: LISTEN runs on it and notifications arrive as its queries (the COMMIT) return.
  const listeners = tracked(async (channel, onPayload) => {
    const unlisten = await pglite.listen(channel, onPayload);
    return async () => {
      if (!pglite.closed) await unlisten();
    };
  });
  return {
    db,
    engine: 'pglite',
    listen: listeners.listen,
    close: async () => {
      await listeners.stopAll();
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

/** Remembers the listeners still open so close() stops them: a forgotten LISTEN connection would outlive the pool. */
function tracked(listen: Listen): { listen: Listen; stopAll(): Promise<void> } {
  const open = new Set<() => Promise<void>>();
  return {
    listen: async (channel, onPayload) => {
      const stop = await listen(channel, onPayload);
      const once = async () => {
        if (open.delete(once)) await stop();
      };
      open.add(once);
      return once;
    },
    stopAll: async () => {
      await Promise.all([...open].map((stop) => stop()));
    },
  };
}

const RECONNECT_MIN_MS = 1000;
const RECONNECT_MAX_MS = 30_000;
const ignore = () => undefined;

/**
 * LISTEN for PostgreSQL on its own pg.Client: a pooled connection is handed to other queries and
 * would lose the LISTEN. When the connection drops it reconnects with backoff and LISTENs again;
 * notifications sent while it was away are lost, so consumers must treat the stream as a hint.
 */
export function pgListener(url: string): Listen {
  return async (channel, onPayload) => {
    let current: pg.Client | null = null;
    let stopped = false;
    let timer: NodeJS.Timeout | null = null;
    let delay = RECONNECT_MIN_MS;

    const open = async (): Promise<pg.Client> => {
      const client = new pg.Client({ connectionString: url });
      client.on('notification', (msg) => {
        if (msg.channel === channel && msg.payload !== undefined) onPayload(msg.payload);
      });
      // Until connected, failures reject connect(); this keeps a late 'error' from crashing the process.
      client.on('error', ignore);
      try {
        await client.connect();
        await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
      } catch (err) {
        await client.end().catch(ignore);
        throw err;
      }
      client.on('error', (err) => lost(client, err));
      client.on('end', () => lost(client));
      return client;
    };

    const lost = (client: pg.Client, err?: Error) => {
      if (current !== client) return; // already handled, or stopped on purpose
      current = null;
      client.end().catch(ignore);
      process.emitWarning(`LISTEN ${channel}: connection lost (${err?.message ?? 'ended'}); reconnecting`);
      schedule();
    };

    const schedule = () => {
      if (stopped) return;
      timer = setTimeout(async () => {
        timer = null;
        try {
          const client = await open();
          if (stopped) {
            await client.end().catch(ignore);
            return;
          }
          current = client;
          delay = RECONNECT_MIN_MS;
        } catch (err) {
          delay = Math.min(delay * 2, RECONNECT_MAX_MS);
          process.emitWarning(`LISTEN ${channel}: reconnect failed (${err instanceof Error ? err.message : String(err)}); retrying in ${delay} ms`);
          schedule();
        }
      }, delay);
    };

    // The first connection must succeed so the caller knows whether live updates work at all.
    current = await open();
    return async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      const client = current;
      current = null;
      await client?.end().catch(ignore);
    };
  };
}

export const embeddedDir = (dataDir: string) => join(dataDir, 'pglite');

/**
 * PostgreSQL settings for the embedded database. PGlite keeps all its memory inside one WebAssembly memory,
 * which never shrinks, and zeroes shared_buffers at start: the default 128 MB is resident for the life of the
 * process. With 16 MB the data folder's pages are cached by the operating system instead (PGlite reads them with
 * ordinary file reads), which the kernel can reclaim. Durability is unchanged: PGlite's own -F (no fsync) stays.
 */
export const PGLITE_SETTINGS = ['shared_buffers=16MB'] as const;

/** What every PGlite of ours starts with: PGlite's own start parameters plus PGLITE_SETTINGS, for initdb too. */
export function pgliteStartOptions(): { startParams: string[]; initDbStartParams: string[] } {
  const settings = PGLITE_SETTINGS.flatMap((s) => ['-c', s]);
  return { startParams: [...PGlite.defaultStartParams, ...settings], initDbStartParams: settings };
}

const execFileAsync = promisify(execFile);

/**
 * Creates the cluster of an empty or missing data folder in a child process. PGlite's initdb runs a second
 * Postgres instance and keeps a 128 MB copy of its memory; in this process that garbage (about 550 MB resident)
 * would sit under the migrations and the demo load until a collection. The child builds the cluster in a
 * sibling folder that is renamed into place only when complete, so a crash leaves no half-made cluster.
 * --liftoff-only: the child runs initdb once, so optimised WebAssembly code would only cost it ~110 MB more.
 */
export async function initEmbeddedDir(dir: string): Promise<{ childPeakRssBytes: number } | null> {
  if (existsSync(dir) && readdirSync(dir).length > 0) return null; // a cluster, or something PGlite will judge itself
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  // A start killed during initdb leaves its staging folder; one process holds a data folder, so any is stale.
  const prefix = `${basename(dir)}.initdb-`;
  for (const name of readdirSync(parent)) if (name.startsWith(prefix)) rmSync(join(parent, name), { recursive: true, force: true });
  const staging = `${dir}.initdb-${process.pid}`;
  const script = `const { PGlite } = require(process.argv[1]);
PGlite.create({ dataDir: process.argv[2], ...JSON.parse(process.argv[3]) }).then((pg) => pg.close())
  .then(() => console.log(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS })), (err) => { console.error(err); process.exit(1); });`;
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  try {
    const { stdout } = await execFileAsync(process.execPath, ['--liftoff-only', '-e', script, entry, staging, JSON.stringify(pgliteStartOptions())], { maxBuffer: 16 * 1024 * 1024 });
    if (existsSync(dir)) rmSync(dir, { recursive: true }); // empty, checked above
    renameSync(staging, dir);
    const report: unknown = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
    const kb = typeof report === 'object' && report !== null && 'maxRssKb' in report ? Number(report.maxRssKb) : 0;
    return { childPeakRssBytes: kb * 1024 };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
