import { type Kysely, sql } from 'kysely';

// Frozen once landed: never import application code here; later changes go in new migrations.
// The trained half of sensing: the label every operator decision on a group message makes (one row per message, the
// latest decision), and the versions of the trained model with what each was trained on and how it measured.
// The urgent kind 'injury' becomes 'medical' (伤病急救), one of nine kinds; each message keeps why it was sensed so.

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against no particular schema type
export async function up(db: Kysely<any>): Promise<void> {
  // One statement per query: PGlite's extended protocol accepts no multi-statement strings.
  await sql`update group_messages set urgent_kind = 'medical' where urgent_kind = 'injury'`.execute(db);
  // A phrase kept under both kinds would collide on the unique key once renamed: the 'medical' copy stays.
  await sql`
    delete from sensing_phrases p where p.urgent_kind = 'injury' and exists (
      select 1 from sensing_phrases q where q.urgent_kind = 'medical' and q.kind = p.kind and q.phrase = p.phrase
        and q.category_code is not distinct from p.category_code)`.execute(db);
  await sql`update sensing_phrases set urgent_kind = 'medical' where urgent_kind = 'injury'`.execute(db);
  // Why the sensor said what it said: the phrases that counted and the model's strongest features, for the screens.
  await sql`alter table group_messages add column why jsonb not null default '[]'`.execute(db);

  await sql`
    create table sensing_labels (
      id serial primary key,
      message_id integer unique references group_messages (id),
      text text not null,
      actionable boolean not null,
      urgent_kind text,
      category_code text,
      source text not null check (source in ('to_matter', 'handled_in_group', 'dismissed', 'category_corrected', 'urgent_raised', 'urgent_cleared')),
      decided_by integer references users (id),
      decided_at timestamptz not null
    )`.execute(db);
  await sql`create index sensing_labels_source_idx on sensing_labels (source, id)`.execute(db);

  await sql`
    create table sensing_models (
      id serial primary key,
      version integer not null unique,
      status text not null check (status in ('candidate', 'current', 'retired', 'rejected')),
      engine text not null,
      params jsonb not null default '{}',
      training jsonb not null default '{}',
      figures jsonb not null default '{}',
      artifact bytea not null,
      reason text,
      created_by integer references users (id),
      created_at timestamptz not null default now(),
      promoted_at timestamptz
    )`.execute(db);
  await sql`create unique index sensing_models_one_current on sensing_models (status) where status = 'current'`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sensing_models').execute();
  await db.schema.dropTable('sensing_labels').execute();
  await sql`update sensing_phrases set urgent_kind = 'injury' where urgent_kind = 'medical'`.execute(db);
  await sql`alter table group_messages drop column why`.execute(db);
  await sql`update group_messages set urgent_kind = 'injury' where urgent_kind = 'medical'`.execute(db);
}
