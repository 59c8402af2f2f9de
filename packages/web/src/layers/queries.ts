/**
 * @module layers/queries
 * Layers over the API: list, create, change (with the version it was read at), archive/restore.
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

export type Layer = Definition<'layers'>;
export type LayerBody = DefinitionBody<'layers'>;

export const layerQueries = definitionKind('layers', {
  keepListWhileFiltering: false,
  refetchAfterFailedChange: false,
});

export const useLayers = (projectKey: string, status: ListStatus) =>
  useDefinitionList(layerQueries, projectKey, { status });
export const useSaveLayer = (projectKey: string, existing: ReadVersion | undefined) =>
  useSaveDefinition(layerQueries, projectKey, existing);
export const useArchiveLayer = (projectKey: string) => useArchiveDefinition(layerQueries, projectKey);
