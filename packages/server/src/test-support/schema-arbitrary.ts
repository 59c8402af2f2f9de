/**
 * @module test-support/schema-arbitrary
 * fast-check arbitraries derived from the JSON Schemas of the OpenAPI document: values that mostly
 * follow a route's schema (so they reach the service and the database, not only the validator),
 * with hostile values swapped in at any node — wrong types, huge strings, deep nesting, unusual
 * unicode, prototype-pollution keys, SQL and regex payloads, boundary numbers. Deriving them from
 * the document means a route added later is fuzzed without a change to any test.
 */
import fc from 'fast-check';

/** The subset of JSON Schema 2020-12 that zod's OpenAPI output uses. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

/** Resolves a `$ref` (`#/components/schemas/Name`, `#/$defs/Name`) to the schema it names. */
export type SchemaResolver = (ref: string) => JsonSchema;

/** Follows local JSON Pointer references within `document` (an OpenAPI or JSON Schema document). */
export function resolverFor(document: object): SchemaResolver {
  return (ref: string): JsonSchema => {
    let target: unknown = document;
    for (const segment of ref.replace(/^#\//, '').split('/')) {
      target = (target as Record<string, unknown> | undefined)?.[
        segment.replace(/~1/g, '/').replace(/~0/g, '~')
      ];
    }
    if (typeof target !== 'object' || target === null) throw new Error(`unresolvable $ref ${ref}`);
    return target as JsonSchema;
  };
}

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

const PAYLOADS = [
  "' OR '1'='1",
  "'; DROP TABLE flags; --",
  '1; SELECT pg_sleep(10)',
  "\\'; --",
  '%s%s%s%n',
  '(a+)+$',
  '^(a|a)*$',
  '(.*a){25}',
  '[',
  '\\',
  ['$', '{jndi:ldap://x}'].join(''),
  '{{7*7}}',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  'javascript:alert(1)',
  'http://169.254.169.254/latest/meta-data/',
];

const UNICODE = [
  '\u0000',
  '\ud800',
  '\udfff',
  '\ufeff',
  '\u202e',
  '\u200b',
  '🚀',
  'é',
  'Ω≈ç√',
  '\uffff',
  '\u0085',
  '\u2028',
];

const BOUNDARY_NUMBERS = [
  0,
  -0,
  -1,
  1,
  0.5,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31),
  2 ** 53,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e308,
  1e-308,
  123456789012345680000,
];

/** Objects whose keys include `__proto__` as an own property (which `{ __proto__: … }` is not). */
function withOwnKeys(entries: [string, unknown][]): Record<string, unknown> {
  const target: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return target;
}

function nested(depth: number, leaf: unknown, asArray: boolean): unknown {
  let value = leaf;
  for (let level = 0; level < depth; level += 1) value = asArray ? [value] : { a: value };
  return value;
}

const huge = (length: number) => 'x'.repeat(length);

/**
 * A value of any kind chosen to break parsers, validators and queries. Huge values are rare, so
 * a body with many hostile nodes still mostly fits the 1 MiB body limit and reaches validation.
 */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(null, true, false, '', [], {}) },
  { weight: 4, arbitrary: fc.constantFrom(...BOUNDARY_NUMBERS) },
  { weight: 4, arbitrary: fc.constantFrom(...PAYLOADS) },
  {
    weight: 4,
    arbitrary: fc
      .array(fc.constantFrom(...UNICODE, 'a', ' '), { maxLength: 40 })
      .map((parts) => parts.join('')),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.constantFrom(1_000, 10_000, 100_000, 300_000).map(huge) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 200 }), fc.boolean(), fc.constantFrom<unknown>(1, 'x', null, {}))
      .map(([depth, asArray, leaf]) => nested(depth, leaf, asArray)),
  },
  {
    weight: 3,
    arbitrary: fc
      .array(fc.tuple(fc.constantFrom(...PROTOTYPE_KEYS), fc.jsonValue({ maxDepth: 2 })), {
        minLength: 1,
        maxLength: 3,
      })
      .map((entries) => withOwnKeys([...entries, ['isAdmin', true]])),
  },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(1_000, 50_000).map((length) => Array.from({ length }, (_, index) => index)),
  },
);

export interface SchemaArbitraryOptions {
  resolve: SchemaResolver;
  /** 0 gives only schema-conforming values; n > 0 swaps a node for a hostile value 1 time in n + 1. */
  hostileOneIn: number;
}

/**
 * Values for `schema`. With `hostileOneIn` 0 they follow the schema as far as fast-check can
 * (patterns, enums, bounds, required keys); otherwise any node may be replaced by a hostile value.
 */
