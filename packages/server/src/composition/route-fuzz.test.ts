import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../test-support/databases.js';
import {
  type JsonSchema,
  resolverFor,
  type SchemaArbitraryOptions,
  schemaArbitrary,
} from '../test-support/schema-arbitrary.js';
import { type Credentials, createTestApp, type TestApp } from '../test-support/test-app.js';

/**
 * Every JSON route of the OpenAPI document driven with generated requests: bodies, query strings
 * and path parameters derived from the route's own schemas (so most reach the service and the
 * database), with hostile values swapped in (wrong types, huge strings, deep nesting, unicode,
 * prototype-pollution keys, SQL and regex payloads, boundary numbers). Every answer must be below
 * 500, every 4xx must carry the error body, the app must still answer `/healthz` afterwards, and
 * its heap must not grow without bound.
 *
 * `CLEAVE_FUZZ_RUNS` sets the requests per route: a short run in `npm test`, ≥ 10,000 in
 * `npm run fuzz` (figures in docs/reliability.md).
 */

const RUNS_PER_ROUTE = Number(process.env.CLEAVE_FUZZ_RUNS ?? 40);
const SEED = process.env.CLEAVE_FUZZ_SEED ? Number(process.env.CLEAVE_FUZZ_SEED) : undefined;
/** Generous: the app caches compiled payloads and API keys, and SQLite's page cache lives in the heap. */
const HEAP_GROWTH_LIMIT_BYTES = 96 * 1024 * 1024;

interface Operation {
  method: string;
  path: string;
  parameters?: { in: string; name: string; required?: boolean; schema: JsonSchema }[];
  requestBody?: { content?: { 'application/json'?: { schema: JsonSchema } } };
}

