/**
 * @module segments/queries
 * Segments over the API: the list, one segment, create, change (with the version it was read at),
 * and archive/restore (the API refuses to archive one still in use and names who uses it).
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

export type Segment = Definition<'segments'>;
export type SegmentBody = DefinitionBody<'segments'>;

const segments = definitionKind('segments', { keepListWhileFiltering: true, refetchAfterFailedChange: true });

export const useSegments = (projectKey: string, filters: DefinitionListFilters) =>
  useDefinitionList(segments, projectKey, filters);
export const useSegment = (projectKey: string, key: string | undefined) =>
  useDefinition(segments, projectKey, key);
export const useSaveSegment = (projectKey: string, existing: ReadVersion | undefined) =>
  useSaveDefinition(segments, projectKey, existing);
export const useArchiveSegment = (projectKey: string) => useArchiveDefinition(segments, projectKey);
