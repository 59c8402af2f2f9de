/**
 * @module json-body-parser
 * Fastify's JSON body parser (prototype-poisoning checks included, with an answer that says so)
 * plus two bounds that keep bad bodies from turning into 500s further in:
 *
 * - Nesting. `JSON.parse` takes any depth, but much of what runs on a body afterwards recurses
 *   over it — schema validation, `JSON.stringify` (events' properties, ETags), evaluation traces —
 *   and 100,000 levels of `{"a":…}` in a few hundred kilobytes overflowed the stack in each of
 *   them. Nothing Cleave accepts needs more than a few levels: bodies nested deeper than
 *   {@link MAX_JSON_DEPTH} get a 400 before anything else sees them.
 * - Text PostgreSQL cannot store (NUL, unpaired surrogates: see storable-text.ts), refused in
 *   every string and key on every database alike. JSON can only carry it as `\u` escapes, so only
 *   bodies with escapes are walked. A route that judges items one by one (event ingestion: one
 *   bad event must not cost the batch) sets `config.unstorableText: 'route-validates'` and checks
 *   them itself.
 */
import { nestsDeeperThan } from '@cleave/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';
import { hasUnstorableText, UNSTORABLE_TEXT } from './storable-text.js';

export const MAX_JSON_DEPTH = 64;

export class InvalidJsonError extends AppError {
  readonly code = 'invalid_json';
  readonly statusCode = 400;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `'route-validates'`: unstorable text reaches the handler, which must refuse it itself. */
    unstorableText?: 'route-validates';
  }
}

export function registerJsonBodyParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    (request: FastifyRequest, body: string, done: (error: Error | null, value?: unknown) => void) => {
      const plain = parsePlainJson(body);
      if (plain !== NOT_PLAIN) {
        finish(request, body, plain, done);
        return;
      }
      parseJson(request, body, (error, value) => {
        if (error) done(prototypeKeyIn(body) ?? error);
        else finish(request, body, value, done);
      });
    },
  );
}

/** Hands on the parsed body, or why it is refused: nested too deep, or text no database can store. */
function finish(
  request: FastifyRequest,
  body: string,
  value: unknown,
  done: (error: Error | null, value?: unknown) => void,
): void {
  if (nestsDeeperThan(value, MAX_JSON_DEPTH)) {
    done(
      new InvalidJsonError(
        `The JSON body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep.`,
        {
          maxDepth: MAX_JSON_DEPTH,
        },
      ),
    );
  } else if (
    body.includes('\\u') &&
    request.routeOptions.config?.unstorableText !== 'route-validates' &&
    hasUnstorableText(value)
  ) {
    done(new InvalidJsonError(`Strings and keys in the JSON body ${UNSTORABLE_TEXT}.`));
  } else {
    done(null, value);
  }
}

const NOT_PLAIN = Symbol('not plain JSON');

/**
 * The common body (SDK evaluation requests: a small context) parsed with `JSON.parse` alone, the
 * same value Fastify's parser gives, without its callback or its two prototype-poisoning regular
 * expressions run over the text. Those can only match a body that spells `__proto__` or
 * `constructor` literally or with `\u` escapes; such bodies, empty ones, and anything `JSON.parse`
 * refuses (a byte-order mark, bad syntax) go to Fastify's parser, which accepts or refuses them
 * with its own answers. A body with escapes is also the only kind that can carry unstorable text.
 */
function parsePlainJson(body: string): unknown {
  if (body.length === 0 || body.includes('\\u') || body.includes('__proto__') || body.includes('constructor'))
    return NOT_PLAIN;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return NOT_PLAIN;
  }
}

/**
 * Fastify refuses `__proto__` and `constructor.prototype` keys (prototype poisoning) with the same
 * "not valid JSON" as a syntax error; for a body that is valid JSON, say what was refused instead.
 */
function prototypeKeyIn(body: string): InvalidJsonError | undefined {
  if (!body.includes('__proto__') && !body.includes('constructor')) return undefined;
  try {
    JSON.parse(body);
  } catch {
    return undefined;
  }
  return new InvalidJsonError(
    'The JSON body has a "__proto__" or "constructor.prototype" key; such keys are refused (prototype poisoning).',
    { refusedKeys: ['__proto__', 'constructor.prototype'] },
  );
}
