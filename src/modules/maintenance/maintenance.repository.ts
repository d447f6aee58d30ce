import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';

// Queries about the database as a whole, for backup, restore and key rotation; every table is named by the
// catalogue, so a table added by a later migration is counted without a change here.

// biome-ignore lint/suspicious/noExplicitAny: a restored or upgraded database may be of any schema version
type AnyDb = Kysely<any>;

/** The tables of the current schema, by name. */
export async function tableNames(db: AnyDb): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db);
  return rows.map((r) => r.name);
}

/** Rows in every table, by table name (in one transaction or snapshot when the caller passes one). */
export async function tableCounts(db: AnyDb): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of await tableNames(db)) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(name)}`.execute(db);
    counts[name] = rows[0]?.n ?? 0;
  }
  return counts;
}

/** The migrations applied to the database, oldest first; none for an empty database. */
export async function appliedMigrations(db: AnyDb): Promise<string[]> {
  if (!(await tableNames(db)).includes('kysely_migration')) return [];
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.map((r) => r.name);
}

/** PostgreSQL: the other sessions on this database (app copies, consoles), to refuse work that needs it alone. */
export async function otherSessions(db: Kysely<DB>): Promise<{ pid: number; application: string; client: string | null }[]> {
  const { rows } = await sql<{ pid: number; application: string; client: string | null }>`
    select pid, application_name as application, client_addr::text as client from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend' order by pid`.execute(db);
  return rows;
}

/** PostgreSQL, inside a REPEATABLE READ transaction: a snapshot id pg_dump --snapshot can dump from. */
export async function exportSnapshot(trx: Kysely<DB>): Promise<string> {
  const { rows } = await sql<{ id: string }>`select pg_export_snapshot() as id`.execute(trx);
  const id = rows[0]?.id;
  if (!id) throw new Error('PostgreSQL exported no snapshot');
  return id;
}

/** Writes every dirty page, so a copy of PGlite's files needs no crash recovery. */
export async function checkpoint(db: Kysely<DB>): Promise<void> {
  await sql`checkpoint`.execute(db);
}
