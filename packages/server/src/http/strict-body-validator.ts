/**
 * @module strict-body-validator
 * Request bodies are validated by their zod schemas, which silently drop unknown fields. A typo
 * like `"enabeld": true` must not vanish into a 200, so after a successful parse every field of the
 * input that the parsed value lacks is reported as unknown, at any depth, with its path.
 */
import type { FastifySchemaCompiler } from 'fastify';
import type { FastifyRouteSchemaDef, FastifySchemaValidationError } from 'fastify/types/schema.js';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { ZodType } from 'zod';

type UnknownField = FastifySchemaValidationError;

export const strictBodyValidatorCompiler: FastifySchemaCompiler<ZodType> = (route) => {
  const validate = validatorCompiler(route);
  if (route.httpPart !== 'body') return validate;
  return (data: unknown) => {
    const result = validate(data) as { value?: unknown; error?: FastifySchemaValidationError[] };
    if (result.error) return result;
    const unknown: UnknownField[] = [];
    collectUnknownFields(data, result.value, '', unknown);
    return unknown.length > 0 ? { error: unknown } : result;
  };
};

function collectUnknownFields(input: unknown, output: unknown, path: string, into: UnknownField[]): void {
  if (input === output || into.length >= 50) return;
  if (Array.isArray(input) && Array.isArray(output)) {
    input.forEach((item, index) => {
      collectUnknownFields(item, output[index], `${path}/${index}`, into);
    });
    return;
  }
  if (!isPlainObject(input) || !isPlainObject(output)) return;
  for (const key of Object.keys(input)) {
    const fieldPath = `${path}/${key}`;
    if (!(key in output)) {
      into.push({
        instancePath: fieldPath,
        message: `is not a known field`,
        keyword: 'unrecognized_keys',
        schemaPath: '#',
        params: { key },
      });
    } else {
      collectUnknownFields(input[key], output[key], fieldPath, into);
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Hand-written checks recognising plainly valid request parts, by part. */
export type FastPaths = Partial<Record<'body' | 'params' | 'querystring', (value: unknown) => boolean>>;

/**
 * The strict validator with fast paths for the hot SDK routes: a part its check recognises as
 * plainly valid (checked by hand, no zod parse, no copy) is taken as it is; anything else goes
 * through the schema, so every refusal and its message stay the schema's.
 */
export function withFastPath(accepts: FastPaths): FastifySchemaCompiler<unknown> {
  return (route) => {
    // Route-level compilers see the route's own schema type; its parts are zod schemas here.
    const validate = strictBodyValidatorCompiler(route as FastifyRouteSchemaDef<ZodType>);
    const plain = accepts[route.httpPart as keyof FastPaths];
    if (plain === undefined) return validate;
    // `true`: valid and left as it is (Fastify replaces the part only for a `{ value }` answer).
    return (data: unknown) => (plain(data) ? true : validate(data));
  };
}

/** A JSON object (what a parsed body's record may be), not an array or null. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value);
}
