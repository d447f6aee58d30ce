import { type Kysely, sql } from 'kysely';

// Frozen once landed: never import application code here; later changes go in new migrations.
// The merchant alliance (德商联盟) and what the points ledger needs around it: merchants with their keepers, items at
// point prices with stock kept by a constraint, redemption codes that hold points and stock for five minutes,
// volunteer hours signed off by an approver, the scheme's limits, flags for review, and the nightly proofs.

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against no particular schema type
export async function up(db: Kysely<any>): Promise<void> {
  // One statement per query: PGlite's extended protocol accepts no multi-statement strings.
  for (const statement of schema.split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) {
    await sql.raw(statement).execute(db);
  }
}

const schema = `
    create table merchants (
      id serial primary key,
      community_id integer not null references nodes(id),
      name text not null check (length(name) between 1 and 60),
      address text not null default '' check (length(address) <= 200),
      description text not null default '' check (length(description) <= 500),
      opens text not null default '08:00' check (opens ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
      closes text not null default '21:00' check (closes ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
      daily_points_cap integer not null default 0 check (daily_points_cap >= 0),
      state text not null default 'active' check (state in ('active', 'suspended')),
      state_reason text not null default '' check (length(state_reason) <= 500),
      created_by integer references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index merchants_community_idx on merchants (community_id, id);

    create table merchant_keepers (
      merchant_id integer not null references merchants(id),
      user_id integer not null references users(id),
      created_at timestamptz not null default now(),
      primary key (merchant_id, user_id)
    );
    create index merchant_keepers_user_idx on merchant_keepers (user_id);

    alter table point_accounts add column merchant_id integer unique references merchants(id);
    alter table point_accounts drop constraint point_accounts_resident;
    alter table point_accounts add constraint point_accounts_owner check (((kind = 'resident') = (resident_id is not null)) and ((kind = 'merchant') = (merchant_id is not null)));
    alter table point_transfers drop constraint point_transfers_kind_check;
    alter table point_transfers add constraint point_transfers_kind_check check (kind in ('earn', 'redeem', 'expire', 'reverse', 'adjust', 'settle'));

    create table merchant_items (
      id serial primary key,
      merchant_id integer not null references merchants(id),
      name text not null check (length(name) between 1 and 60),
      description text not null default '' check (length(description) <= 300),
      points integer not null check (points between 1 and 100000),
      stock integer check (stock is null or stock >= 0),
      active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index merchant_items_merchant_idx on merchant_items (merchant_id, id);

    create table redemptions (
      id serial primary key,
      code text not null unique check (code ~ '^[0-9]{8}$'),
      request_key text not null unique check (length(request_key) between 1 and 200),
      resident_id integer not null references residents(id),
      merchant_id integer not null references merchants(id),
      item_id integer not null references merchant_items(id),
      quantity integer not null check (quantity between 1 and 20),
      points integer not null check (points > 0),
      transfer_id integer not null unique references point_transfers(id),
      state text not null default 'pending' check (state in ('pending', 'confirmed', 'declined', 'expired')),
      expires_at timestamptz not null,
      created_at timestamptz not null default now(),
      resolved_at timestamptz,
      resolved_by integer references users(id),
      reason text not null default '' check (length(reason) <= 200)
    );
    create index redemptions_resident_idx on redemptions (resident_id, created_at);
    create index redemptions_merchant_idx on redemptions (merchant_id, created_at);
    create index redemptions_pending_idx on redemptions (expires_at) where state = 'pending';

    create table merchant_code_misses (
      id serial primary key,
      merchant_id integer not null references merchants(id),
      user_id integer references users(id),
      at timestamptz not null default now()
    );
    create index merchant_code_misses_idx on merchant_code_misses (merchant_id, at);

    create table volunteer_hours (
      id serial primary key,
      resident_id integer not null references residents(id),
      activity text not null check (length(activity) between 1 and 200),
      served_on date not null,
      minutes integer not null check (minutes between 15 and 1440),
      state text not null default 'pending' check (state in ('pending', 'approved', 'rejected')),
      recorded_by integer references users(id),
      decided_by integer references users(id),
      decided_at timestamptz,
      reason text not null default '' check (length(reason) <= 500),
      transfer_id integer references point_transfers(id),
      created_at timestamptz not null default now(),
      check (decided_by is null or recorded_by is null or decided_by <> recorded_by)
    );
    create index volunteer_hours_resident_idx on volunteer_hours (resident_id, served_on);
    create index volunteer_hours_pending_idx on volunteer_hours (state, id) where state = 'pending';

    create table point_scheme (
      id integer primary key check (id = 1),
      lot_months integer check (lot_months is null or lot_months between 1 and 120),
      resident_daily_redemptions integer not null default 5 check (resident_daily_redemptions >= 0),
      resident_daily_points integer not null default 500 check (resident_daily_points >= 0),
      repeat_window_days integer not null default 7 check (repeat_window_days between 1 and 90),
      repeat_threshold integer not null default 4 check (repeat_threshold >= 1),
      updated_by integer references users(id),
      updated_at timestamptz not null default now()
    );
    insert into point_scheme (id) values (1);

    create table point_flags (
      id serial primary key,
      kind text not null check (kind in ('repeat_merchant', 'self_dealing', 'resident_limit', 'merchant_limit', 'code_guessing', 'reconciliation')),
      resident_id integer references residents(id),
      merchant_id integer references merchants(id),
      redemption_id integer references redemptions(id),
      dedupe_key text not null unique,
      details jsonb not null default '{}',
      state text not null default 'open' check (state in ('open', 'cleared', 'upheld')),
      reviewed_by integer references users(id),
      reviewed_at timestamptz,
      note text not null default '' check (length(note) <= 500),
      created_at timestamptz not null default now()
    );
    create index point_flags_open_idx on point_flags (state, id);

    create table point_reconciliations (
      id serial primary key,
      ran_at timestamptz not null default now(),
      ok boolean not null,
      accounts integer not null,
      total integer not null,
      entries_total integer not null,
      mismatched jsonb not null default '[]'
    )
`;
