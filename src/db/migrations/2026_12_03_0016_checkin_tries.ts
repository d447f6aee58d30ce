import { type Kysely, sql } from 'kysely';

// Frozen once landed: never import application code here; later changes go in new migrations.
// A meeting's check-in code counts the wrong codes typed against it: six digits are a million guesses, so after a few
// dozen wrong ones the code is void and the organisers open check-in again with a new one.

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against no particular schema type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table deliberation_meetings add column checkin_failures integer not null default 0 check (checkin_failures >= 0)`.execute(db);
}
