import type { ProjectRole } from '@cleave/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';
import type { RouteAccess } from './route-access.js';

/**
 * Every route and who may call it. This table is the reviewed specification: a route added
 * without an entry here fails the first test, and each entry is then enforced against every kind
 * of caller in the second.
 */
const EXPECTED_ACCESS: Record<string, string> = {
  'GET /openapi.json': 'public',
  'GET /healthz': 'public',
  'GET /metrics': 'public',
  'GET /readyz': 'public',
  'GET /api/v1/auth/status': 'public',
  'POST /api/v1/auth/signup': 'public',
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/auth/logout': 'public',
  'GET /api/v1/auth/session': 'user',
  'GET /api/v1/users': 'instance_admin',
  'POST /api/v1/users': 'instance_admin',
  'PATCH /api/v1/users/:userId': 'instance_admin',
  'POST /api/v1/projects': 'instance_admin',
  'GET /api/v1/projects': 'user',
  'GET /api/v1/projects/:projectKey': 'project:read',
  'PATCH /api/v1/projects/:projectKey': 'project:own',
  'DELETE /api/v1/projects/:projectKey': 'project:own',
  'GET /api/v1/projects/:projectKey/environments': 'project:read',
  'POST /api/v1/projects/:projectKey/environments': 'project:manage',
  'POST /api/v1/projects/:projectKey/api-keys': 'project:manage',
  'GET /api/v1/projects/:projectKey/api-keys': 'project:manage',
  'DELETE /api/v1/projects/:projectKey/api-keys/:keyId': 'project:manage',
  'GET /api/v1/projects/:projectKey/members': 'project:read',
  'PUT /api/v1/projects/:projectKey/members': 'project:manage',
  'DELETE /api/v1/projects/:projectKey/members/:userId': 'project:manage',
  'GET /api/v1/projects/:projectKey/audit': 'project:read',
  'GET /api/v1/audit': 'instance_admin',
  'GET /api/v1/projects/:projectKey/flags': 'project:read',
  'POST /api/v1/projects/:projectKey/flags': 'project:write',
  'GET /api/v1/projects/:projectKey/flags/:key': 'project:read',
  'PATCH /api/v1/projects/:projectKey/flags/:key': 'project:write',
  'POST /api/v1/projects/:projectKey/flags/:key/archive': 'project:write',
  'POST /api/v1/projects/:projectKey/flags/:key/restore': 'project:write',
  'PUT /api/v1/projects/:projectKey/flags/:key/environments/:environmentKey': 'project:write',
  'POST /api/v1/projects/:projectKey/flags/:key/environments/:environmentKey/toggle': 'project:write',
  'POST /api/v1/projects/:projectKey/flags/:key/environments/:environmentKey/copy': 'project:write',
  'GET /api/v1/projects/:projectKey/environments/:environmentKey/stale-flags': 'project:read',
  'POST /api/v1/projects/:projectKey/flags/:key/environments/:environmentKey/evaluate': 'project:read',
  'POST /api/v1/projects/:projectKey/flags/:key/environments/:environmentKey/rules': 'project:write',
  'POST /api/v1/projects/:projectKey/flags/:key/environments/:environmentKey/rules/reorder': 'project:write',
  'DELETE /api/v1/projects/:projectKey/flags/:key/environments/:environmentKey/rules/:ruleId':
    'project:write',
  'GET /api/v1/projects/:projectKey/experiments': 'project:read',
  'POST /api/v1/projects/:projectKey/experiments': 'project:write',
  'GET /api/v1/projects/:projectKey/experiments/:key': 'project:read',
  'PATCH /api/v1/projects/:projectKey/experiments/:key': 'project:write',
  'POST /api/v1/projects/:projectKey/experiments/:key/archive': 'project:write',
  'POST /api/v1/projects/:projectKey/experiments/:key/restore': 'project:write',
  'POST /api/v1/projects/:projectKey/experiments/:key/start': 'project:write',
  'POST /api/v1/projects/:projectKey/experiments/:key/stop': 'project:write',
  'POST /api/v1/projects/:projectKey/experiments/:key/analysis': 'project:write',
  'GET /api/v1/projects/:projectKey/experiments/:key/results': 'project:read',
  'GET /api/v1/projects/:projectKey/jobs/:jobId': 'project:read',
  'POST /api/v1/stats/analyze': 'person_or_secret_key',
  'POST /api/v1/stats/srm': 'person_or_secret_key',
  'POST /api/v1/stats/adjust': 'person_or_secret_key',
  'POST /api/v1/stats/sample-size': 'person_or_secret_key',
  'GET /api/v1/projects/:projectKey/segments': 'project:read',
  'POST /api/v1/projects/:projectKey/segments': 'project:write',
  'GET /api/v1/projects/:projectKey/segments/:key': 'project:read',
  'GET /api/v1/projects/:projectKey/traffic': 'project:read',
  'PATCH /api/v1/projects/:projectKey/segments/:key': 'project:write',
  'POST /api/v1/projects/:projectKey/segments/:key/archive': 'project:write',
  'POST /api/v1/projects/:projectKey/segments/:key/restore': 'project:write',
  'GET /api/v1/projects/:projectKey/layers': 'project:read',
  'POST /api/v1/projects/:projectKey/layers': 'project:write',
  'GET /api/v1/projects/:projectKey/layers/:key': 'project:read',
  'PATCH /api/v1/projects/:projectKey/layers/:key': 'project:write',
  'POST /api/v1/projects/:projectKey/layers/:key/archive': 'project:write',
  'POST /api/v1/projects/:projectKey/layers/:key/restore': 'project:write',
  'GET /api/v1/projects/:projectKey/holdouts': 'project:read',
  'POST /api/v1/projects/:projectKey/holdouts': 'project:write',
  'GET /api/v1/projects/:projectKey/holdouts/:key': 'project:read',
  'PATCH /api/v1/projects/:projectKey/holdouts/:key': 'project:write',
  'POST /api/v1/projects/:projectKey/holdouts/:key/archive': 'project:write',
  'POST /api/v1/projects/:projectKey/holdouts/:key/restore': 'project:write',
  'GET /api/v1/projects/:projectKey/metrics': 'project:read',
  'POST /api/v1/projects/:projectKey/metrics': 'project:write',
  'GET /api/v1/projects/:projectKey/metrics/:key': 'project:read',
  'GET /api/v1/projects/:projectKey/metrics/:key/baseline': 'project:read',
  'GET /api/v1/projects/:projectKey/results/summary': 'project:read',
  'PATCH /api/v1/projects/:projectKey/metrics/:key': 'project:write',
  'POST /api/v1/projects/:projectKey/metrics/:key/archive': 'project:write',
  'POST /api/v1/projects/:projectKey/metrics/:key/restore': 'project:write',
  'POST /api/v1/projects/:projectKey/webhooks': 'project:manage',
  'GET /api/v1/projects/:projectKey/webhooks': 'project:manage',
  'GET /api/v1/projects/:projectKey/webhooks/:webhookId': 'project:manage',
  'PATCH /api/v1/projects/:projectKey/webhooks/:webhookId': 'project:manage',
  'DELETE /api/v1/projects/:projectKey/webhooks/:webhookId': 'project:manage',
  'POST /api/v1/projects/:projectKey/webhooks/:webhookId/rotate-secret': 'project:manage',
  'POST /api/v1/projects/:projectKey/webhooks/:webhookId/test': 'project:manage',
  'GET /api/v1/projects/:projectKey/webhooks/:webhookId/deliveries': 'project:manage',
  'POST /api/v1/projects/:projectKey/webhooks/:webhookId/deliveries/:deliveryId/redeliver': 'project:manage',
  'POST /api/v1/events': 'environment_key:sdk,server',
  'GET /api/v1/sdk/config': 'environment_key:sdk,server',
  'GET /api/v1/sdk/stream': 'environment_key:sdk,server',
  'POST /api/v1/evaluate': 'environment_key:sdk,server',
  'POST /ofrep/v1/evaluate/flags/:key': 'environment_key:sdk,server',
  'POST /ofrep/v1/evaluate/flags': 'environment_key:sdk,server',
  'GET /ofrep/v1/events': 'environment_key:sdk,server',
  'GET /api/v1/projects/:projectKey/changes/stream': 'project:read',
  'GET /api/v1/demo': 'user',
  'DELETE /api/v1/demo': 'instance_admin',
  'GET /api/v1/ui-config': 'public',
};

