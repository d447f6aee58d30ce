import { type Kysely, sql } from 'kysely';

// Frozen once landed: never import application code here; later changes go in new migrations.
// The password throttle counts failures per account and client address (the back-off) and per account across
// all addresses (the lock), each a row locked while one try is counted. Accounts are the name as typed,
// lower-cased, so unknown names are throttled like real ones. They replace login_throttle, which was keyed by the
// name alone (anyone could lock anyone out) and lost counts under concurrency; its rows are transient, so it goes.

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against no particular schema type
export async function up(db: Kysely<any>): Promise<void> {
  // One statement per query: PGlite's extended protocol accepts no multi-statement strings.
  await sql`
    create table login_attempts (
      account text not null,
      address text not null,
      failures integer not null default 0,
      last_at timestamptz not null,
      primary key (account, address)
    )`.execute(db);
  await sql`create index login_attempts_last_at_idx on login_attempts (last_at)`.execute(db);
  await sql`
    create table login_windows (
      account text primary key,
      failures integer not null default 0,
      window_start timestamptz not null
    )`.execute(db);
  await sql`create index login_windows_start_idx on login_windows (window_start)`.execute(db);
  await sql`drop table login_throttle`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    create table login_throttle (
      key text primary key,
      failures integer not null default 0,
      last_failure_at timestamptz not null,
      locked_until timestamptz
    )`.execute(db);
  await db.schema.dropTable('login_windows').execute();
  await db.schema.dropTable('login_attempts').execute();
}
