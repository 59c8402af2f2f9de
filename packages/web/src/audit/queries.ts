/**
 * @module audit/queries
 * One page of the project's audit log, newest first, with the filters the API takes.
 */
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client.js';
import type { paths } from '../api/schema.gen.js';

type AuditPage =
  paths['/api/v1/projects/{projectKey}/audit']['get']['responses'][200]['content']['application/json'];
export type AuditRecord = AuditPage['items'][number];

export interface AuditFilters {
  resourceType?: string;
  actorType?: AuditRecord['actor']['type'];
  actorId?: string;
  /** ISO-8601 UTC, inclusive. */
  since?: string;
  /** ISO-8601 UTC, exclusive. */
  until?: string;
}

export const AUDIT_PAGE_SIZE = 25;

export function useAuditPage(projectKey: string, filters: AuditFilters, cursor: string | undefined) {
  return useQuery({
    queryKey: ['projects', projectKey, 'audit', filters, cursor],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/projects/{projectKey}/audit', {
          params: {
            path: { projectKey },
            query: { limit: AUDIT_PAGE_SIZE, ...filters, ...(cursor && { cursor }) },
          },
        }),
      ),
    placeholderData: (previous) => previous,
  });
}
