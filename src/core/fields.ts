import { z } from 'zod';

/**
 * The request fields every area shares, bounded where the database is: ids are PostgreSQL `integer` (int4)
 * columns, so an id past 2³¹−1 is refused by the schema with 400 instead of failing in the database with 500.
 * Strings need nothing here: `src/http/input.ts` refuses NUL characters and lone UTF-16 surrogates in every
 * request's body, query and path before any schema runs.
 */
export const INT4_MAX = 2_147_483_647;

const tooLarge = { message: `must be at most ${INT4_MAX}` };

/** A row id in a JSON body. */
export const idField = z.number().int().positive().max(INT4_MAX, tooLarge);

/** A row id in a path or a query string ("17"). */
export const idParam = z.coerce.number().int().positive().max(INT4_MAX, tooLarge);
