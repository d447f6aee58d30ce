import { type Kysely, sql } from 'kysely';

// Frozen once landed: never import application code here; later changes go in new migrations.
// An idempotency key on reports: a phone re-sending a draft after a lost response names the same client_id,
// and gets the matter it already made instead of a second one.

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against no particular schema type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table matters add column client_id uuid`.execute(db);
  await sql`create unique index matters_client_id_idx on matters (client_id) where client_id is not null`.execute(db);
}
