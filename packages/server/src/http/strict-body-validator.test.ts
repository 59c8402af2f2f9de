import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isJsonObject, strictBodyValidatorCompiler, withFastPath } from './strict-body-validator.js';

const Body = z.object({ context: z.record(z.string(), z.unknown()).optional() });
const isPlain = (body: unknown) =>
  isJsonObject(body) &&
  Object.keys(body).every((name) => name === 'context') &&
  (body.context === undefined || isJsonObject(body.context));

const route = { schema: Body, method: 'POST', url: '/x', httpPart: 'body' as const };
const strict = strictBodyValidatorCompiler(route) as (data: unknown) => { value?: unknown; error?: unknown };
const fast = withFastPath({ body: isPlain })(route) as (data: unknown) =>
  | true
  | {
      value?: unknown;
      error?: unknown;
    };

describe('the strict body validator', () => {
  it('refuses unknown fields at any depth, with their paths', () => {
    const nested = strictBodyValidatorCompiler({
      schema: z.object({ rule: z.object({ id: z.string() }) }),
      method: 'POST',
      url: '/x',
      httpPart: 'body',
    }) as (data: unknown) => { error?: { instancePath: string }[] };
    expect(nested({ rule: { id: 'a', idd: 'b' } }).error?.map((issue) => issue.instancePath)).toEqual([
      '/rule/idd',
    ]);
  });
});

describe('the fast path of the strict validator', () => {
  // `true` tells Fastify the part is valid and keeps it as it is (no copy, no result object).
  it('takes a plain body as it is, without a copy', () => {
    expect(fast({ context: { targetingKey: 'u', plan: 'pro', nested: { a: [1] } } })).toBe(true);
    expect(fast({})).toBe(true);
  });

  it.each([
    ['an unknown field', { context: {}, contxt: {} }],
    ['a context that is an array', { context: [1] }],
    ['a context that is a string', { context: 'u' }],
    ['a body that is an array', [{}]],
    ['a null body', null],
  ])('refuses %s exactly as the schema does', (_name, body) => {
    const refused = fast(body);
    expect(refused !== true && refused.error).toBeDefined();
    expect(refused).toEqual(strict(body));
  });

  it('validates parts without a fast path with the schema only', () => {
    const params = withFastPath({ body: () => true })({
      schema: z.object({ key: z.string().max(3) }),
      method: 'POST',
      url: '/x/:key',
      httpPart: 'params',
    }) as (data: unknown) => { error?: unknown };
    expect(params({ key: 'toolong' }).error).toBeDefined();
  });

  it('takes plain params as they are, and refuses others as the schema does', () => {
    const route = {
      schema: z.object({ key: z.string().max(3) }),
      method: 'POST',
      url: '/x/:key',
      httpPart: 'params' as const,
    };
    const params = withFastPath({ params: (value) => isJsonObject(value) && String(value.key).length <= 3 })(
      route,
    ) as (data: unknown) => true | { value?: unknown; error?: unknown };
    expect(params({ key: 'abc' })).toBe(true);
    expect(params({ key: 'toolong' })).toEqual(
      (strictBodyValidatorCompiler(route) as (data: unknown) => unknown)({ key: 'toolong' }),
    );
  });
});

describe('the fast path in a Fastify route', () => {
  it('hands the handler the body as sent, and refuses others with 400', async () => {
    const app = Fastify({ logger: false });
    app.post(
      '/x',
      { schema: { body: Body }, validatorCompiler: withFastPath({ body: isPlain }) },
      async (request) => ({
        body: request.body,
      }),
    );
    const sent = { context: { targetingKey: 'u', n: 1 } };
    const plain = await app.inject({ method: 'POST', url: '/x', payload: sent });
    expect(plain.statusCode).toBe(200);
    expect(plain.json()).toEqual({ body: sent });
    const refused = await app.inject({ method: 'POST', url: '/x', payload: { context: [1] } });
    expect(refused.statusCode).toBe(400);
    await app.close();
  });
});
