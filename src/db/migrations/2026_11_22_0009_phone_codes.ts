import { type Kysely, sql } from 'kysely';

// Frozen once landed: never import application code here; later changes go in new migrations.
// One-time codes for signing in with a phone number (短信验证码): only an HMAC of the phone and of the code
// is kept; rows older than a day are purged as new codes are sent. The sending IP feeds the per-IP throttle.

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against no particular schema type
export async function up(db: Kysely<any>): Promise<void> {
  // One statement per query: PGlite's extended protocol accepts no multi-statement strings.
  for (const statement of schema.split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) {
    await sql.raw(statement).execute(db);
  }
}

const schema = `
    create table phone_codes (
      id serial primary key,
      phone_hash text not null,
      code_hash text not null,
      ip text,
      attempts integer not null default 0,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    );
    create index phone_codes_phone_idx on phone_codes (phone_hash, id desc);
    create index phone_codes_ip_idx on phone_codes (ip, created_at);
    create index phone_codes_created_idx on phone_codes (created_at);
`;

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('phone_codes').execute();
}
