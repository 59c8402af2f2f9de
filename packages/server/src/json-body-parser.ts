/**
 * @module json-body-parser
 * Fastify's JSON body parser (prototype-poisoning checks included) plus a bound on nesting.
 *
 * `JSON.parse` takes any depth, but much of what runs on a body afterwards recurses over it —
 * schema validation, `JSON.stringify` (events' properties, ETags), evaluation traces — and
 * 100,000 levels of `{"a":…}` in a few hundred kilobytes overflowed the stack in each of them: a
 * 500 from any client. Nothing Cleave accepts needs more than a few levels, so bodies nested
 * deeper than {@link MAX_JSON_DEPTH} get a clear 400 before anything else sees them.
 */
import { nestsDeeperThan } from '@cleave/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';

export const MAX_JSON_DEPTH = 64;

export class JsonTooDeepError extends AppError {
  readonly code = 'invalid_json';
  readonly statusCode = 400;
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
            new JsonTooDeepError(
              `The JSON body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep.`,
              {
                maxDepth: MAX_JSON_DEPTH,
              },
            ),
          );
        } else {
          done(null, value);
        }
      });
    },
  );
}
