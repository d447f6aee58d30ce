import { type Kysely, sql } from 'kysely';

// Frozen once landed: never import application code here; later changes go in new migrations.
// Reading a photo checks what it belongs to (a matter, a visit, a forwarded group message); these indexes keep
// that check an index lookup rather than a scan of every photo row and every message.

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against no particular schema type
export async function up(db: Kysely<any>): Promise<void> {
  // One statement per query: PGlite's extended protocol accepts no multi-statement strings.
  await sql`create index matter_photos_file_idx on matter_photos (file_hash)`.execute(db);
  await sql`create index visit_photos_file_idx on visit_photos (file_hash)`.execute(db);
  await sql`create index group_messages_forwarded_attachments_idx on group_messages using gin (attachments jsonb_path_ops) where via = 'forward'`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ['matter_photos_file_idx', 'visit_photos_file_idx', 'group_messages_forwarded_attachments_idx']) {
    await db.schema.dropIndex(index).execute();
  }
}
