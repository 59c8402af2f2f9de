/**
 * @module adapters/sql/unique-violation
 * Recognises a unique-constraint violation from either driver, so stores can turn a race between
 * two creators into a clean 409 instead of a 500.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  const code = (error as { code: unknown }).code;
  // 23505: PostgreSQL unique_violation. SQLite reports UNIQUE and PRIMARY KEY violations separately.
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
