/**
 * @module json-body-parser
 * Fastify's JSON body parser (prototype-poisoning checks included) plus two bounds that keep bad
 * bodies from turning into 500s further in:
 *
 * - Nesting. `JSON.parse` takes any depth, but much of what runs on a body afterwards recurses
 *   over it — schema validation, `JSON.stringify` (events' properties, ETags), evaluation traces —
 *   and 100,000 levels of `{"a":…}` in a few hundred kilobytes overflowed the stack in each of
 *   them. Nothing Cleave accepts needs more than a few levels: bodies nested deeper than
 *   {@link MAX_JSON_DEPTH} get a 400 before anything else sees them.
 * - The NUL character (U+0000). SQLite stores it, PostgreSQL's text and jsonb refuse it, so the
 *   same request succeeded on one database and failed with a 500 on the other. Refused in every
 *   string and key, on every database. A route that judges items one by one (event ingestion:
 *   one bad event must not cost the batch) sets `config.nulInJson: 'route-validates'` and checks
 *   them itself.
 */
import { nestsDeeperThan } from '@cleave/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';

export const MAX_JSON_DEPTH = 64;

export class InvalidJsonError extends AppError {
  readonly code = 'invalid_json';
  readonly statusCode = 400;
}

/**
 * Whether JSON text holds a NUL character: in valid JSON it can only be written `\u0000`, and
 * that escape counts only after an even number of backslashes (`\\u0000` is a backslash and text).
 */
const NUL_ESCAPE = /(?<!\\)(?:\\\\)*\\u0000/;

export function jsonTextHasNul(text: string): boolean {
  return text.includes('\\u0000') && NUL_ESCAPE.test(text);
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `'route-validates'`: NUL characters reach the handler, which must refuse them itself. */
    nulInJson?: 'route-validates';
  }
}

export function registerJsonBodyParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    (request: FastifyRequest, body: string, done: (error: Error | null, value?: unknown) => void) => {
      parseJson(request, body, (error, value) => {
        if (error) {
          done(error);
        } else if (nestsDeeperThan(value, MAX_JSON_DEPTH)) {
          done(
            new InvalidJsonError(
              `The JSON body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep.`,
              { maxDepth: MAX_JSON_DEPTH },
            ),
          );
        } else if (request.routeOptions.config?.nulInJson !== 'route-validates' && jsonTextHasNul(body)) {
          done(
            new InvalidJsonError('Strings in the JSON body must not contain the NUL character (\\u0000).'),
          );
        } else {
          done(null, value);
        }
      });
    },
  );
}
