/**
 * @module test-support/schema-compatibility
 * Whether code written for one schema still works on the next: the rule that lets a rolling
 * upgrade run the previous release's API nodes against the new schema. Old code keeps working if
 * every table and column it knows is still there with the same type, nothing it could leave NULL
 * became NOT NULL, and every column it doesn't know (so never inserts) is nullable or has a default.
 */
import type { Kysely } from 'kysely';

export interface ColumnShape {
  dataType: string;
  isNullable: boolean;
  hasDefaultValue: boolean;
}

/** Table name → column name → shape. */
export type SchemaShape = Record<string, Record<string, ColumnShape>>;

// biome-ignore lint/suspicious/noExplicitAny: as above.
export async function schemaShape(db: Kysely<any>): Promise<SchemaShape> {
  const shape: SchemaShape = {};
  for (const table of await db.introspection.getTables()) {
    if (table.isView) continue;
    const columns: Record<string, ColumnShape> = {};
    for (const column of table.columns) {
      columns[column.name] = {
        dataType: column.dataType,
        isNullable: column.isNullable,
        // Identity and autoincrement columns are filled by the database, like a default.
        hasDefaultValue: column.hasDefaultValue || column.isAutoIncrementing,
      };
    }
    shape[table.name] = columns;
  }
  return shape;
}

/** What in `after` would break code written for `before`; empty when the change is additive. */
export function incompatibilities(before: SchemaShape, after: SchemaShape): string[] {
  const problems: string[] = [];
  for (const [table, columns] of Object.entries(before)) {
    const next = after[table];
    if (!next) {
      problems.push(`table ${table} was dropped or renamed`);
      continue;
    }
    for (const [name, column] of Object.entries(columns)) {
      const changed = next[name];
      if (!changed) problems.push(`column ${table}.${name} was dropped or renamed`);
      else if (changed.dataType !== column.dataType)
        problems.push(`column ${table}.${name} changed type from ${column.dataType} to ${changed.dataType}`);
      else if (column.isNullable && !changed.isNullable && !changed.hasDefaultValue)
        problems.push(`column ${table}.${name} became NOT NULL without a default`);
    }
    for (const [name, column] of Object.entries(next)) {
      if (!columns[name] && !column.isNullable && !column.hasDefaultValue)
        problems.push(
          `new column ${table}.${name} is NOT NULL without a default: old code cannot insert rows`,
        );
    }
  }
  return problems;
}
