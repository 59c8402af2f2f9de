/**
 * The references index: one row per definition and each definition it references by key (a flag
 * its prerequisite flags, rule segments and experiments; a segment its segments; an experiment or
 * a holdout its layer). Written in the transaction of every definition write, it lets a change be
 * checked against the definitions it can affect, found through indexed lookups in both directions,
 * instead of loading and validating the whole project inside the write.
 *
 * Kinds are the definition tables' names. Keys never change, so rows need no update on rename.
 *
 * Existing definitions are indexed here. The extraction below is this migration's own copy, frozen
 * with it: the application's (`definitionReferences` in `@cleave/core`) may grow, this must not.
 * Frozen once merged.
 */
import type { Kysely } from 'kysely';
import type { SqlDialect } from '../sql-database.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's Database type.
type AnyDatabase = Kysely<any>;

type Json = Record<string, unknown>;

interface ReferenceRow {
  project_id: string;
  from_kind: string;
  from_key: string;
  to_kind: string;
  to_key: string;
}

/** Rows per INSERT: 5 parameters each, well under SQLite's 32,766. */
const ROWS_PER_INSERT = 1_000;
/** Definitions read per query while indexing, so memory stays bounded on large projects. */
const DEFINITIONS_PER_READ = 2_000;

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Segment keys in a condition list, however deeply nested in all / any / not. */
function segmentsIn(conditions: unknown, found: Set<string>): void {
  for (const condition of asArray(conditions)) segmentsOfCondition(condition, found);
}

function segmentsOfCondition(condition: unknown, found: Set<string>): void {
  const object = asObject(condition);
  if (!object) return;
  if (typeof object.segment === 'string') found.add(object.segment);
  segmentsIn(object.all, found);
  segmentsIn(object.any, found);
  if (object.not !== undefined) segmentsOfCondition(object.not, found);
}

function referencesOf(table: string, definition: Json): [kind: string, key: string][] {
  const references: [string, string][] = [];
  if (table === 'flags') {
    const flags = new Set<string>();
    const segments = new Set<string>();
    const experiments = new Set<string>();
    for (const environment of Object.values(asObject(definition.environments) ?? {})) {
      const state = asObject(environment) ?? {};
      for (const prerequisite of asArray(state.prerequisites)) {
        const flagKey = asObject(prerequisite)?.flagKey;
        if (typeof flagKey === 'string') flags.add(flagKey);
      }
      for (const rule of asArray(state.rules)) {
        const object = asObject(rule) ?? {};
        segmentsIn(object.conditions, segments);
        if (object.type === 'experiment' && typeof object.experimentKey === 'string')
          experiments.add(object.experimentKey);
      }
    }
    for (const key of flags) references.push(['flags', key]);
    for (const key of segments) references.push(['segments', key]);
    for (const key of experiments) references.push(['experiments', key]);
  } else if (table === 'segments') {
    const segments = new Set<string>();
    segmentsIn(definition.conditions, segments);
    for (const key of segments) references.push(['segments', key]);
  } else if (table === 'experiments') {
    const layerKey = asObject(definition.layer)?.key;
    if (typeof layerKey === 'string') references.push(['layers', layerKey]);
  } else if (table === 'holdouts') {
    if (typeof definition.layerKey === 'string') references.push(['layers', definition.layerKey]);
  }
  return references;
}

async function indexExisting(db: AnyDatabase): Promise<void> {
  for (const table of ['flags', 'segments', 'experiments', 'holdouts']) {
    let after = '';
    for (;;) {
      const rows = (await db
        .selectFrom(table)
        .select(['id', 'project_id', 'key', 'definition'])
        .where('id', '>', after)
        .orderBy('id')
        .limit(DEFINITIONS_PER_READ)
        .execute()) as { id: string; project_id: string; key: string; definition: unknown }[];
      if (rows.length === 0) break;
      after = rows[rows.length - 1]?.id ?? after;
      const references: ReferenceRow[] = [];
      for (const row of rows) {
        // SQLite keeps text; PostgreSQL's driver may hand jsonb back parsed.
        const definition = asObject(
          typeof row.definition === 'string' ? JSON.parse(row.definition) : row.definition,
        );
        if (!definition) continue;
        for (const [kind, key] of referencesOf(table, definition)) {
          references.push({
            project_id: row.project_id,
            from_kind: table,
            from_key: row.key,
            to_kind: kind,
            to_key: key,
          });
        }
      }
      for (let start = 0; start < references.length; start += ROWS_PER_INSERT) {
        await db
          .insertInto('definition_references')
          .values(references.slice(start, start + ROWS_PER_INSERT))
          .execute();
      }
    }
  }
}

export function definitionReferences(_dialect: SqlDialect) {
  return {
    async up(db: AnyDatabase): Promise<void> {
      await db.schema
        .createTable('definition_references')
        .addColumn('project_id', 'text', (column) =>
          column.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('from_kind', 'text', (column) => column.notNull())
        .addColumn('from_key', 'text', (column) => column.notNull())
        .addColumn('to_kind', 'text', (column) => column.notNull())
        .addColumn('to_key', 'text', (column) => column.notNull())
        // Outgoing: what one definition references (replaced on every write of it).
        .addPrimaryKeyConstraint('definition_references_pk', [
          'project_id',
          'from_kind',
          'from_key',
          'to_kind',
          'to_key',
        ])
        .execute();
      // Incoming: what references one definition.
      await db.schema
        .createIndex('definition_references_to_idx')
        .on('definition_references')
        .columns(['project_id', 'to_kind', 'to_key'])
        .execute();
      await indexExisting(db);
    },
    async down(db: AnyDatabase): Promise<void> {
      await db.schema.dropTable('definition_references').execute();
    },
  };
}