interface OpenApiDocument {
  paths: Record<string, Record<string, Omit<Operation, 'method' | 'path'>>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/** Streams never end; signing out would end the session every other request uses. */
function fuzzable(operation: Operation): boolean {
  if (operation.method === 'GET' && /\/(stream|events)$/.test(operation.path)) return false;
  if (operation.path === '/api/v1/auth/logout') return false;
  return Boolean(
    operation.requestBody?.content?.['application/json'] ||
      operation.parameters?.some((parameter) => parameter.in === 'query'),
  );
}

/** The collection a path parameter names a member of: `flags` for `/flags/{key}`. */
function collectionOf(path: string, parameter: string): string {
  const segments = path.split('/');
  const index = segments.indexOf(`{${parameter}}`);
  return segments[index - 1] ?? '';
}

function forceGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe.each(DIALECTS)('route fuzzing on %s: generated requests get 4xx, never 5xx', (dialect) => {
  let test: TestApp;
  let root: Credentials;
  let server: Credentials;
  let document: OpenApiDocument;
  /**
   * Keys and ids the fuzz itself created, by collection (`flags`, `webhooks`…), so routes on one
   * thing mostly address one that exists and get past the lookup to the service.
   */
  const created = new Map<string, Set<string>>([
    ['projects', new Set(['shop'])],
    ['environments', new Set(['production', 'staging'])],
  ]);

  beforeAll(async () => {
    test = await createTestApp(dialect, { signInAttemptsPerMinute: 1_000_000 });
    root = await test.signUpOwner('root@example.com');
    await test.createProject(root);
    server = await test.environmentKey(root, { kind: 'server' });
    document = (await test.request({ method: 'GET', url: '/openapi.json' })).json();
  }, 60_000);
  afterAll(async () => {
    await test?.close();
  });

  function operations(): Operation[] {
    return Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        ...operation,
        method: method.toUpperCase(),
        path,
      })),
    );
  }

  function scopeOf(operation: Operation): string {
    const url = operation.path.replace(/\{(\w+)\}/g, ':$1');
    const route = test.app.declaredRoutes.find(
      (candidate) => candidate.method === operation.method && candidate.url === url,
    );
    if (!route) throw new Error(`${operation.method} ${operation.path} is documented but not declared`);
    return route.access.scope;
  }

  /** A caller whose credentials still work: a fuzzed password change or key revocation may end them. */
  async function freshRoot(): Promise<void> {
    const check = await test.request({ method: 'GET', url: '/api/v1/projects/shop' }, root);
    if (check.statusCode === 200) return;
    root = await test.signIn('root@example.com').catch(() => root);
    const again = await test.request({ method: 'GET', url: '/api/v1/projects/shop' }, root);
    if (again.statusCode === 404) await test.createProject(root);
    const ofrep = await test.request(
      { method: 'POST', url: '/ofrep/v1/evaluate/flags', payload: { context: {} } },
      server,
    );
    if (ofrep.statusCode === 401) server = await test.environmentKey(root, { kind: 'server' });
  }

  function requestArbitrary(operation: Operation) {
    const options: SchemaArbitraryOptions = { resolve: resolverFor(document), hostileOneIn: 6 };
    const parameters = operation.parameters ?? [];
    const pathValues = fc.record(
      Object.fromEntries(
        parameters
          .filter((parameter) => parameter.in === 'path')
          .map((parameter) => {
            const generated = schemaArbitrary(parameter.schema, { ...options, hostileOneIn: 0 });
            const known = [...(created.get(collectionOf(operation.path, parameter.name)) ?? [])];
            const value = known.length
              ? fc.oneof(
                  { weight: 9, arbitrary: fc.constantFrom(...known) },
                  { weight: 1, arbitrary: generated },
                )
              : generated;
            return [parameter.name, value];
          }),
      ),
    );
    const query = fc.record(
      Object.fromEntries(
        parameters
          .filter((parameter) => parameter.in === 'query')
          .map((parameter) => [parameter.name, schemaArbitrary(parameter.schema, options)]),
      ),
      { requiredKeys: [] },
    );
    const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
    const body = bodySchema
      ? fc.oneof(
          // Mostly right, so the service and the database see the values, not only the validator.
          { weight: 2, arbitrary: schemaArbitrary(bodySchema, { ...options, hostileOneIn: 0 }) },
          { weight: 3, arbitrary: schemaArbitrary(bodySchema, options) },
        )
      : fc.constant(undefined);
    return fc.record({ pathValues, query, body });
  }

  function urlFor(operation: Operation, pathValues: Record<string, unknown>, query: Record<string, unknown>) {
    const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) =>
      encodeURIComponent(String(pathValues[name])),
    );
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      search.append(name, typeof value === 'string' ? value : JSON.stringify(value));
    }
    const text = search.toString();
    return text ? `${path}?${text}` : path;
  }

  function remember(operation: Operation, body: string) {
    if (operation.method !== 'POST' || operation.path.endsWith('}')) return;
    const collection = operation.path.split('/').at(-1) as string;
    try {
      const parsed = JSON.parse(body) as Record<string, unknown>;
      const value = parsed.key ?? parsed.id;
      if (typeof value === 'string' && value.length < 120) {
        const known = created.get(collection) ?? new Set();
        known.add(value);
        created.set(collection, known);
      }
    } catch {
      // Not JSON: nothing to remember.
    }
  }

  it(`every documented route, ${RUNS_PER_ROUTE} generated requests each`, async () => {
    const gc = forceGc();
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let requests = 0;
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const targets = operations().filter(fuzzable);
    expect(targets.length).toBeGreaterThan(40);

    for (const operation of targets) {
      await freshRoot();
      const caller = () => (scopeOf(operation) === 'environment_key' ? server : root);
      await fc.assert(
        fc.asyncProperty(requestArbitrary(operation), async ({ pathValues, query, body }) => {
          const response = await test.request(
            {
              method: operation.method as 'POST',
              url: urlFor(operation, pathValues, query),
              ...(body !== undefined && {
                payload: JSON.stringify(body),
                headers: { 'content-type': 'application/json' },
              }),
            },
            caller(),
          );
          requests += 1;
          statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
          if (response.statusCode < 300) remember(operation, response.body);
          if (response.statusCode >= 500) {
            failures.push(
              `${operation.method} ${operation.path} ${JSON.stringify(body)?.slice(0, 300)}: ${response.statusCode} ${response.body.slice(0, 300)}`,
            );
          } else if (response.statusCode >= 400 && !operation.path.startsWith('/ofrep/')) {
            const error = JSON.parse(response.body).error;
            if (typeof error?.code !== 'string')
              failures.push(`${operation.path}: ${response.body.slice(0, 200)}`);
          }
        }),
        { numRuns: RUNS_PER_ROUTE, ...(SEED !== undefined && { seed: SEED }), endOnFailure: true },
      );
    }

    gc();
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    // The full run's figures go to docs/reliability.md.
    console.info(
      `route fuzz on ${dialect}: ${targets.length} routes, ${requests} requests, statuses ${JSON.stringify(
        Object.fromEntries([...statuses].sort(([a], [b]) => a - b)),
      )}, heap growth ${(heapGrowth / 1024 / 1024).toFixed(1)} MiB, rss ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB`,
    );
    expect(failures.slice(0, 20)).toEqual([]);
    expect((await test.request({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect(heapGrowth).toBeLessThan(HEAP_GROWTH_LIMIT_BYTES);
  }, 3_600_000);
});
