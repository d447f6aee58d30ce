/** True for PostgreSQL's unique_violation (SQLSTATE 23505), as both drivers (pg and PGlite) report it. */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = e as { code?: string; constraint?: string } | null;
  return err?.code === '23505' && (constraint === undefined || err.constraint === constraint);
}
