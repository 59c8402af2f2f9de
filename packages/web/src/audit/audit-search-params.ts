/**
 * @module audit/audit-search-params
 * The audit pages' filters in the address bar (`?resourceType=&actor=&from=&to=`, and `projectId`
 * on the instance's page), so that a trail can be bookmarked or shared and Back undoes a filter
 * change. An address is typed or pasted by people: a value the filters could not show (an unknown
 * kind of object, a malformed day) is dropped rather than sent to the API, so what is on screen is
 * always what was asked for.
 */
import {
  AUDIT_RESOURCE_TYPES,
  type AuditFilterInputs,
  type InstanceAuditFilterInputs,
} from './audit-filters.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** The API's own limit on ids in filters. */
const MAX_ID_LENGTH = 100;

function resourceType(value: string | null): string | null {
  return value !== null && AUDIT_RESOURCE_TYPES.includes(value) ? value : null;
}

function actor(value: string | null): string | null {
  if (value === 'api_key' || value === 'system') return value;
  const userId = value?.startsWith('user:') ? value.slice('user:'.length) : '';
  return userId && userId.length <= MAX_ID_LENGTH ? `user:${userId}` : null;
}

function day(value: string | null): string {
  return value !== null && DAY.test(value) ? value : '';
}

export function readAuditFilterInputs(params: URLSearchParams): AuditFilterInputs {
  return {
    resourceType: resourceType(params.get('resourceType')),
    actor: actor(params.get('actor')),
    from: day(params.get('from')),
    to: day(params.get('to')),
  };
}

export function readInstanceAuditFilterInputs(params: URLSearchParams): InstanceAuditFilterInputs {
  const projectId = params.get('projectId');
  return {
    ...readAuditFilterInputs(params),
    projectId: projectId && projectId.length <= MAX_ID_LENGTH ? projectId : null,
  };
}

/** `params` with these filters: each named after its input, left out when empty; other params kept. */
export function withAuditFilterInputs(
  params: URLSearchParams,
  inputs: AuditFilterInputs | InstanceAuditFilterInputs,
): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [name, value] of Object.entries(inputs)) {
    if (value === null || value === '') next.delete(name);
    else next.set(name, value);
  }
  return next;
}