export function schemaArbitrary(
  schema: JsonSchema,
  options: SchemaArbitraryOptions,
  depth = 0,
): fc.Arbitrary<unknown> {
  // Built once per schema node and depth: building an arbitrary (compiling a pattern) costs far
  // more than drawing from it.
  const cache = cacheFor(options);
  const cacheKey = `${depth}`;
  let byDepth = cache.get(schema);
  if (!byDepth) {
    byDepth = new Map();
    cache.set(schema, byDepth);
  }
  const known = byDepth.get(cacheKey);
  if (known) return known;
  // Lazy, as `$ref`s recurse (a condition holds conditions); the depth bound ends the recursion.
  let built: fc.Arbitrary<unknown> | undefined;
  const conforming = fc.constant(null).chain(() => {
    built ??= conformingArbitrary(schema, options, depth);
    return built;
  });
  const arbitrary =
    options.hostileOneIn === 0
      ? conforming
      : fc.oneof(
          { weight: options.hostileOneIn, arbitrary: conforming },
          { weight: 1, arbitrary: hostileValue },
        );
  byDepth.set(cacheKey, arbitrary);
  return arbitrary;
}

const caches = new WeakMap<SchemaArbitraryOptions, WeakMap<JsonSchema, Map<string, fc.Arbitrary<unknown>>>>();

function cacheFor(options: SchemaArbitraryOptions) {
  let cache = caches.get(options);
  if (!cache) {
    cache = new WeakMap();
    caches.set(options, cache);
  }
  return cache;
}

function conformingArbitrary(
  schema: JsonSchema,
  options: SchemaArbitraryOptions,
  depth: number,
): fc.Arbitrary<unknown> {
  const child = (inner: JsonSchema) => schemaArbitrary(inner, options, depth + 1);
  // Recursive schemas (JSON values, nested conditions) stop growing past a few levels.
  if (depth > 4) return fc.constantFrom<unknown>(null, 'x', 1, true);
  if (schema.$ref) return conformingArbitrary(options.resolve(schema.$ref), options, depth);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map(child));
  if (schema.allOf?.length) return child(Object.assign({}, ...schema.allOf));
  if (Array.isArray(schema.type)) {
    return fc.oneof(...schema.type.map((type) => conformingArbitrary({ ...schema, type }, options, depth)));
  }
  switch (schema.type) {
    case 'object':
      return objectArbitrary(schema, child);
    case 'array':
      return fc.array(schema.items ? child(schema.items) : fc.jsonValue({ maxDepth: 2 }), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3)),
      });
    case 'string':
      return stringArbitrary(schema);
    case 'integer':
      return fc.integer({
        min: Math.max(schema.minimum ?? -(2 ** 31), Number.MIN_SAFE_INTEGER),
        max: Math.min(schema.maximum ?? 2 ** 31, Number.MAX_SAFE_INTEGER),
      });
    case 'number':
      return fc.double({
        noNaN: true,
        noDefaultInfinity: true,
        ...(schema.minimum !== undefined && { min: schema.minimum }),
        ...(schema.maximum !== undefined && { max: schema.maximum }),
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      // `{}`: anything JSON.
      return fc.jsonValue({ maxDepth: 3 });
  }
}

function objectArbitrary(
  schema: JsonSchema,
  child: (inner: JsonSchema) => fc.Arbitrary<unknown>,
): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const names = Object.keys(properties);
  const fixed = fc.record(
    Object.fromEntries(names.map((name) => [name, child(properties[name] as JsonSchema)])),
    { requiredKeys: (schema.required ?? []).filter((name) => names.includes(name)) },
  );
  if (typeof schema.additionalProperties !== 'object') return fixed;
  const keys = schema.propertyNames ? stringArbitrary(schema.propertyNames) : fc.string({ maxLength: 20 });
  const extra = fc.dictionary(keys, child(schema.additionalProperties), { maxKeys: 2 });
  return fc.tuple(fixed, extra).map(([known, more]) => ({ ...more, ...(known as object) }));
}

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  const bounds = { minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) };
  if (schema.format === 'email') return fc.emailAddress();
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'date-time') {
    return fc
      .date({
        min: new Date('1970-01-01T00:00:00Z'),
        max: new Date('2100-01-01T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((date) => date.toISOString());
  }
  if (schema.format === 'uri') return fc.webUrl();
  if (schema.pattern) {
    try {
      return fc
        .stringMatching(new RegExp(schema.pattern))
        .filter((text) => text.length <= (schema.maxLength ?? Number.POSITIVE_INFINITY));
    } catch {
      // A pattern JavaScript cannot compile: plain strings still exercise the route.
    }
  }
  return fc.string(bounds);
}
