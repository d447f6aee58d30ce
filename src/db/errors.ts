/** True for PostgreSQL's unique_violation (SQLSTATE 23505), as both drivers (pg and PGlite) report it. */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = e as { code?: string; constraint?: string } | null;
  return err?.code === '23505' && (constraint === undefined || err.constraint === constraint);
}

/**
 * What bad input can make the database refuse, as an answer to the caller instead of a 500: a value the column
 * cannot hold (SQLSTATE class 22: out of range, invalid text, NUL, untranslatable), a reference to nothing (23503),
 * a missing or rule-breaking value (23502, 23514), a duplicate (23505), a value too large to index (54000).
 * The schemas should refuse these first; one reaching here is logged so its schema gets the bound it lacks.
 * Anything else (a lost connection, a deadlock) stays a server error.
 */
export function inputErrorOf(e: unknown): { code: 'VALIDATION_FAILED' | 'CONFLICT'; message: string; sqlState: string } | null {
  const state = (e as { code?: unknown } | null)?.code;
  if (typeof state !== 'string' || !/^[0-9A-Z]{5}$/.test(state)) return null;
  const answer = (code: 'VALIDATION_FAILED' | 'CONFLICT', message: string) => ({ code, message, sqlState: state });
  if (state.startsWith('22')) return answer('VALIDATION_FAILED', 'A value in the request cannot be stored: it is out of range or not valid for its field.');
  if (state === '23503') return answer('VALIDATION_FAILED', 'The request refers to something that does not exist.');
  if (state === '23502' || state === '23514') return answer('VALIDATION_FAILED', 'A value in the request is missing or breaks a rule of its field.');
  if (state === '23505') return answer('CONFLICT', 'This conflicts with existing data.');
  if (state === '54000') return answer('VALIDATION_FAILED', 'A value in the request is too large.');
  return null;
}

/** True for PostgreSQL's check_violation (SQLSTATE 23514), of the named constraint when given, on both drivers. */
export function isCheckViolation(e: unknown, constraint?: string): boolean {
  const err = e as { code?: string; constraint?: string } | null;
  return err?.code === '23514' && (constraint === undefined || err.constraint === constraint);
}
