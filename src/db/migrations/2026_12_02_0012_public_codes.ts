import { type Kysely, sql } from 'kysely';

// Frozen once landed: never import application code here; later changes go in new migrations.
// The public page of a matter is found by a random public code, not by the internal code SJ<day>-<id> (which a
// stranger can guess by counting), and titles only what staff wrote.
//
// public_code: 16 symbols of Crockford's base32 (no I, L, O, U), 80 random bits, grouped 4-4-4-4 for reading aloud.
// The column default makes one for every insert, whatever path makes the matter. pgcrypto's gen_random_bytes is not
// in PGlite, so the bytes come from gen_random_uuid() (core since PostgreSQL 13, drawn from pg_strong_random on both
// engines): two v4 UUIDs, their odd bytes only — the version and variant bits sit in bytes 6 and 8 — each byte mod 32
// (256 is a multiple of 32, so every symbol is equally likely).
//
// title_public: the title may be shown in public (staff wrote it). Existing rows are not: a title made before this
// migration may be a resident's own words, so their public page shows the category instead.

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against no particular schema type
export async function up(db: Kysely<any>): Promise<void> {
  // One statement per query: PGlite's extended protocol accepts no multi-statement strings.
  await sql`
    create function matter_public_code() returns text language sql volatile as $$
      select regexp_replace(string_agg(substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', get_byte(r.b, 2 * i + 1) % 32 + 1, 1), '' order by i),
                            '^(.{4})(.{4})(.{4})(.{4})$', '\\1-\\2-\\3-\\4')
        from (select uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()) as b) r, generate_series(0, 15) i
    $$`.execute(db);
  await sql`alter table matters add column public_code text`.execute(db);
  await sql`update matters set public_code = matter_public_code()`.execute(db);
  await sql`alter table matters alter column public_code set default matter_public_code()`.execute(db);
  await sql`alter table matters alter column public_code set not null`.execute(db);
  await sql`create unique index matters_public_code_idx on matters (public_code)`.execute(db);
  await sql`alter table matters add column title_public boolean not null default false`.execute(db);
  // Outcome messages waiting in the queue link the public page and title it as the page does: by the category.
  await sql`
    update outbound_deliveries d
       set payload = jsonb_set(jsonb_set(d.payload, '{matter,publicCode}', to_jsonb(m.public_code)), '{matter,title}', to_jsonb(coalesce(c.name, '群众反映事项')))
      from matters m left join categories c on c.id = m.category_id
     where d.kind = 'matter_outcome' and d.payload->>'type' = 'matter_outcome' and m.id = (d.payload->'matter'->>'id')::int`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table matters drop column title_public`.execute(db);
  await sql`alter table matters drop column public_code`.execute(db);
  await sql`drop function matter_public_code()`.execute(db);
}
