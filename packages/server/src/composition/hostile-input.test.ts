import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../test-support/databases.js';
import { type Credentials, createTestApp, type TestApp } from '../test-support/test-app.js';

/**
 * Bad input gets a clear 4xx, never a 500: every route of the API, driven by a caller who may
 * use it, with bodies, queries, path parameters and headers that are wrong in the ways clients
 * (and attackers) get them wrong. A route added later is covered without a change here.
 */

const BODIES: readonly string[] = [
  '',
  'null',
  'true',
  '12',
  '"text"',
  '[]',
  '[{}]',
  '{',
  '{"a":',
  '{}',
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"admin":true}}}',
  `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
  JSON.stringify({
    key: 7,
    name: ['x'],
    version: 'seven',
    type: { boolean: true },
    events: 'all',
    url: 12,
    role: null,
    email: 'not-an-email',
    environments: [],
    rules: 'none',
    context: [],
    variants: {},
  }),
  JSON.stringify({ key: 'k'.repeat(100_000), name: '\u0000\uffff\ud800', version: 1e308, limit: -1 }),
  JSON.stringify({ events: [null, 1, 'x', [], { id: 'x' }], context: { targetingKey: ['a'] }, version: 1 }),
  // Valid in shape, with a NUL character (which PostgreSQL's text cannot hold) in the free text.
  JSON.stringify({
    key: 'nul-test',
    name: 'a\u0000b',
    description: 'c\u0000d',
    type: 'boolean',
    variants: [
      { key: 'on', value: true },
      { key: 'off', value: false },
    ],
    defaultVariant: 'off',
    offVariant: 'off',
    email: 'nul@example.com',
    password: 'correct horse battery staple',
    url: 'https://hooks.example.com/a',
    events: ['*'],
    kind: 'server',
    environment: 'production',
    role: 'viewer',
    version: 1,
  }),
];

const QUERIES: readonly string[] = [
  '?limit=abc',
  '?limit=-1',
  '?limit=1e309',
  '?limit=99999999999999999999',
  '?cursor=%ZZ',
  '?cursor=not-a-cursor',
  '?cursor=eyJ4IjoxfQ',
  '?status=bogus&tag=&q=%00',
  '?q=%ED%A0%80&cursor=%F0%9F%98',
  '?resourceType[]=a&resourceType[]=b',
];

const PATH_VALUES: readonly string[] = [
  'x'.repeat(5_000),
  '%ZZ',
  '%00',
  '%ED%A0%80',
  '%F0%9F%98',
  '..%2F..%2Fetc',
  'ü%20ñ',
  '-',
];

/** `{ error: { code, message } }`, or OFREP's own `{ errorCode, errorDetails }` on its routes. */
function hasErrorBody(label: string, body: string): boolean {
  try {
    const parsed = JSON.parse(body) as {
      error?: { code?: unknown; message?: unknown };
      errorCode?: unknown;
      errorDetails?: unknown;
    };
    if (typeof parsed.error?.code === 'string' && typeof parsed.error.message === 'string') return true;
    return (
      label.includes('/ofrep/') &&
      typeof parsed.errorCode === 'string' &&
      typeof parsed.errorDetails === 'string'
    );
  } catch {
    return false;
  }
}

function fillPath(url: string, value?: string): string {
  return url
    .replace(':projectKey', value ?? 'shop')
    .replace(':environmentKey', value ?? 'production')
    .replace(/:[A-Za-z]+/g, value ?? 'missing-thing');
}

// Thousands of requests per test: on a loaded 2-core machine they take far longer than the default.
describe.each(DIALECTS)(
  'hostile input on %s: every route answers 4xx, never 5xx',
  { timeout: 120_000 },
  (dialect) => {
    let test: TestApp;
    let root: Credentials;
    let server: Credentials;

    beforeAll(async () => {
      test = await createTestApp(dialect);
      root = await test.signUpOwner('root@example.com');
      await test.createProject(root);
      server = await test.environmentKey(root, { kind: 'server' });
    });
    afterAll(async () => {
      await test?.close();
    });

    function routes() {
      return test.app.declaredRoutes.filter(
        (route) =>
          // Streams never end; signing out would end the session the other requests use.
          !(route.method === 'GET' && (route.url.endsWith('/stream') || route.url.endsWith('/events'))) &&
          route.url !== '/api/v1/auth/logout',
      );
    }

    const callerFor = (scope: string) => (scope === 'environment_key' ? server : root);

    async function collect(
      send: () => Promise<{ statusCode: number; body: string; headers: Record<string, unknown> }>,
      label: string,
      failures: string[],
    ) {
      const response = await send();
      if (response.statusCode >= 500) {
        failures.push(`${label}: ${response.statusCode} ${response.body.slice(0, 200)}`);
      } else if (response.statusCode >= 400 && !hasErrorBody(label, response.body)) {
        failures.push(
          `${label}: ${response.statusCode} without the error body: ${response.body.slice(0, 200)}`,
        );
      } else if (response.statusCode >= 400 && typeof response.headers['x-request-id'] !== 'string') {
        failures.push(`${label}: ${response.statusCode} without x-request-id`);
      }
    }

    it('with broken and type-confused bodies', async () => {
      const failures: string[] = [];
      for (const route of routes()) {
        if (route.method === 'GET' || route.method === 'DELETE') continue;
        for (const body of BODIES) {
          await collect(
            () =>
              test.request(
                {
                  method: route.method as 'POST',
                  url: fillPath(route.url),
                  payload: body,
                  headers: { 'content-type': 'application/json' },
                },
                callerFor(route.access.scope),
              ),
            `${route.method} ${route.url} ${body.slice(0, 40)}`,
            failures,
          );
        }
        for (const headers of [
          { 'content-type': 'text/plain' },
          { 'content-type': 'application/json', 'content-encoding': 'gzip' },
          { 'content-type': 'application/json', 'if-match': 'W/"x"' },
          { 'content-type': 'application/json', 'if-match': '"99999999999999999999999"' },
        ]) {
          await collect(
            () =>
              test.request(
                { method: route.method as 'POST', url: fillPath(route.url), payload: '{}', headers },
                callerFor(route.access.scope),
              ),
            `${route.method} ${route.url} ${JSON.stringify(headers)}`,
            failures,
          );
        }
      }
      expect(failures).toEqual([]);
    });

    it('refuses text PostgreSQL cannot store (NUL, unpaired surrogates) the same way on every database', async () => {
      const project = await test.request(
        { method: 'POST', url: '/api/v1/projects', payload: { key: 'nul', name: 'a\u0000b' } },
        root,
      );
      expect(project.statusCode).toBe(400);
      expect(project.json().error.code).toBe('invalid_json');
      const surrogate = await test.request(
        { method: 'POST', url: '/api/v1/projects', payload: { key: 'half', name: 'half a pair \ud83d' } },
        root,
      );
      expect(surrogate.statusCode).toBe(400);
      const lookup = await test.request({ method: 'GET', url: '/api/v1/projects/sh%00op/flags' }, root);
      expect(lookup.statusCode).toBe(400);
      expect(lookup.json().error.details.issues).toEqual([
        { path: '/params/projectKey', message: 'contains the NUL character' },
      ]);
      const escaped = await test.request(
        { method: 'POST', url: '/api/v1/projects', payload: { key: 'escaped', name: 'literally \\u0000' } },
        root,
      );
      expect(escaped.statusCode).toBe(201);
    });

    it('with bad queries and path parameters', async () => {
      const failures: string[] = [];
      for (const route of routes()) {
        const hasBody = route.method !== 'GET' && route.method !== 'DELETE';
        const base = {
          method: route.method as 'GET',
          ...(hasBody && { payload: '{}', headers: { 'content-type': 'application/json' } }),
        };
        for (const query of QUERIES) {
          await collect(
            () =>
              test.request({ ...base, url: `${fillPath(route.url)}${query}` }, callerFor(route.access.scope)),
            `${route.method} ${route.url}${query}`,
            failures,
          );
        }
        if (!route.url.includes(':')) continue;
        for (const value of PATH_VALUES) {
          await collect(
            () => test.request({ ...base, url: fillPath(route.url, value) }, callerFor(route.access.scope)),
            `${route.method} ${fillPath(route.url, value.slice(0, 20))}`,
            failures,
          );
        }
      }
      expect(failures).toEqual([]);
    });
  },
);
