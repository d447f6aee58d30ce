import { type Kysely, sql } from 'kysely';

// Frozen once landed: never import application code here; later changes go in new migrations.
// Household visits (走访): a grid's staff call on households and note what they found, with photos. The client_id
// lets a phone re-send a visit drafted offline without logging it twice.

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against no particular schema type
export async function up(db: Kysely<any>): Promise<void> {
  // One statement per query: PGlite's extended protocol accepts no multi-statement strings.
  for (const statement of schema.split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) {
    await sql.raw(statement).execute(db);
  }
}

const schema = `
    create table visits (
      id serial primary key,
      grid_id integer not null references nodes(id),
      user_id integer not null references users(id),
      at timestamptz not null,
      note text not null default '',
      client_id uuid,
      created_at timestamptz not null default now()
    );
    create unique index visits_client_id_idx on visits (client_id) where client_id is not null;
    create index visits_grid_at_idx on visits (grid_id, at desc);

    create table visit_households (
      visit_id integer not null references visits(id) on delete cascade,
      household_id integer not null references households(id),
      primary key (visit_id, household_id)
    );
    create index visit_households_household_idx on visit_households (household_id);

    create table visit_photos (
      visit_id integer not null references visits(id) on delete cascade,
      file_hash text not null references files(hash),
      position integer not null,
      primary key (visit_id, file_hash)
    );
`;
