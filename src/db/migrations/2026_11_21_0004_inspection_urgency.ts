import { type Kysely, sql } from 'kysely';

// Frozen: never import application code here; later changes go in new migrations.
// An inspection task says whether the matters it raises are urgent, and records who closed it and when.

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against no particular schema type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table inspection_tasks add column urgent boolean not null default false`.execute(db);
  await sql`alter table inspection_tasks add column closed_at timestamptz`.execute(db);
  await sql`alter table inspection_tasks add column closed_by integer references users(id)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['closed_by', 'closed_at', 'urgent']) await sql`alter table inspection_tasks drop column ${sql.ref(column)}`.execute(db);
}
