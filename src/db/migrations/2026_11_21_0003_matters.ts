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
  -- The category dictionary: two catalogues, each type with its default owner, lead and deadline.
  create table categories (
    id serial primary key,
    code text not null unique,
    catalogue text not null check (catalogue in ('city', 'social')),
    major text not null,
    name text not null,
    default_level text not null check (default_level in ('grid', 'community', 'town', 'district')),
    scope text not null check (scope in ('household', 'shared', 'public')),
    complexity text not null check (complexity in ('simple', 'general', 'complex')),
    lead_board text check (lead_board in ('party_building', 'economy', 'livelihood', 'safety_law')),
    lead_post text,
    lead_joint_duty text,
    assist_joint_duty jsonb not null default '[]',
    deadline_amount integer not null check (deadline_amount > 0),
    deadline_unit text not null check (deadline_unit in ('natural_hours', 'natural_days', 'working_hours', 'working_days')),
    urgent boolean not null default false,
    keywords jsonb not null default '[]',
    status text not null default 'active' check (status in ('active', 'retired'))
  );

  -- Calendar overrides: public holidays on weekdays, and weekend days worked instead (调休).
  create table calendar_days (
    day date primary key,
    kind text not null check (kind in ('holiday', 'workday')),
    name text not null default ''
  );

  create table matters (
    id serial primary key,
    code text not null unique,
    source text not null check (source in ('group_message', 'visit', 'patrol', 'resident_report', 'hotline', 'sensor', 'inspection')),
    channel text not null check (channel in ('web', 'phone', 'api', 'group', 'system')),
    title text not null,
    description text not null,
    category_id integer references categories(id),
    grid_id integer references nodes(id),
    area_node_id integer not null references nodes(id),
    area_path text not null,
    owner_node_id integer not null references nodes(id),
    owner_path text not null,
    lng double precision,
    lat double precision,
    building_id integer references buildings(id),
    address text not null default '',
    reporter_resident_id integer references residents(id),
    reporter_user_id integer references users(id),
    reporter_anonymous boolean not null default false,
    contact_name text,
    contact_phone_hash text,
    contact_phone_enc text,
    contact_phone_masked text,
    status text not null check (status in ('reported', 'registered', 'dispatched', 'handling', 'handled', 'feedback', 'closed', 'suspended', 'merged', 'rejected')),
    suspended_from text,
    complexity text check (complexity in ('simple', 'general', 'complex')),
    scope text check (scope in ('household', 'shared', 'public')),
    level text not null check (level in ('grid', 'community', 'town', 'district')),
    lead_board_id integer references boards(id),
    urgent boolean not null default false,
    due_at timestamptz,
    overdue boolean not null default false,
    reported_at timestamptz not null default now(),
    registered_at timestamptz,
    dispatched_at timestamptz,
    handled_at timestamptz,
    closed_at timestamptz,
    closed_on_time boolean,
    satisfaction text check (satisfaction in ('satisfied', 'basically', 'dissatisfied')),
    rated_at timestamptz,
    reopen_count integer not null default 0,
    verify_fail_count integer not null default 0,
    suspension_count integer not null default 0,
    extension_count integer not null default 0,
    escalation_count integer not null default 0,
    possible_duplicate_of integer references matters(id),
    merged_into_id integer references matters(id),
    follows_id integer references matters(id),
    updated_at timestamptz not null default now()
  );
  create index matters_area_idx on matters (area_path text_pattern_ops, id);
  create index matters_owner_idx on matters (owner_path text_pattern_ops, id);
  create index matters_status_idx on matters (status, id);
  create index matters_open_due_idx on matters (due_at) where status not in ('closed', 'merged', 'rejected');
  create index matters_category_time_idx on matters (category_id, reported_at);
  create index matters_reporter_idx on matters (reporter_user_id);
  create index matters_resident_idx on matters (reporter_resident_id);

  -- Everyone to tell the outcome: the first reporter and the reporters of merged duplicates.
  create table matter_reporters (
    id serial primary key,
    matter_id integer not null references matters(id),
    resident_id integer references residents(id),
    user_id integer references users(id),
    from_matter_id integer references matters(id)
  );
  create index matter_reporters_matter_idx on matter_reporters (matter_id);

  -- Who works on a matter: one lead and any assists; posts, departments, boards or tree nodes.
  create table matter_assignments (
    id serial primary key,
    matter_id integer not null references matters(id),
    role text not null check (role in ('lead', 'assist')),
    target_kind text not null check (target_kind in ('post', 'department', 'board', 'node')),
    target_id integer not null,
    target_name text not null,
    node_id integer not null references nodes(id),
    status text not null check (status in ('pending', 'accepted', 'returned', 'done', 'cancelled')),
    summoned boolean not null default false,
    due_at timestamptz,
    accepted_at timestamptz,
    done_at timestamptz,
    return_reason text,
    created_by integer references users(id),
    created_at timestamptz not null default now()
  );
  create index matter_assignments_matter_idx on matter_assignments (matter_id);
  create index matter_assignments_target_idx on matter_assignments (target_kind, target_id, status);

  -- The timeline: append-only, one row per step, with the state before and after.
  create table matter_events (
    id bigserial primary key,
    matter_id integer not null references matters(id),
    at timestamptz not null default now(),
    actor_user_id integer references users(id),
    actor_role text,
    channel text not null,
    action text not null,
    status_before text,
    status_after text,
    note text,
    details jsonb not null default '{}'
  );
  create index matter_events_matter_idx on matter_events (matter_id, id);

  create table matter_photos (
    id serial primary key,
    matter_id integer not null references matters(id),
    event_id bigint references matter_events(id),
    file_hash text not null references files(hash),
    stage text not null check (stage in ('report', 'progress', 'result')),
    created_at timestamptz not null default now()
  );
  create index matter_photos_matter_idx on matter_photos (matter_id);

  -- Suspensions and extensions wait for a dispatcher's approval.
  create table matter_requests (
    id serial primary key,
    matter_id integer not null references matters(id),
    assignment_id integer references matter_assignments(id),
    kind text not null check (kind in ('suspend', 'extend')),
    reason text not null,
    extend_to timestamptz,
    status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
    requested_by integer references users(id),
    requested_at timestamptz not null default now(),
    decided_by integer references users(id),
    decided_at timestamptz,
    decision_note text
  );
  create index matter_requests_matter_idx on matter_requests (matter_id);

  create table notices (
    id serial primary key,
    user_id integer references users(id),
    resident_id integer references residents(id),
    matter_id integer references matters(id),
    kind text not null,
    body text not null,
    created_at timestamptz not null default now(),
    read_at timestamptz
  );
  create index notices_user_idx on notices (user_id, id);
  create index notices_resident_idx on notices (resident_id, id);

  -- Durable scheduled work, claimed with FOR UPDATE SKIP LOCKED so copies never run a job twice.
  create table jobs (
    id bigserial primary key,
    kind text not null,
    matter_id integer references matters(id),
    payload jsonb not null default '{}',
    run_at timestamptz not null,
    status text not null default 'pending' check (status in ('pending', 'running', 'done', 'cancelled', 'failed')),
    attempts integer not null default 0,
    locked_by text,
    locked_until timestamptz,
    last_error text,
    dedupe_key text unique,
    created_at timestamptz not null default now(),
    done_at timestamptz
  );
  create index jobs_pending_idx on jobs (run_at) where status in ('pending', 'running');
  create index jobs_matter_idx on jobs (matter_id);

  -- Rollups kept in the same transaction as each change, so statistics never scan every matter.
  -- matter_counts: matters reported on a day, by their current source, category, level and status.
  create table matter_counts (
    node_id integer not null,
    day date not null,
    source text not null,
    category_id integer not null,
    level text not null,
    status text not null,
    n integer not null default 0,
    primary key (node_id, day, source, category_id, level, status)
  );
  -- matter_metrics: the day-bucketed events behind the rates (due, closed, rated, reworked, ...).
  create table matter_metrics (
    subject text not null,
    day date not null,
    due integer not null default 0,
    closed integer not null default 0,
    closed_on_time integer not null default 0,
    handled integer not null default 0,
    reworked integer not null default 0,
    rated integer not null default 0,
    satisfied integer not null default 0,
    basically integer not null default 0,
    dissatisfied integer not null default 0,
    closes integer not null default 0,
    handling_seconds bigint not null default 0,
    suspended integer not null default 0,
    extended integer not null default 0,
    escalated integer not null default 0,
    primary key (subject, day)
  );

  create table inspection_tasks (
    id serial primary key,
    node_id integer not null references nodes(id),
    title text not null,
    description text not null default '',
    category_id integer references categories(id),
    due_at timestamptz not null,
    status text not null default 'open' check (status in ('open', 'closed')),
    created_by integer references users(id),
    created_at timestamptz not null default now()
  );
  create table inspection_points (
    id serial primary key,
    task_id integer not null references inspection_tasks(id),
    grid_id integer not null references nodes(id),
    grid_path text not null,
    name text not null,
    lng double precision,
    lat double precision,
    status text not null default 'pending' check (status in ('pending', 'normal', 'abnormal')),
    note text,
    checked_at timestamptz,
    checked_by integer references users(id),
    matter_id integer references matters(id)
  );
  create index inspection_points_task_idx on inspection_points (task_id, grid_id);
`;

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['inspection_points', 'inspection_tasks', 'matter_metrics', 'matter_counts', 'jobs', 'notices', 'matter_requests',
    'matter_photos', 'matter_events', 'matter_assignments', 'matter_reporters', 'matters', 'calendar_days', 'categories']) {
    await db.schema.dropTable(table).execute();
  }
}
