import {
  type CompiledConfig,
  ConfigPayloadSchema,
  compileConfig,
  type EvaluationContext,
  type EvaluationResult,
  evaluate,
  evaluateAll,
} from '@cleave/core';
import { createClient } from '@cleave/sdk';
import {
  type Credentials,
  createTestApp,
  hostileValue,
  type JsonSchema,
  resolverFor,
  schemaArbitrary,
  type TestApp,
} from '@cleave/server/tooling';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

/**
 * The evaluation engine fuzzed: random configurations (derived from the payload's own schema,
 * with hostile values at any node) and random contexts never make it throw, and every result is
 * well typed. Then configurations built through the management API with generated bodies, and
 * random contexts: the server's `POST /api/v1/evaluate` and the SDK evaluating the same payload
 * locally give the same answer for every flag. `CLEAVE_FUZZ_RUNS` scales both (as in route-fuzz).
 */

const RUNS = Number(process.env.CLEAVE_FUZZ_RUNS ?? 40);
/** Configurations built through the API per collection: enough variety; contexts scale with RUNS. */
const BODIES_PER_COLLECTION = Math.min(RUNS, 60);
const REASONS = new Set(['STATIC', 'TARGETING_MATCH', 'SPLIT', 'DEFAULT', 'DISABLED', 'ERROR']);
const ERROR_CODES = new Set([
  'FLAG_NOT_FOUND',
  'TYPE_MISMATCH',
  'PARSE_ERROR',
  'TARGETING_KEY_MISSING',
  'GENERAL',
]);

/** Attribute names conditions are likely to use, so contexts often meet rules that look at them. */
const ATTRIBUTES = ['targetingKey', 'country', 'plan', 'email', 'version', 'age', 'createdAt', 'id', 'a'];

const contextArbitrary: fc.Arbitrary<EvaluationContext> = fc
  .dictionary(
    fc.oneof(fc.constantFrom(...ATTRIBUTES), fc.string({ maxLength: 8 })),
    fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constantFrom('NL', 'pro', '1.2.3', '2026-01-01T00:00:00Z', 'user@example.com'),
      fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
      hostileValue,
    ),
    { maxKeys: 6 },
  )
  .map((context) => context as EvaluationContext);

function problemsOf(result: EvaluationResult, flagKey: string): string[] {
  const problems: string[] = [];
  if (result.flagKey !== flagKey) problems.push(`flagKey ${String(result.flagKey)}`);
  if (!REASONS.has(result.reason)) problems.push(`reason ${String(result.reason)}`);
  if (result.reason === 'ERROR' && !ERROR_CODES.has(result.errorCode as string))
    problems.push(`errorCode ${String(result.errorCode)}`);
  if (result.reason !== 'ERROR' && result.errorCode !== undefined) problems.push('errorCode without ERROR');
  if (result.variant !== undefined && typeof result.variant !== 'string') problems.push('variant');
  if (result.value === undefined) problems.push('value undefined');
  if (typeof result.flagMetadata !== 'object' || result.flagMetadata === null) problems.push('flagMetadata');
  return problems;
}

describe('evaluation engine fuzzing', () => {
  it('random configurations and contexts: never throws, always a typed result', () => {
    const document = z.toJSONSchema(ConfigPayloadSchema, { unrepresentable: 'any' }) as JsonSchema & object;
    const payloads = fc.oneof(
      schemaArbitrary(document, { resolve: resolverFor(document), hostileOneIn: 0 }),
      schemaArbitrary(document, { resolve: resolverFor(document), hostileOneIn: 10 }),
    );
    fc.assert(
      fc.property(
        payloads,
        fc.array(contextArbitrary, { minLength: 1, maxLength: 4 }),
        (payload, contexts) => {
          const compiled: CompiledConfig = compileConfig(payload);
          const keys = [...compiled.flagKeys, 'missing-flag'];
          for (const context of contexts) {
            for (const key of keys) {
              for (const explain of [false, true]) {
                const result = evaluate(compiled, key, context, { explain });
                expect(problemsOf(result, key)).toEqual([]);
              }
            }
            for (const result of evaluateAll(compiled, context))
              expect(problemsOf(result, result.flagKey)).toEqual([]);
          }
        },
      ),
      { numRuns: RUNS * 5 },
    );
  }, 3_600_000);
});

type Body = Record<string, unknown>;

/** Generated flags made consistent: unique variants whose values match the type, and that exist. */
function repairFlag(body: Body): Body {
  const type = (body.type as string) ?? 'string';
  const keys = [
    ...new Set(((body.variants as Body[] | undefined) ?? []).map((variant) => String(variant.key))),
  ];
  const variantKeys = keys.length ? keys : ['on', 'off'];
  const variantValue = (index: number) =>
    type === 'boolean'
      ? index % 2 === 0
      : type === 'number'
        ? index
        : type === 'json'
          ? { index }
          : `v${index}`;
  return {
    ...body,
    type,
    variants: variantKeys.map((key, index) => ({ key, value: variantValue(index) })),
    defaultVariant: variantKeys[0],
    offVariant: variantKeys.at(-1),
    environments: { production: { enabled: true, rules: [] } },
  };
}

