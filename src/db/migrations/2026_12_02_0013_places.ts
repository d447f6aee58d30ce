import { type Kysely, sql } from 'kysely';

// Frozen once landed: never import application code here; later changes go in new migrations.
// What a map needs to orient a person when no tile server is reachable: roads, rivers, parks and landmarks of a town,
// named, as GeoJSON in WGS-84 (Point, LineString or Polygon), hung on the node (usually the town) they belong to.
// Buildings keep their own table (they carry households); these are only for drawing.

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against no particular schema type
export async function up(db: Kysely<any>): Promise<void> {
  // One statement per query: PGlite's extended protocol accepts no multi-statement strings.
  await sql`
    create table map_features (
      id serial primary key,
      node_id integer not null references nodes (id),
      kind text not null check (kind in ('main_road', 'road', 'river', 'park', 'landmark')),
      name text not null check (length(name) between 1 and 100),
      geometry jsonb not null check (geometry->>'type' in ('Point', 'LineString', 'Polygon')),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index map_features_node_idx on map_features (node_id)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('map_features').execute();
}
