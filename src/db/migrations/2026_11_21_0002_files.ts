import { type Kysely, sql } from 'kysely';

// Frozen: never import application code here; later changes go in new migrations.

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against no particular schema type
export async function up(db: Kysely<any>): Promise<void> {
  // One statement per query: PGlite's extended protocol accepts no multi-statement strings.
  for (const statement of schema.split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) {
    await sql.raw(statement).execute(db);
  }
}

const schema = `
    -- Uploaded photos, content-addressed: the bytes live on disk under the SHA-256 hex of their content.
    create table files (
      hash text primary key check (hash ~ '^[0-9a-f]{64}$'),
      mime text not null,
      size integer not null check (size > 0),
      width integer,
      height integer,
      uploaded_by integer references users(id),
      created_at timestamptz not null default now()
    );
`;

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('files').execute();
}
