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
    create table meta (
      key text primary key,
      value text not null
    );

    -- The administrative tree: district → town/street → community/village → grid → micro-grid.
    create table nodes (
      id serial primary key,
      parent_id integer references nodes(id),
      level text not null check (level in ('district', 'town', 'community', 'grid', 'microgrid')),
      code text not null unique check (code ~ '^[0-9]{12}$|^[0-9]{15}$|^[0-9]{18}$'),
      name text not null check (length(name) between 1 and 100),
      path text not null,
      kind text,
      estate_type text check (estate_type in ('property_managed', 'self_governed', 'resettlement', 'transitional')),
      estate_name text,
      boundary jsonb,
      status text not null default 'active' check (status in ('active', 'retired')),
      retired_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((level = 'district') = (parent_id is null))
    );
    create index nodes_parent_idx on nodes (parent_id);
    create index nodes_path_idx on nodes (path text_pattern_ops);
    create index nodes_level_idx on nodes (level, status);

    create table buildings (
      id serial primary key,
      grid_id integer not null references nodes(id),
      name text not null,
      address text not null default '',
      lng double precision,
      lat double precision,
      status text not null default 'active' check (status in ('active', 'retired')),
      created_at timestamptz not null default now()
    );
    create index buildings_grid_idx on buildings (grid_id);

    create table units (
      id serial primary key,
      building_id integer not null references buildings(id),
      name text not null
    );
    create index units_building_idx on units (building_id);

    create table households (
      id serial primary key,
      grid_id integer not null references nodes(id),
      building_id integer references buildings(id),
      unit_id integer references units(id),
      room text not null default '',
      population integer not null default 0 check (population >= 0),
      created_at timestamptz not null default now()
    );
    create index households_grid_idx on households (grid_id);
    create index households_building_idx on households (building_id);

    -- Centre boards (板块), their posts (岗位), departments and joint-duty posts (联勤岗).
    create table boards (
      id serial primary key,
      node_id integer not null references nodes(id),
      kind text not null check (kind in ('party_building', 'economy', 'livelihood', 'safety_law')),
      name text not null,
      unique (node_id, kind)
    );
    create table posts (
      id serial primary key,
      board_id integer not null references boards(id),
      name text not null,
      unique (board_id, name)
    );
    create table departments (
      id serial primary key,
      node_id integer not null references nodes(id),
      name text not null,
      kind text not null check (kind in ('joint_duty', 'department')),
      joint_duty_type text check (joint_duty_type in ('police_station', 'market_supervision', 'judicial', 'tax', 'traffic_police', 'fire', 'health_centre')),
      board_id integer references boards(id),
      status text not null default 'active' check (status in ('active', 'retired')),
      unique (node_id, name)
    );

    -- Online grids: chat groups mirroring physical grids (several per grid allowed).
    create table online_groups (
      id serial primary key,
      grid_id integer not null references nodes(id),
      platform text not null check (platform in ('wecom', 'wechat', 'dingtalk', 'webhook')),
      external_id text not null,
      name text not null,
      status text not null default 'active' check (status in ('active', 'retired')),
      created_at timestamptz not null default now(),
      unique (platform, external_id)
    );
    create index online_groups_grid_idx on online_groups (grid_id);

    create table users (
      id serial primary key,
      username text not null unique,
      display_name text not null,
      password_hash text,
      phone_hash text,
      phone_enc text,
      phone_masked text,
      status text not null default 'active' check (status in ('active', 'disabled')),
      created_at timestamptz not null default now()
    );
    create index users_phone_idx on users (phone_hash);

    -- Residents' personal information: hashed for matching, encrypted for reveal, masked for display.
    create table residents (
      id serial primary key,
      grid_id integer not null references nodes(id),
      household_id integer references households(id),
      user_id integer references users(id),
      name text not null,
      gender text check (gender in ('M', 'F')),
      birth_date date,
      phone_hash text,
      phone_enc text,
      phone_masked text,
      id_number_hash text,
      id_number_enc text,
      id_number_masked text,
      status text not null default 'active' check (status in ('active', 'moved_out', 'deceased')),
      created_at timestamptz not null default now()
    );
    create index residents_grid_idx on residents (grid_id, id);
    create index residents_household_idx on residents (household_id);
    create index residents_phone_idx on residents (phone_hash);
    create unique index residents_id_number_idx on residents (id_number_hash);

    create table role_assignments (
      id serial primary key,
      user_id integer not null references users(id),
      role text not null check (role in ('admin', 'centre_operator', 'board_lead', 'post_handler', 'department_handler',
        'community_staff', 'grid_chief', 'grid_worker', 'building_head', 'unit_head', 'volunteer', 'mediator', 'merchant', 'resident')),
      node_id integer not null references nodes(id),
      board_id integer references boards(id),
      post_id integer references posts(id),
      department_id integer references departments(id),
      building_id integer references buildings(id),
      unit_id integer references units(id),
      ab_slot text check (ab_slot in ('A', 'B')),
      employment text check (employment in ('full_time', 'part_time')),
      created_at timestamptz not null default now(),
      ended_at timestamptz
    );
    create index role_assignments_user_idx on role_assignments (user_id) where ended_at is null;
    create index role_assignments_node_idx on role_assignments (node_id) where ended_at is null;

    create table sessions (
      id text primary key,
      user_id integer not null references users(id),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      ip text,
      user_agent text
    );
    create index sessions_user_idx on sessions (user_id);

    create table api_tokens (
      id serial primary key,
      user_id integer not null references users(id),
      name text not null,
      token_hash text not null unique,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    );

    create table login_throttle (
      key text primary key,
      failures integer not null default 0,
      last_failure_at timestamptz not null,
      locked_until timestamptz
    );

    -- Append-only audit trail (writes and every unmasked view of personal information).
    create table audit_log (
      id bigserial primary key,
      at timestamptz not null default now(),
      actor_user_id integer references users(id),
      action text not null,
      subject_type text not null,
      subject_id text,
      ip text,
      request_id text,
      details jsonb not null default '{}'
    );
    create index audit_log_subject_idx on audit_log (subject_type, subject_id);
    create index audit_log_actor_idx on audit_log (actor_user_id, at);
`;

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['audit_log', 'login_throttle', 'api_tokens', 'sessions', 'role_assignments', 'residents', 'users',
    'online_groups', 'departments', 'posts', 'boards', 'households', 'units', 'buildings', 'nodes', 'meta']) {
    await db.schema.dropTable(table).execute();
  }
}
