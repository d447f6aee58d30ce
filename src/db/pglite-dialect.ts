import type { PGlite, Transaction } from '@electric-sql/pglite';
import {
  type CompiledQuery, type DatabaseConnection, type Dialect, type Driver, type Kysely, PostgresAdapter, PostgresIntrospector,
  PostgresQueryCompiler, type QueryResult,
} from 'kysely';

/**
 * Kysely's dialect for the embedded PGlite. Kysely ships one from 0.29, but 0.29 requires Node 22 while the
 * product still runs on Node 20.19+, so this is the same design on 0.28's public API: one session, used by one
 * caller at a time (a mutex, as Kysely's SQLite driver does), and a transaction run inside PGlite's own exclusive
 * `transaction()` so nothing else that holds the instance (LISTEN, the backup) interleaves with it.
 * Drop this file for Kysely's PGliteDialect when the engines field moves to Node 22.
 */
export class PGliteDialect implements Dialect {
  constructor(private readonly config: { pglite: PGlite }) {}
  createAdapter() { return new PGliteAdapter(); }
  createDriver(): Driver { return new PGliteDriver(this.config.pglite); }
  createIntrospector(db: Kysely<unknown>) { return new PostgresIntrospector(db); }
  createQueryCompiler() { return new PostgresQueryCompiler(); }
}

class PGliteAdapter extends PostgresAdapter {
  // The one session is held by the migrator from acquire to release, so no advisory lock is needed.
  override async acquireMigrationLock(): Promise<void> {}
  override async releaseMigrationLock(): Promise<void> {}
}

class PGliteDriver implements Driver {
  private connection: PGliteConnection | null = null;
  private readonly mutex = new Mutex();
  constructor(private readonly pglite: PGlite) {}

  async init(): Promise<void> {
    if (this.pglite.closed) throw new Error('PGlite instance is already closed.');
    await this.pglite.waitReady;
    this.connection = new PGliteConnection(this.pglite);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.mutex.lock();
    if (!this.connection) throw new Error('the PGlite driver is not initialised');
    return this.connection;
  }

  async releaseConnection(): Promise<void> { this.mutex.unlock(); }
  async beginTransaction(c: DatabaseConnection): Promise<void> { await (c as PGliteConnection).begin(); }
  async commitTransaction(c: DatabaseConnection): Promise<void> { await (c as PGliteConnection).commit(); }
  async rollbackTransaction(c: DatabaseConnection): Promise<void> { await (c as PGliteConnection).rollback(); }
  async destroy(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
  }
}

class PGliteConnection implements DatabaseConnection {
  private tx: Transaction | null = null;
  private finish: { commit: () => void; rollback: (e: Error) => void } | null = null;
  private closed: Promise<unknown> | null = null;
  constructor(private readonly pglite: PGlite) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const { affectedRows, rows } = await (this.tx ?? this.pglite).query<R>(query.sql, query.parameters as unknown[], { rowMode: 'object' });
    return { numAffectedRows: affectedRows != null ? BigInt(affectedRows) : undefined, rows: rows ?? [] };
  }

  // biome-ignore lint/correctness/useYield: PGlite cannot stream; Kysely's contract wants the generator.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming is not supported by PGlite.');
  }

  /** Opens PGlite's exclusive transaction and keeps it open until commit() or rollback() settles `finished`. */
  async begin(): Promise<void> {
    let begun!: () => void;
    const started = new Promise<void>((resolve) => { begun = resolve; });
    const finished = new Promise<void>((commit, rollback) => { this.finish = { commit, rollback }; });
    this.closed = this.pglite.transaction(async (tx) => {
      this.tx = tx;
      begun();
      await finished;
    });
    // A BEGIN that fails rejects `closed` before the callback runs.
    await Promise.race([started, this.closed]);
  }

  async commit(): Promise<void> {
    this.finish?.commit();
    try {
      await this.closed;
    } finally {
      this.reset();
    }
  }

  async rollback(): Promise<void> {
    this.finish?.rollback(new Error('rollback'));
    await this.closed?.catch(() => {});
    this.reset();
  }

  private reset(): void {
    this.tx = null;
    this.finish = null;
    this.closed = null;
  }
}

/** One holder at a time, in arrival order. */
class Mutex {
  private held = false;
  private readonly waiting: Array<() => void> = [];
  async lock(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  unlock(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held = false;
  }
}
