import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

type DayKind = 'holiday' | 'workday';

/** Every holiday and adjusted-workday override: what deadlines are counted over. */
export const allOverrides = (db: Kysely<DB>) => db.selectFrom('calendar_days').select(['day', 'kind']).execute();

export const daysBetween = (db: Kysely<DB>, from: string, to: string) =>
  db.selectFrom('calendar_days').select(['day', 'kind', 'name']).where('day', '>=', from).where('day', '<=', to).orderBy('day').execute();

export const upsertDay = (db: Kysely<DB>, row: { day: string; kind: DayKind; name: string }) =>
  db.insertInto('calendar_days').values(row).onConflict((oc) => oc.column('day').doUpdateSet({ kind: row.kind, name: row.name }))
    .returning(['day', 'kind', 'name']).executeTakeFirstOrThrow();

export const deleteDay = (db: Kysely<DB>, day: string) => db.deleteFrom('calendar_days').where('day', '=', day).execute();
