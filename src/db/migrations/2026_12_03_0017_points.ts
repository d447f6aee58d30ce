import { type Kysely, sql } from 'kysely';

// Frozen once landed: never import application code here; later changes go in new migrations.
// The points ledger (德分宝): accounts with their balance and held points, kept by constraints (never negative but
// for issuance, holds covered by the balance); immutable transfers with an idempotency key each, posted at once or
// pending as a hold; double entries whose sum is zero; the earning rules as data.

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against no particular schema type
export async function up(db: Kysely<any>): Promise<void> {
  // One statement per query: PGlite's extended protocol accepts no multi-statement strings.
  for (const statement of schema.split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) {
    await sql.raw(statement).execute(db);
  }
}

const schema = `
    create table point_accounts (
      id serial primary key,
      kind text not null check (kind in ('resident', 'merchant', 'issuance', 'expiry', 'settlement')),
      resident_id integer unique references residents(id),
      balance integer not null default 0,
      held integer not null default 0,
      created_at timestamptz not null default now(),
      constraint point_accounts_nonnegative check (kind = 'issuance' or balance >= 0),
      constraint point_accounts_held_covered check (held >= 0 and (kind = 'issuance' or held <= balance)),
      constraint point_accounts_resident check ((kind = 'resident') = (resident_id is not null))
    );
    create unique index point_accounts_system_idx on point_accounts (kind) where kind in ('issuance', 'expiry', 'settlement');
    insert into point_accounts (kind) values ('issuance'), ('expiry'), ('settlement');

    create table point_transfers (
      id serial primary key,
      key text not null unique check (length(key) between 1 and 200),
      body_hash text not null,
      kind text not null check (kind in ('earn', 'redeem', 'expire', 'reverse', 'adjust')),
      state text not null check (state in ('posted', 'pending', 'voided', 'expired')),
      debit_id integer not null references point_accounts(id),
      credit_id integer not null references point_accounts(id),
      amount integer not null check (amount > 0),
      rule text,
      reverses_id integer unique references point_transfers(id),
      expires_at timestamptz,
      note text not null default '' check (length(note) <= 500),
      created_by integer references users(id),
      created_at timestamptz not null default now(),
      resolved_at timestamptz,
      check (debit_id <> credit_id),
      check (state <> 'pending' or expires_at is not null)
    );
    create index point_transfers_debit_idx on point_transfers (debit_id, id);
    create index point_transfers_credit_idx on point_transfers (credit_id, id);
    create index point_transfers_pending_idx on point_transfers (expires_at) where state = 'pending';
    create index point_transfers_rule_idx on point_transfers (credit_id, rule, created_at) where rule is not null;

    create table point_entries (
      id serial primary key,
      transfer_id integer not null references point_transfers(id),
      account_id integer not null references point_accounts(id),
      delta integer not null check (delta <> 0),
      at timestamptz not null default now()
    );
    create index point_entries_account_idx on point_entries (account_id, id);

    create table point_rules (
      rule text primary key check (rule in ('daily_checkin', 'accepted_report', 'handled_in_group', 'deliberation_vote', 'deliberation_pledge', 'meeting_attendance', 'volunteer_hours')),
      points integer not null check (points between 0 and 10000),
      daily_cap integer not null default 0 check (daily_cap >= 0),
      monthly_cap integer not null default 0 check (monthly_cap >= 0),
      active boolean not null default true,
      updated_by integer references users(id),
      updated_at timestamptz not null default now()
    );
    insert into point_rules (rule, points, daily_cap, monthly_cap) values
      ('daily_checkin', 2, 2, 60), ('accepted_report', 10, 30, 200), ('handled_in_group', 5, 20, 100),
      ('deliberation_vote', 5, 20, 100), ('deliberation_pledge', 10, 30, 200), ('meeting_attendance', 10, 20, 100), ('volunteer_hours', 10, 80, 800)
`;
