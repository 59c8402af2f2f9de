/**
 * @module adapters/sql/data-exception
 * Telling a value PostgreSQL refuses (it will refuse it again) from an outage (worth retrying).
 */

/** SQLSTATE class 22, "data exception": a value the database cannot store (bad text, out of range). */
export function isPostgresDataException(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}
