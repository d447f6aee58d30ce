import { type Kysely, sql } from 'kysely';

// Frozen once landed: never import application code here; later changes go in new migrations.
// Outbound to the online groups: where each group's messages go (a WeCom group robot or a signed webhook),
// the broadcast content library and plans (宣传), and the log of every delivery with its retries.

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against no particular schema type
export async function up(db: Kysely<any>): Promise<void> {
  // One statement per query: PGlite's extended protocol accepts no multi-statement strings.
  for (const statement of schema.split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) {
    await sql.raw(statement).execute(db);
  }
}


const schema = `
    create table outbound_targets (
      id serial primary key,
      group_id integer not null references online_groups(id),
      kind text not null check (kind in ('wecom_robot', 'webhook')),
      url text not null,
      secret text,
      status text not null default 'active' check (status in ('active', 'disabled')),
      created_at timestamptz not null default now()
    );
    -- One active target per group, so "post to the group" names one endpoint; disable the old one to replace it.
    create unique index outbound_targets_one_active_idx on outbound_targets (group_id) where status = 'active';

    create table broadcast_content (
      id serial primary key,
      title text not null,
      body text not null,
      theme text,
      status text not null default 'active' check (status in ('active', 'retired')),
      created_by integer references users(id),
      created_at timestamptz not null default now()
    );

    -- A plan sends fixed content daily, or the week's theme weekly, to some groups or to every group under a node.
    create table broadcast_plans (
      id serial primary key,
      name text not null,
      cadence text not null check (cadence in ('daily', 'weekly')),
      time_of_day text not null,
      weekday integer check (weekday between 1 and 7),
      content_id integer references broadcast_content(id),
      theme text,
      node_id integer references nodes(id),
      group_ids integer[] not null default '{}',
      status text not null default 'active' check (status in ('active', 'paused')),
      next_run_at timestamptz,
      created_by integer references users(id),
      created_at timestamptz not null default now()
    );

    create table outbound_deliveries (
      id bigserial primary key,
      target_id integer references outbound_targets(id),
      group_id integer not null references online_groups(id),
      kind text not null check (kind in ('matter_outcome', 'broadcast', 'alert')),
      matter_id integer references matters(id),
      plan_id integer references broadcast_plans(id),
      payload jsonb not null,
      status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
      attempts integer not null default 0,
      last_status integer,
      last_error text,
      dedupe_key text unique,
      -- Every attempt: [{ at, status, error, ms }], newest last; next_attempt_at while a retry waits.
      attempt_log jsonb not null default '[]',
      next_attempt_at timestamptz,
      created_at timestamptz not null default now(),
      sent_at timestamptz
    );
    create index outbound_deliveries_status_idx on outbound_deliveries (status, id desc);
    create index outbound_deliveries_group_idx on outbound_deliveries (group_id, created_at desc);
    create index outbound_deliveries_matter_idx on outbound_deliveries (matter_id) where matter_id is not null;
`;

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['outbound_deliveries', 'broadcast_plans', 'broadcast_content', 'outbound_targets']) await db.schema.dropTable(table).execute();
}
