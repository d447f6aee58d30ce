import type { Insertable, Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** Inserts rows in chunks (PostgreSQL allows 65,535 parameters per statement) and returns the chosen columns in order. */
export async function insertMany<T extends 'buildings' | 'units' | 'households' | 'online_groups' | 'users' | 'role_assignments' | 'residents'>(
  db: Kysely<DB>,
  table: T,
  rows: Insertable<DB[T]>[],
  chunk = 1000,
): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += chunk) {
    // Kysely cannot relate a generic table name to its row type; the signature above guarantees they match.
    const inserted: unknown[] = await db.insertInto(table).values(rows.slice(i, i + chunk) as never).returning('id' as never).execute();
    // A multi-row INSERT ... RETURNING yields rows in VALUES order in PostgreSQL; every table here has an int id.
    for (const row of inserted as { id: number }[]) ids.push(row.id);
  }
  return ids;
}

export async function isEmpty(db: Kysely<DB>): Promise<boolean> {
  return (await db.selectFrom('nodes').select('id').limit(1).executeTakeFirst()) === undefined;
}
