import type { Insertable, Kysely, Updateable } from 'kysely';
import type { CategoriesTable, DB } from '../../db/schema.ts';

/** The category dictionary by code; retired types only when asked for. */
export function listCategories(db: Kysely<DB>, withRetired = false) {
  const q = db.selectFrom('categories').selectAll().orderBy('code');
  return (withRetired ? q : q.where('status', '=', 'active')).execute();
}

export const categoryExists = async (db: Kysely<DB>, code: string) => !!(await db.selectFrom('categories').select('id').where('code', '=', code).executeTakeFirst());

export const insertCategory = (db: Kysely<DB>, row: Insertable<CategoriesTable>) => db.insertInto('categories').values(row).returningAll().executeTakeFirstOrThrow();

export const updateCategory = (db: Kysely<DB>, code: string, patch: Updateable<CategoriesTable>) =>
  db.updateTable('categories').set(patch).where('code', '=', code).returningAll().executeTakeFirst();