/** A generated rule pointed at one of the flag's variants, or at an experiment that exists. */
function repairRule(body: Body, variants: string[], experiments: string[], pick: number): Body {
  const rule = { ...(body.rule as Body) };
  // Conditions on the attributes contexts carry, so rules both match and miss.
  if (Array.isArray(rule.conditions)) {
    rule.conditions = (rule.conditions as Body[]).map((condition, index) =>
      typeof condition === 'object' && condition !== null && 'attribute' in condition
        ? { ...condition, attribute: ATTRIBUTES[(pick + index) % ATTRIBUTES.length] }
        : condition,
    );
  }
  if ('variant' in rule) rule.variant = variants[pick % variants.length];
  if ('experimentKey' in rule) {
    if (experiments.length) rule.experimentKey = experiments[pick % experiments.length];
    delete rule.variants;
  }
  return { rule };
}

describe('server and SDK agree on configurations built through the API', () => {
  let test: TestApp;
  let owner: Credentials;
  let server: Credentials;
  let payload: { flags: { key: string; type: 'boolean' | 'string' | 'number' | 'json' }[] };

  beforeAll(async () => {
    test = await createTestApp('sqlite');
    owner = await test.signUpOwner('fuzz@example.com');
    await test.createProject(owner);
    server = await test.environmentKey(owner, { kind: 'server' });
    const document = (await test.request({ method: 'GET', url: '/openapi.json' })).json();
    const resolve = resolverFor(document);
    const bodyOf = (path: string, method: string) =>
      schemaArbitrary(document.paths[path][method].requestBody.content['application/json'].schema, {
        resolve,
        hostileOneIn: 0,
      });
    // Segments, experiments, layers and holdouts first, so flags' rules can point at them.
    for (const collection of ['segments', 'layers', 'holdouts', 'experiments', 'flags']) {
      const path = `/api/v1/projects/{projectKey}/${collection}`;
      for (const body of fc.sample(bodyOf(path, 'post'), BODIES_PER_COLLECTION)) {
        // Flags enabled in production, so rules are evaluated rather than the off variant served.
        const sent = collection === 'flags' ? repairFlag(body as Body) : (body as Body);
        await test.request(
          { method: 'POST', url: `/api/v1/projects/shop/${collection}`, payload: sent },
          owner,
        );
      }
    }
    // Rules for the flags that exist, from the rule route's own schema.
    const flags = (
      await test.request({ method: 'GET', url: '/api/v1/projects/shop/flags?limit=200' }, owner)
    ).json().items as { key: string; variants: { key: string }[] }[];
    const experiments = (
      (
        await test.request({ method: 'GET', url: '/api/v1/projects/shop/experiments?limit=200' }, owner)
      ).json().items as { key: string }[]
    ).map((experiment) => experiment.key);
    const rules = bodyOf(
      '/api/v1/projects/{projectKey}/flags/{key}/environments/{environmentKey}/rules',
      'post',
    );
    for (const flag of flags) {
      for (const [pick, body] of fc.sample(rules, 4).entries()) {
        const current = (
          await test.request({ method: 'GET', url: `/api/v1/projects/shop/flags/${flag.key}` }, owner)
        ).json();
        await test.request(
          {
            method: 'POST',
            url: `/api/v1/projects/shop/flags/${flag.key}/environments/production/rules`,
            payload: {
              ...repairRule(
                body as Body,
                flag.variants.map((variant) => variant.key),
                experiments,
                pick,
              ),
              version: current.version,
            },
          },
          owner,
        );
      }
    }
    payload = (await test.request({ method: 'GET', url: '/api/v1/sdk/config' }, server)).json();
    const ruleCount = (payload.flags as { rules?: unknown[] }[]).reduce(
      (sum, flag) => sum + (flag.rules?.length ?? 0),
      0,
    );
    console.info(
      `evaluation fuzz: ${payload.flags.length} flags with ${ruleCount} rules, ${experiments.length} experiments`,
    );
  }, 300_000);
  afterAll(async () => {
    await test?.close();
  });

  it('every flag, random contexts: same value, variant, reason and error code', async () => {
    expect(payload.flags.length).toBeGreaterThan(0);
    const client = createClient({ sdkKey: 'clv_sdk_offline', offline: true, bootstrap: payload });
    // The getter of the flag's own type, as an application calls it.
    const detailsOf = (key: string, type: string, context: EvaluationContext) =>
      type === 'boolean'
        ? client.getBooleanDetails(key, false, context)
        : type === 'number'
          ? client.getNumberDetails(key, 0, context)
          : type === 'json'
            ? client.getJsonDetails(key, {}, context)
            : client.getStringDetails(key, '', context);
    try {
      await fc.assert(
        fc.asyncProperty(contextArbitrary, async (context) => {
          const response = await test.request(
            { method: 'POST', url: '/api/v1/evaluate', payload: { context } },
            server,
          );
          // A context the API refuses (NUL characters, huge values) is not evaluated by either side.
          if (response.statusCode === 400) return;
          expect(response.statusCode).toBe(200);
          const remote = response.json().flags as {
            key: string;
            value: unknown;
            variant?: string;
            reason: string;
            errorCode?: string;
          }[];
          for (const flag of payload.flags) {
            const local = detailsOf(flag.key, flag.type, context);
            const answer = remote.find((candidate) => candidate.key === flag.key);
            expect({
              key: flag.key,
              value: answer?.value,
              variant: answer?.variant,
              reason: answer?.reason,
              errorCode: answer?.errorCode,
            }).toEqual({
              key: flag.key,
              value: local.value,
              variant: local.variant,
              reason: local.reason,
              errorCode: local.errorCode,
            });
          }
        }),
        { numRuns: RUNS },
      );
    } finally {
      await client.close();
    }
  }, 3_600_000);
});
