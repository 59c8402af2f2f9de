/**
 * @module features/definitions/read-definitions
 * The definitions feature's read interface for other features that need several kinds at once,
 * inside their own consistent snapshot (SDK delivery builds a payload from all of them).
 */
import type { DefinitionKindName, DefinitionReference } from '@cleave/core';
import type { DefinitionTableName } from '../../adapters/sql/database.js';
import type { SqlExecutor } from '../../adapters/sql/transactor.js';
import type { DefinitionQuery, DefinitionRecord } from './definition-record.js';
import { KyselyDefinitionReferenceStore } from './reference-store.js';
import { KyselyDefinitionStore } from './store.js';

export function readDefinitions<T>(
  db: SqlExecutor,
  kind: DefinitionTableName,
  projectId: string,
  query: DefinitionQuery,
): Promise<DefinitionRecord<T>[]> {
  return new KyselyDefinitionStore<T>(db, kind).list(projectId, query);
}

/**
 * Keys of the definitions of `fromKind` that reference `to`, through the references index: which
 * flags run an experiment, say, without reading every flag of the project.
 */
export async function keysReferencing(
  db: SqlExecutor,
  projectId: string,
  to: DefinitionReference,
  fromKind: DefinitionKindName,
): Promise<string[]> {
  const edges = await new KyselyDefinitionReferenceStore(db).incoming(projectId, to.kind, [to.key], fromKind);
  return edges.map((edge) => edge.from.key);
}
