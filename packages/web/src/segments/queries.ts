/**
 * @module segments/queries
 * Segments over the API: the list, one segment, create, change (with the version it was read at),
 * and archive/restore (the API refuses to archive one still in use and names who uses it).
 */
import {
  type Definition,
  type DefinitionBody,
  definitionKind,
  type ReadVersion,
  useArchiveDefinition,
  useSaveDefinition,
} from '../management/definition-queries.js';

export type Segment = Definition<'segments'>;
export type SegmentBody = DefinitionBody<'segments'>;

export const segmentQueries = definitionKind('segments', {
  keepListWhileFiltering: true,
  refetchAfterFailedChange: true,
});

export const useSaveSegment = (projectKey: string, existing: ReadVersion | undefined) =>
  useSaveDefinition(segmentQueries, projectKey, existing);
export const useArchiveSegment = (projectKey: string) => useArchiveDefinition(segmentQueries, projectKey);