function accessCode(access: RouteAccess): string {
  switch (access.scope) {
    case 'project':
      return `project:${access.permission}`;
    case 'environment_key':
      return `environment_key:${[...access.kinds].sort().join(',')}`;
    default:
      return access.scope;
  }
}

type CallerName =
  | 'anonymous'
  | 'instance admin'
  | 'owner'
  | 'admin'
  | 'editor'
  | 'viewer'
  | 'non-member'
  | 'admin key'
  | 'other project admin key'
  | 'server key'
  | 'sdk key';

const ROLE_OF: Partial<Record<CallerName, ProjectRole>> = {
  'instance admin': 'owner',
  owner: 'owner',
  admin: 'admin',
  editor: 'editor',
  viewer: 'viewer',
  'admin key': 'admin',
};

/** Written out here, independent of permissions.ts, so a change there has to be mirrored on purpose. */
const GRANTS: Record<ProjectRole, readonly string[]> = {
  viewer: ['read'],
  editor: ['read', 'write'],
  admin: ['read', 'write', 'manage'],
  owner: ['read', 'write', 'manage', 'own'],
};

const PEOPLE: CallerName[] = ['instance admin', 'owner', 'admin', 'editor', 'viewer', 'non-member'];

/** Whether `caller` may use a route with this access code (the policy, written independently). */
function allowed(code: string, caller: CallerName): boolean {
  if (code === 'public') return true;
  if (caller === 'anonymous') return false;
  if (code === 'user') return PEOPLE.includes(caller);
  if (code === 'instance_admin') return caller === 'instance admin';
  if (code === 'person_or_secret_key') return caller !== 'sdk key';
  if (code.startsWith('project:')) {
    const role = ROLE_OF[caller];
    return role !== undefined && GRANTS[role].includes(code.slice('project:'.length));
  }
  if (code.startsWith('environment_key:')) {
    const kinds = code.slice('environment_key:'.length).split(',');
    return (
      (caller === 'sdk key' && kinds.includes('sdk')) || (caller === 'server key' && kinds.includes('server'))
    );
  }
  throw new Error(`unknown access code ${code}`);
}

