import { type Insertable, type Kysely, sql } from 'kysely';
import type { DB, IntakeSourcesTable, SensingPhrasesTable } from '../../db/schema.ts';

/** Intake sources, the sensing phrases and the alerts of urgent messages: plain queries for the online grid. */

export const listSources = (db: Kysely<DB>) => db.selectFrom('intake_sources').selectAll().orderBy('id').execute();
export const insertSource = (db: Kysely<DB>, row: Insertable<IntakeSourcesTable>) => db.insertInto('intake_sources').values(row).returningAll().executeTakeFirstOrThrow();
export const getActiveSource = (db: Kysely<DB>, id: number) =>
  db.selectFrom('intake_sources').selectAll().where('id', '=', id).where('status', '=', 'active').executeTakeFirst();

export const listPhrases = (db: Kysely<DB>) => db.selectFrom('sensing_phrases').selectAll().orderBy('id').execute();
export const insertPhrase = (db: Kysely<DB>, row: Insertable<SensingPhrasesTable>) => db.insertInto('sensing_phrases').values(row).returningAll().executeTakeFirstOrThrow();
export const deletePhrase = (db: Kysely<DB>, id: number) => db.deleteFrom('sensing_phrases').where('id', '=', id).returningAll().executeTakeFirst();
/** The same phrase of the same kind, category and urgent kind (null matching null). */
export const findPhrase = (db: Kysely<DB>, p: Pick<SensingPhrasesTable, 'kind' | 'phrase' | 'category_code' | 'urgent_kind'>) =>
  db.selectFrom('sensing_phrases').select('id').where('kind', '=', p.kind).where('phrase', '=', p.phrase)
    .where('category_code', p.category_code === null ? 'is' : '=', p.category_code)
    .where('urgent_kind', p.urgent_kind === null ? 'is' : '=', p.urgent_kind).executeTakeFirst();
/** The phrases the sensor merges into its default dictionary, in the order they were added. */
export const sensorPhrases = (db: Kysely<DB>) =>
  db.selectFrom('sensing_phrases').select(['kind', 'category_code', 'urgent_kind', 'phrase', 'weight']).orderBy('id').execute();

/** Who hears of an urgent message in each grid: the grid's workers and the centre operators above it. */
export async function urgentRecipients(db: Kysely<DB>, gridIds: number[]): Promise<{ user_id: number; grid_id: number }[]> {
  const { rows } = await sql<{ user_id: number; grid_id: number }>`
    select distinct ra.user_id, g.id as grid_id
    from nodes g
    join role_assignments ra on ra.ended_at is null
    join nodes rn on rn.id = ra.node_id
    where g.id in (${sql.join(gridIds)})
      and ((ra.role = 'grid_worker' and ra.node_id = g.id) or (ra.role = 'centre_operator' and g.path like rn.path || '%'))`.execute(db);
  return rows;
}

