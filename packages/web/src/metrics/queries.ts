/**
 * @module metrics/queries
 * Metrics over the API: the list, one metric, create, change (with the version it was read at),
 * archive/restore.
 */
import {
  type Definition,
  type DefinitionBody,
  type DefinitionPatch,
  definitionKind,
  type ReadVersion,
  useArchiveDefinition,
  useSaveDefinition,
} from '../management/definition-queries.js';

export type Metric = Definition<'metrics'>;
export type MetricBody = DefinitionBody<'metrics'>;
export type MetricPatch = DefinitionPatch<'metrics'>;

export const metricQueries = definitionKind('metrics', {
  keepListWhileFiltering: true,
  refetchAfterFailedChange: true,
});

export const useSaveMetric = (projectKey: string, existing: ReadVersion | undefined) =>
  useSaveDefinition(metricQueries, projectKey, existing);
export const useArchiveMetric = (projectKey: string) => useArchiveDefinition(metricQueries, projectKey);
