/**
 * @module features/definitions/reference-store
 * The references index: which definitions each definition references by key, readable in both
 * directions through indexed lookups. The definitions store rewrites a definition's rows whenever
 * it writes the definition, in the same transaction; the set check reads them to find what a
 * change can affect without loading the project.
 */
import type { DefinitionKindName, DefinitionReference } from '@cleave/core';
import type { Kysely } from 'kysely';
import type { Database } from '../../adapters/sql/database.js';

export interface ReferenceEdge {
  from: DefinitionReference;
  to: DefinitionReference;
}

export interface DefinitionReferenceStore {
  /** Makes `references` all that `from` references. */
  replace(
    projectId: string,
    from: DefinitionReference,
    references: readonly DefinitionReference[],
  ): Promise<void>;
  /** The edges from definitions of `fromKind` with any of `fromKeys`, optionally only to `toKind`. */
  outgoing(
    projectId: string,
    fromKind: DefinitionKindName,
    fromKeys: readonly string[],
    toKind?: DefinitionKindName,
  ): Promise<ReferenceEdge[]>;
  /** The edges into `to` (one kind, any of `toKeys`), optionally only from `fromKind`. */
  incoming(
    projectId: string,
    toKind: DefinitionKindName,
    toKeys: readonly string[],
    fromKind?: DefinitionKindName,
  ): Promise<ReferenceEdge[]>;
}

/** Keys per `in (…)` list: far below SQLite's parameter limit, and plans stay index lookups. */
const KEYS_PER_QUERY = 500;
/** Rows per INSERT: 5 parameters each. */
const ROWS_PER_INSERT = 1_000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

type Row = Database['definition_references'];

function toEdge(row: Row): ReferenceEdge {
  return {
    from: { kind: row.from_kind as DefinitionKindName, key: row.from_key },
    to: { kind: row.to_kind as DefinitionKindName, key: row.to_key },
  };
}

export class KyselyDefinitionReferenceStore implements DefinitionReferenceStore {
  constructor(private readonly db: Kysely<Database>) {}

  async replace(
    projectId: string,
    from: DefinitionReference,
    references: readonly DefinitionReference[],
  ): Promise<void> {
    await this.db
      .deleteFrom('definition_references')
      .where('project_id', '=', projectId)
      .where('from_kind', '=', from.kind)
      .where('from_key', '=', from.key)
      .execute();
    for (const chunk of chunks(references, ROWS_PER_INSERT)) {
      await this.db
        .insertInto('definition_references')
        .values(
          chunk.map((reference) => ({
            project_id: projectId,
            from_kind: from.kind,
            from_key: from.key,
            to_kind: reference.kind,
            to_key: reference.key,
          })),
        )
        .execute();
    }
  }

  async outgoing(
    projectId: string,
    fromKind: DefinitionKindName,
    fromKeys: readonly string[],
    toKind?: DefinitionKindName,
  ): Promise<ReferenceEdge[]> {
    const edges: ReferenceEdge[] = [];
    for (const keys of chunks(fromKeys, KEYS_PER_QUERY)) {
      const rows = await this.db
        .selectFrom('definition_references')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('from_kind', '=', fromKind)
        .where('from_key', 'in', keys)
        .$if(toKind !== undefined, (query) => query.where('to_kind', '=', toKind as string))
        .execute();
      edges.push(...rows.map(toEdge));
    }
    return edges;
  }

  async incoming(
    projectId: string,
    toKind: DefinitionKindName,
    toKeys: readonly string[],
    fromKind?: DefinitionKindName,
  ): Promise<ReferenceEdge[]> {
    const edges: ReferenceEdge[] = [];
    for (const keys of chunks(toKeys, KEYS_PER_QUERY)) {
      const rows = await this.db
        .selectFrom('definition_references')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('to_kind', '=', toKind)
        .where('to_key', 'in', keys)
        .$if(fromKind !== undefined, (query) => query.where('from_kind', '=', fromKind as string))
        .execute();
      edges.push(...rows.map(toEdge));
    }
    return edges;
  }
}
