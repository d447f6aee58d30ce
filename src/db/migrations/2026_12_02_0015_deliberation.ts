import { type Kysely, sql } from 'kysely';

// Frozen once landed: never import application code here; later changes go in new migrations.
// Deliberation (议事协商): topics raised by residents, staff, a group message or a matter; their support, threaded
// discussion, plans with co-authors, amendments and crowdfunding goals; meetings at grid stations with attendance,
// agenda and the pending-items log (三事分流工作日志); one vote per resident per topic, enforced by a unique key
// whatever the channel; the project that implements a decided plan, its milestones, photos and matters.

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against no particular schema type
export async function up(db: Kysely<any>): Promise<void> {
  // One statement per query: PGlite's extended protocol accepts no multi-statement strings.
  for (const statement of schema.split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) {
    await sql.raw(statement).execute(db);
  }
}

const schema = `
    alter table matters drop constraint matters_source_check;
    alter table matters add constraint matters_source_check
      check (source in ('group_message', 'visit', 'patrol', 'resident_report', 'hotline', 'sensor', 'inspection', 'deliberation'));

    create table grid_stations (
      id serial primary key,
      node_id integer not null references nodes(id),
      name text not null check (length(name) between 1 and 60),
      brand text not null default '' check (length(brand) <= 30),
      address text not null default '' check (length(address) <= 200),
      created_at timestamptz not null default now()
    );
    create index grid_stations_node_idx on grid_stations (node_id);

    create table topics (
      id serial primary key,
      node_id integer not null references nodes(id),
      node_path text not null,
      scope text not null check (scope in ('grid', 'estate', 'community')),
      estate_name text,
      title text not null check (length(title) between 1 and 80),
      body text not null default '' check (length(body) <= 4000),
      origin text not null check (origin in ('resident', 'staff', 'group_message', 'matter')),
      raised_by integer references users(id),
      raised_resident_id integer references residents(id),
      message_id integer references group_messages(id),
      matter_id integer references matters(id),
      stage text not null check (stage in ('collecting', 'deliberating', 'voting', 'decided', 'rejected', 'implementing', 'completed', 'expired', 'merged')),
      support_threshold integer not null default 0 check (support_threshold between 0 and 100000),
      support_until timestamptz,
      supports integer not null default 0,
      decision_type text not null default 'approve' check (decision_type in ('approve', 'choose', 'ranked')),
      quorum_percent integer not null default 0 check (quorum_percent between 0 and 100),
      majority text not null default 'simple' check (majority in ('simple', 'two_thirds', 'three_quarters')),
      results_hidden boolean not null default false,
      vote_opens_at timestamptz,
      vote_closes_at timestamptz,
      eligible integer,
      tally jsonb,
      outcome text,
      review_on date,
      decided_at timestamptz,
      decided_plan_id integer,
      hidden_reason text,
      hidden_by integer references users(id),
      hidden_at timestamptz,
      merged_into integer references topics(id),
      client_id uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (scope <> 'estate' or estate_name is not null)
    );
    create unique index topics_client_id_idx on topics (raised_by, client_id) where client_id is not null;
    create index topics_path_idx on topics (node_path text_pattern_ops, id desc);
    create index topics_matter_idx on topics (matter_id) where matter_id is not null;
    create unique index topics_message_idx on topics (message_id) where message_id is not null;

    -- One support per resident per topic (附议), whichever account they use.
    create table topic_supports (
      topic_id integer not null references topics(id),
      resident_id integer not null references residents(id),
      user_id integer references users(id),
      at timestamptz not null default now(),
      primary key (topic_id, resident_id)
    );

    -- The topic's trail (议题轨迹): every change, who made it and why.
    create table topic_events (
      id serial primary key,
      topic_id integer not null references topics(id),
      action text not null,
      user_id integer references users(id),
      note text not null default '',
      details jsonb not null default '{}',
      at timestamptz not null default now()
    );
    create index topic_events_topic_idx on topic_events (topic_id, id);

    create table topic_plans (
      id serial primary key,
      topic_id integer not null references topics(id),
      title text not null check (length(title) between 1 and 80),
      body text not null default '' check (length(body) <= 8000),
      cost_yuan bigint check (cost_yuan >= 0),
      status text not null default 'proposed' check (status in ('proposed', 'withdrawn', 'chosen', 'not_chosen')),
      created_by integer references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index topic_plans_topic_idx on topic_plans (topic_id, id);
    alter table topics add constraint topics_decided_plan_fk foreign key (decided_plan_id) references topic_plans(id);

    create table plan_authors (
      plan_id integer not null references topic_plans(id),
      user_id integer not null references users(id),
      primary key (plan_id, user_id)
    );
    create table plan_photos (
      plan_id integer not null references topic_plans(id),
      file_hash text not null references files(hash),
      position integer not null,
      primary key (plan_id, file_hash)
    );
    create table plan_departments (
      plan_id integer not null references topic_plans(id),
      department_id integer not null references departments(id),
      primary key (plan_id, department_id)
    );
    create table plan_amendments (
      id serial primary key,
      plan_id integer not null references topic_plans(id),
      author_id integer not null references users(id),
      body text not null check (length(body) between 1 and 8000),
      cost_yuan bigint check (cost_yuan >= 0),
      old_body text,
      old_cost_yuan bigint,
      state text not null default 'proposed' check (state in ('proposed', 'accepted', 'rejected')),
      decided_by integer references users(id),
      decided_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index plan_amendments_plan_idx on plan_amendments (plan_id, id);

    create table topic_comments (
      id serial primary key,
      topic_id integer not null references topics(id),
      plan_id integer references topic_plans(id),
      parent_id integer references topic_comments(id),
      user_id integer references users(id),
      resident_id integer references residents(id),
      message_id integer references group_messages(id),
      author_name text not null,
      real_name text not null check (real_name in ('resident', 'staff', 'none')),
      body text not null check (length(body) between 1 and 2000),
      hidden_reason text,
      hidden_by integer references users(id),
      created_at timestamptz not null default now()
    );
    create index topic_comments_topic_idx on topic_comments (topic_id, id);
    create unique index topic_comments_message_idx on topic_comments (topic_id, message_id) where message_id is not null;

    -- Crowdfunding goals of a plan (众筹目标): money in yuan, labour in hours, materials in their unit.
    create table plan_goals (
      id serial primary key,
      plan_id integer not null references topic_plans(id),
      kind text not null check (kind in ('money', 'labour', 'materials')),
      label text not null check (length(label) between 1 and 40),
      unit text not null check (length(unit) between 1 and 10),
      target integer not null check (target > 0),
      position integer not null default 0
    );
    create index plan_goals_plan_idx on plan_goals (plan_id);

    create table pledges (
      id serial primary key,
      goal_id integer not null references plan_goals(id),
      resident_id integer references residents(id),
      organisation text check (length(organisation) between 1 and 60),
      recorded_by integer references users(id),
      amount integer not null check (amount > 0),
      state text not null default 'pledged' check (state in ('pledged', 'delivered', 'cancelled')),
      note text not null default '' check (length(note) <= 200),
      confirmed_by integer references users(id),
      confirmed_at timestamptz,
      client_id uuid,
      at timestamptz not null default now(),
      check ((resident_id is null) <> (organisation is null))
    );
    create index pledges_goal_idx on pledges (goal_id, id);
    create unique index pledges_client_id_idx on pledges (recorded_by, client_id) where client_id is not null;

    create table deliberation_meetings (
      id serial primary key,
      node_id integer not null references nodes(id),
      node_path text not null,
      topic_id integer references topics(id),
      station_id integer references grid_stations(id),
      kind text not null check (kind in ('online', 'round_table', 'neighbourhood', 'review')),
      title text not null check (length(title) between 1 and 80),
      place text not null default '' check (length(place) <= 200),
      starts_at timestamptz not null,
      state text not null default 'planned' check (state in ('planned', 'open', 'closed')),
      checkin_code text,
      minutes text not null default '' check (length(minutes) <= 20000),
      created_by integer references users(id),
      opened_at timestamptz,
      closed_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index deliberation_meetings_path_idx on deliberation_meetings (node_path text_pattern_ops, starts_at desc);
    create index deliberation_meetings_topic_idx on deliberation_meetings (topic_id) where topic_id is not null;

    create table meeting_attendees (
      id serial primary key,
      meeting_id integer not null references deliberation_meetings(id),
      resident_id integer references residents(id),
      user_id integer references users(id),
      name text not null,
      via text not null check (via in ('code', 'qr', 'staff')),
      recorded_by integer references users(id),
      at timestamptz not null default now(),
      check (resident_id is not null or user_id is not null)
    );
    create unique index meeting_attendees_resident_idx on meeting_attendees (meeting_id, resident_id) where resident_id is not null;
    create unique index meeting_attendees_user_idx on meeting_attendees (meeting_id, user_id) where resident_id is null;

    -- The pending-items log (三事分流工作日志) that each neighbourhood and review meeting works through.
    create table pending_items (
      id serial primary key,
      node_id integer not null references nodes(id),
      node_path text not null,
      title text not null check (length(title) between 1 and 120),
      kind text not null check (kind in ('family', 'shared', 'public')),
      owner text not null default '' check (length(owner) <= 60),
      department_id integer references departments(id),
      state text not null default 'open' check (state in ('open', 'doing', 'done', 'dropped')),
      topic_id integer references topics(id),
      matter_id integer references matters(id),
      raised_at_meeting integer references deliberation_meetings(id),
      created_by integer references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index pending_items_path_idx on pending_items (node_path text_pattern_ops, state);

    create table meeting_agenda (
      id serial primary key,
      meeting_id integer not null references deliberation_meetings(id),
      position integer not null,
      title text not null check (length(title) between 1 and 120),
      topic_id integer references topics(id),
      item_id integer references pending_items(id),
      outcome text not null default '' check (length(outcome) <= 2000),
      state_after text check (state_after in ('open', 'doing', 'done', 'dropped'))
    );
    create index meeting_agenda_meeting_idx on meeting_agenda (meeting_id, position);
    create index meeting_agenda_item_idx on meeting_agenda (item_id) where item_id is not null;

    -- One vote per resident per topic (一人一票), whatever the channel: the primary key is the rule, not a check in code.
    create table topic_votes (
      topic_id integer not null references topics(id),
      resident_id integer not null references residents(id),
      channel text not null check (channel in ('phone', 'meeting', 'paper')),
      user_id integer references users(id),
      recorded_by integer references users(id),
      meeting_id integer references deliberation_meetings(id),
      approval text check (approval in ('yes', 'no', 'abstain')),
      plan_id integer references topic_plans(id),
      ranking jsonb,
      at timestamptz not null default now(),
      primary key (topic_id, resident_id),
      check (num_nonnulls(approval, plan_id, ranking) = 1)
    );

    create table deliberation_projects (
      id serial primary key,
      topic_id integer not null unique references topics(id),
      plan_id integer references topic_plans(id),
      title text not null check (length(title) between 1 and 80),
      status text not null default 'running' check (status in ('running', 'completed')),
      started_at timestamptz not null default now(),
      completed_at timestamptz
    );
    create table project_departments (
      project_id integer not null references deliberation_projects(id),
      department_id integer not null references departments(id),
      primary key (project_id, department_id)
    );
    create table project_milestones (
      id serial primary key,
      project_id integer not null references deliberation_projects(id),
      position integer not null,
      title text not null check (length(title) between 1 and 80),
      weight integer not null default 1 check (weight between 1 and 100),
      progress integer not null default 0 check (progress between 0 and 100),
      due_on date,
      done_at timestamptz
    );
    create index project_milestones_project_idx on project_milestones (project_id, position);
    create table project_photos (
      project_id integer not null references deliberation_projects(id),
      file_hash text not null references files(hash),
      stage text not null check (stage in ('before', 'progress', 'after')),
      position integer not null,
      primary key (project_id, file_hash)
    );
    create table project_matters (
      project_id integer not null references deliberation_projects(id),
      matter_id integer not null unique references matters(id),
      primary key (project_id, matter_id)
    )
`;
