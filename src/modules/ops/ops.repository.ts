import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** One round trip to the database; throws when it does not answer. */
export const ping = async (db: Kysely<DB>): Promise<void> => {
  await sql`select 1`.execute(db);
};
