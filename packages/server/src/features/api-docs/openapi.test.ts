import { validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';

describe('the OpenAPI document', () => {
  let test: TestApp;
  let spec: {
    paths: Record<string, Record<string, unknown>>;
    components: { schemas: Record<string, unknown> };
  };

  beforeAll(async () => {
    test = await createTestApp('sqlite');
    spec = (await test.request({ method: 'GET', url: '/openapi.json' })).json();
  });
  afterAll(async () => {
    await test?.close();
  });

  it('is a valid OpenAPI 3.1 document whose references all resolve (client generators depend on it)', async () => {
    const result = await validate(structuredClone(spec) as unknown as Parameters<typeof validate>[0]);
    expect('errors' in result ? result.errors : []).toEqual([]);
    expect(result.valid).toBe(true);
    // The recursive schemas are named components, not dangling references.
    expect(Object.keys(spec.components.schemas)).toEqual(
      expect.arrayContaining(['JsonValueInput', 'JsonValue', 'ConditionInput', 'Condition']),
    );
  });

  it('documents every route of the API', () => {
    const documented = new Set(
      Object.entries(spec.paths).flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    const undocumented = test.app.declaredRoutes
      .map((route) => `${route.method} ${route.url.replace(/:([A-Za-z]+)/g, '{$1}')}`)
      // The document itself, and Prometheus' text format (README: operations) are left out on purpose.
      .filter((route) => !['GET /openapi.json', 'GET /metrics'].includes(route) && !documented.has(route));
    expect(undocumented).toEqual([]);
  });
});