function fillPath(url: string): string {
  return url
    .replace(':projectKey', 'shop')
    .replace(':environmentKey', 'production')
    .replace(/:[A-Za-z]+/g, 'missing-thing');
}

describe('authorization matrix', () => {
  let test: TestApp;
  const callers = new Map<CallerName, Credentials>();

  beforeAll(async () => {
    test = await createTestApp('sqlite');
    const root = await test.signUpOwner('root@example.com');
    callers.set('instance admin', root);
    for (const key of ['shop', 'other']) {
      await test.request({ method: 'POST', url: '/api/v1/projects', payload: { key, name: key } }, root);
    }
    for (const role of ['owner', 'admin', 'editor', 'viewer'] as const) {
      const person = await test.createPerson(root, `${role}@example.com`);
      await test.request(
        {
          method: 'PUT',
          url: '/api/v1/projects/shop/members',
          payload: { email: `${role}@example.com`, role },
        },
        root,
      );
      callers.set(role, person);
    }
    callers.set('non-member', await test.createPerson(root, 'stranger@example.com'));
    const key = async (project: string, kind: string, environment?: string) =>
      (
        await test.request(
          {
            method: 'POST',
            url: `/api/v1/projects/${project}/api-keys`,
            payload: { name: kind, kind, ...(environment && { environment }) },
          },
          root,
        )
      ).json().secret as string;
    callers.set('admin key', test.bearer(await key('shop', 'admin')));
    callers.set('other project admin key', test.bearer(await key('other', 'admin')));
    callers.set('server key', test.bearer(await key('shop', 'server', 'production')));
    callers.set('sdk key', test.bearer(await key('shop', 'sdk', 'production')));
  });
  afterAll(async () => {
    await test?.close();
  });

  it('has an entry for every route, and every entry matches what the route declares', () => {
    const declared = Object.fromEntries(
      test.app.declaredRoutes.map((route) => [`${route.method} ${route.url}`, accessCode(route.access)]),
    );
    expect(declared).toEqual(EXPECTED_ACCESS);
  });

  it('allows and denies every caller on every route as the policy says', async () => {
    const callerNames: CallerName[] = ['anonymous', ...callers.keys()];
    const mismatches: string[] = [];
    for (const [route, code] of Object.entries(EXPECTED_ACCESS)) {
      const [method, url] = route.split(' ') as [string, string];
      // Public routes are reachable by definition; signing out here would end the test's sessions.
      const names = code === 'public' ? (['anonymous'] as CallerName[]) : callerNames;
      for (const name of names) {
        // Event streams never end: take the status once headers arrive, then hang up.
        const streaming = method === 'GET' && (url.endsWith('/stream') || url.endsWith('/events'));
        const response = await test.request(
          {
            method: method as 'GET',
            url: fillPath(url),
            ...(method !== 'GET' && method !== 'DELETE' && { payload: {} }),
            ...(streaming && { payloadAsStream: true }),
          },
          callers.get(name),
        );
        if (streaming) response.stream().destroy();
        const denied = response.statusCode === 401 || response.statusCode === 403;
        const expectedStatus = name === 'anonymous' ? 401 : 403;
        if (allowed(code, name) ? denied : response.statusCode !== expectedStatus) {
          mismatches.push(`${route} as ${name}: ${response.statusCode} ${response.body.slice(0, 120)}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});
