/**
 * @module http/compiled-serializer
 * A serializer compiler for the hot SDK routes: their zod response schemas become JSON Schemas
 * once, at start-up, and fast-json-stringify compiles each into a function that writes exactly the
 * declared fields. The default (fastify-type-provider-zod's) parses every response with zod and
 * then calls JSON.stringify, which costs a copy of the answer per request; these routes build
 * their answers from typed code, so the parse would only repeat what the compiler checked.
 */
import build from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify';
import { type ZodType, z } from 'zod';

type JsonSchema = { [keyword: string]: unknown };

/**
 * Properties whose schema is `{}` (zod's unknown: any value, undefined included) are not required:
 * an absent value is left out, as JSON.stringify would, instead of failing the answer.
 */
function optionalUnknowns(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(optionalUnknowns);
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy: JsonSchema = {};
  for (const [keyword, value] of Object.entries(schema)) copy[keyword] = optionalUnknowns(value);
  const properties = copy.properties as Record<string, JsonSchema> | undefined;
  if (properties && Array.isArray(copy.required)) {
    copy.required = copy.required.filter((name: string) => Object.keys(properties[name] ?? {}).length > 0);
  }
  return copy;
}

/** The JSON Schema fast-json-stringify compiles for a zod response schema. */
export function serializationSchemaOf(schema: ZodType): JsonSchema {
  const { $schema: _dialect, ...jsonSchema } = z.toJSONSchema(schema, {
    io: 'output',
    unrepresentable: 'any',
  });
  return optionalUnknowns(jsonSchema) as JsonSchema;
}

export const compiledSerializerCompiler: FastifySerializerCompiler<unknown> = ({ schema }) => {
  if (!(schema instanceof z.ZodType)) throw new Error('compiled serializers need a zod response schema');
  return build(serializationSchemaOf(schema)) as (data: unknown) => string;
};
