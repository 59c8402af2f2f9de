/**
 * @module errors
 * Typed application errors and the one handler that turns any error into
 * `{ error: { code, message, details } }` with the right status. Services throw these classes; routes
 * never build error bodies themselves.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

export abstract class AppError extends Error {
  /** Stable, lower_snake_case: clients branch on it. */
  abstract readonly code: string;
  abstract readonly statusCode: number;
  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  readonly code = 'validation_failed';
  readonly statusCode = 400;
}
export class UnauthorizedError extends AppError {
  readonly code = 'unauthorized';
  readonly statusCode = 401;
}
export class ForbiddenError extends AppError {
  readonly code = 'forbidden';
  readonly statusCode = 403;
}
export class NotFoundError extends AppError {
  readonly code = 'not_found';
  readonly statusCode = 404;
}
export class ConflictError extends AppError {
  readonly code: string = 'conflict';
  readonly statusCode = 409;
}
export class VersionConflictError extends ConflictError {
  override readonly code = 'version_conflict';
}
export class RateLimitedError extends AppError {
  readonly code = 'rate_limited';
  readonly statusCode = 429;
}
export class ServiceUnavailableError extends AppError {
  readonly code = 'service_unavailable';
  readonly statusCode = 503;
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

interface ValidationIssue {
  path: string;
  message: string;
}

/** Fastify's own 4xx errors (bad JSON, body too large, wrong content type) keep their status. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_content_length',
  FST_ERR_BAD_URL: 'invalid_url',
  FST_ERR_MAX_PARAM_LENGTH: 'uri_too_long',
};

function validationIssues(error: FastifyError): ValidationIssue[] {
  const context = error.validationContext ?? 'request';
  return (error.validation ?? []).map((issue) => {
    // JSON Pointer (RFC 6901) rooted at the request part, e.g. `/body/environments/prod.eu/enabled`:
    // keys may contain dots, so dotted paths would be ambiguous.
    const instancePath = typeof issue.instancePath === 'string' ? issue.instancePath : '';
    return {
      path: `/${context}${instancePath === '/' ? '' : instancePath}`,
      message: issue.message ?? 'is invalid',
    };
  });
}

/** The single error handler: every feature's errors go through here. */
export function sendError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof AppError) {
    if (error.statusCode >= 500) request.log.error({ err: error }, error.message);
    reply.status(error.statusCode).send(body(error.code, error.message, error.details));
    return;
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const issues = validationIssues(fastifyError);
    reply.status(400).send(body('validation_failed', 'The request is invalid.', { issues }));
    return;
  }
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    const code = (fastifyError.code && FASTIFY_CODES[fastifyError.code]) ?? 'bad_request';
    reply.status(status).send(body(code, fastifyError.message));
    return;
  }
  // Unknown failure: log everything, tell the client nothing about internals.
  request.log.error({ err: error }, 'unhandled error');
  reply.status(500).send(body('internal_error', 'An unexpected error occurred.', { requestId: request.id }));
}

export function sendNotFound(request: FastifyRequest, reply: FastifyReply): void {
  reply
    .status(404)
    .send(body('route_not_found', `No route for ${request.method} ${request.url.split('?')[0] ?? ''}.`));
}

function body(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}
