import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
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
  if (options.pgliteDir) mkdirSync(options.pgliteDir, { recursive: true });
  const pglite = await PGlite.create({
    dataDir: options.pgliteDir ?? undefined,
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
