import { type Kysely, sql } from 'kysely';

// Frozen once landed: never import application code here; later changes go in new migrations.
// The online grid (线上网格): where chat messages come from, who is in each group, every message taken
// in with its sensing result, and the phrases that extend the built-in sensing dictionary.

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against no particular schema type
export async function up(db: Kysely<any>): Promise<void> {
  // One statement per query: PGlite's extended protocol accepts no multi-statement strings.
  for (const statement of schema.split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) {
    await sql.raw(statement).execute(db);
  }
}


const schema = `
    -- A configured way in: a WeCom self-built app's callback, or a generic signed webhook.
    create table intake_sources (
      id serial primary key,
      kind text not null check (kind in ('wecom', 'webhook')),
      name text not null,
      token text,              -- WeCom: the callback Token
      aes_key text,            -- WeCom: the EncodingAESKey (43 characters)
      corp_id text,            -- WeCom: the receive id (CorpID)
      secret text,             -- webhook: the HMAC-SHA256 secret
      status text not null default 'active' check (status in ('active', 'disabled')),
      created_at timestamptz not null default now()
    );

    -- Members of an online group, with their real-name status (实名): linked to a resident or a staff user.
    create table group_members (
      id serial primary key,
      group_id integer not null references online_groups(id),
      external_user_id text not null,
      display_name text not null,
      resident_id integer references residents(id),
      user_id integer references users(id),
      joined_at timestamptz not null default now(),
      left_at timestamptz,
      unique (group_id, external_user_id)
    );
    create index group_members_user_idx on group_members (user_id) where user_id is not null;

    -- Every message taken in. group_id is null while a message from an unknown group is held (待认领).
    create table group_messages (
      id bigserial primary key,
      source_id integer references intake_sources(id),
      via text not null check (via in ('wecom', 'webhook', 'forward')),
      external_group_id text not null,
      external_msg_id text not null,
      group_id integer references online_groups(id),
      grid_id integer references nodes(id),
      sender_external_id text not null,
      sender_name text not null,
      member_id integer references group_members(id),
      sent_at timestamptz not null,
      received_at timestamptz not null default now(),
      text text not null,
      attachments jsonb not null default '[]',
      forwarded_by integer references users(id),
      actionable boolean not null default false,
      score real not null default 0,
      category_code text,
      urgency text not null default 'normal' check (urgency in ('normal', 'urgent')),
      urgent_kind text,
      hints jsonb not null default '{}',
      state text not null default 'new' check (state in ('new', 'held', 'to_matter', 'handled_in_group', 'dismissed')),
      matter_id integer references matters(id),
      handled_note text,
      handled_by integer references users(id),
      handled_at timestamptz,
      dedupe_key text not null unique
    );
    create index group_messages_group_idx on group_messages (group_id, received_at desc);
    create index group_messages_grid_open_idx on group_messages (grid_id, received_at desc) where actionable and state = 'new';
    create index group_messages_held_idx on group_messages (external_group_id) where state = 'held';
    create index group_messages_matter_idx on group_messages (matter_id) where matter_id is not null;

    -- Phrases an administrator adds to (or weighs against) the built-in sensing dictionary.
    create table sensing_phrases (
      id serial primary key,
      kind text not null check (kind in ('category', 'urgent', 'chatter', 'landmark')),
      category_code text,
      urgent_kind text,
      phrase text not null,
      weight real not null default 1,
      created_by integer references users(id),
      created_at timestamptz not null default now(),
      unique (kind, phrase, category_code, urgent_kind)
    );
`;

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['sensing_phrases', 'group_messages', 'group_members', 'intake_sources']) await db.schema.dropTable(table).execute();
}
