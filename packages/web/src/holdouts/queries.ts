/**
 * @module holdouts/queries
 * Holdouts over the API: list, create, change (with the version it was read at), archive/restore.
 */
import {
  type Definition,
  type DefinitionBody,
  definitionKind,
  type ReadVersion,
  useArchiveDefinition,
  useSaveDefinition,
} from '../management/definition-queries.js';

export type Holdout = Definition<'holdouts'>;
export type HoldoutBody = DefinitionBody<'holdouts'>;

export const holdoutQueries = definitionKind('holdouts', {
  keepListWhileFiltering: false,
  refetchAfterFailedChange: false,
});

export const useSaveHoldout = (projectKey: string, existing: ReadVersion | undefined) =>
  useSaveDefinition(holdoutQueries, projectKey, existing);
export const useArchiveHoldout = (projectKey: string) => useArchiveDefinition(holdoutQueries, projectKey);
