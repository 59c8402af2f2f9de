/**
 * @module adapters/sql/contains-text
 * Case-insensitive "contains" over text columns, the same on SQLite and PostgreSQL: both lower-case
 * the column and compare with `like … escape '\'`, so the searched text's own `%`, `_` and `\` match
 * themselves instead of acting as wildcards.
 */
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';

/** `lower(column) like '%text%'` for each column, joined with `or`. */
export function containsText<DB, TB extends keyof DB>(
  where: ExpressionBuilder<DB, TB>,
  columns: readonly string[],
  text: string,
): Expression<SqlBool> {
  const pattern = `%${escapeLike(text.toLowerCase())}%`;
  return where.or(
    columns.map((column) =>
      where(sql<string>`lower(${sql.ref(column)})`, 'like', sql<string>`${pattern} escape '\\'`),
    ),
  );
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (character) => `\\${character}`);
}
