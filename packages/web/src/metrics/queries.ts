/**
 * @module metrics/queries
 * Metrics over the API: the list, one metric, create, change (with the version it was read at),
 * archive/restore.
 */
import {
  type Definition,
  type DefinitionBody,
  type DefinitionListFilters,
  definitionKind,
  type ReadVersion,
  useArchiveDefinition,
  useDefinition,
  useDefinitionList,
  useSaveDefinition,
} from '../management/definition-queries.js';

export type Metric = Definition<'metrics'>;
export type MetricBody = DefinitionBody<'metrics'>;

const metrics = definitionKind('metrics', { keepListWhileFiltering: true, refetchAfterFailedChange: true });

export const useMetricsLibrary = (projectKey: string, filters: DefinitionListFilters) =>
  useDefinitionList(metrics, projectKey, filters);
export const useMetric = (projectKey: string, key: string | undefined) =>
  useDefinition(metrics, projectKey, key);
export const useSaveMetric = (projectKey: string, existing: ReadVersion | undefined) =>
  useSaveDefinition(metrics, projectKey, existing);
export const useArchiveMetric = (projectKey: string) => useArchiveDefinition(metrics, projectKey);
