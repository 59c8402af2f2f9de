/**
 * @module audit/queries
 * One page of an audit log, newest first, with the filters the API takes: a project's
 * (`/projects/{key}/audit`, its members' reading) or the whole instance's (`/audit`, instance
 * administrators only: every project's records, deleted projects' included, each naming its project).
 */
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client.js';
import type { paths } from '../api/schema.gen.js';

type AuditPage =
  paths['/api/v1/projects/{projectKey}/audit']['get']['responses'][200]['content']['application/json'];
export type AuditRecord = AuditPage['items'][number];

type InstanceAuditPage = paths['/api/v1/audit']['get']['responses'][200]['content']['application/json'];
export type InstanceAuditRecord = InstanceAuditPage['items'][number];

export interface AuditFilters {
  resourceType?: string;
  actorType?: AuditRecord['actor']['type'];
  actorId?: string;
  /** ISO-8601 UTC, inclusive. */
  since?: string;
  /** ISO-8601 UTC, exclusive. */
  until?: string;
}

export interface InstanceAuditFilters extends AuditFilters {
  /** One project's records, a deleted project's included (by id: a deleted project has no key). */
  projectId?: string;
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

/** For instance administrators only: the API refuses everyone else (the page does not ask for them). */
export function useInstanceAuditPage(filters: InstanceAuditFilters, cursor: string | undefined) {
  return useQuery({
    queryKey: ['instance-audit', filters, cursor],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/audit', {
          params: { query: { limit: AUDIT_PAGE_SIZE, ...filters, ...(cursor && { cursor }) } },
        }),
      ),
    placeholderData: (previous) => previous,
  });
}
