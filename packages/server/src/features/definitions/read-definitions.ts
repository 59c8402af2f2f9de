/**
 * @module features/definitions/read-definitions
 * The definitions feature's read interface for other features that need several kinds at once,
 * inside their own consistent snapshot (SDK delivery builds a payload from all of them).
 */
import type { DefinitionTableName } from '../../adapters/sql/database.js';
import type { SqlExecutor } from '../../adapters/sql/transactor.js';
import type { DefinitionQuery, DefinitionRecord } from './definition-record.js';
import { KyselyDefinitionStore } from './store.js';

export function readDefinitions<T>(
  db: SqlExecutor,
  kind: DefinitionTableName,
  projectId: string,
  query: DefinitionQuery,
): Promise<DefinitionRecord<T>[]> {
  return new KyselyDefinitionStore<T>(db, kind).list(projectId, query);
}
