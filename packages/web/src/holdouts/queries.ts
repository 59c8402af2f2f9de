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
  useDefinitionList,
  useSaveDefinition,
} from '../management/definition-queries.js';
import type { ListStatus } from '../management/status-filter.js';

export type Holdout = Definition<'holdouts'>;
export type HoldoutBody = DefinitionBody<'holdouts'>;

const holdouts = definitionKind('holdouts', {
  keepListWhileFiltering: false,
  refetchAfterFailedChange: false,
});

export const useHoldouts = (projectKey: string, status: ListStatus) =>
  useDefinitionList(holdouts, projectKey, { status });
export const useSaveHoldout = (projectKey: string, existing: ReadVersion | undefined) =>
  useSaveDefinition(holdouts, projectKey, existing);
export const useArchiveHoldout = (projectKey: string) => useArchiveDefinition(holdouts, projectKey);
