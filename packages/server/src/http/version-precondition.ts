/**
 * @module concurrency
 * Optimistic concurrency for writes: the expected version comes from the body's `version` or an
 * `If-Match` header (the `ETag` that reads return). Writes without either are refused, because a
 * silent last-writer-wins is exactly the lost update this guards against.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MAX_VERSION } from './api-schemas.js';
import { AppError, ValidationError } from './errors.js';

export class PreconditionRequiredError extends AppError {
  readonly code = 'version_required';
  readonly statusCode = 428;
}

export function etagOf(version: number): string {
  return `"${version}"`;
}

export function setEtag(reply: FastifyReply, version: number): void {
  reply.header('etag', etagOf(version));
}

export function expectedVersion(request: FastifyRequest, bodyVersion: number | undefined): number {
  const header = request.headers['if-match'];
  if (header !== undefined) {
    const match = /^(?:W\/)?"(\d{1,10})"$/.exec(header.trim());
    if (!match || Number(match[1]) > MAX_VERSION) {
      throw new ValidationError('If-Match must be an ETag returned by this API, like "3".', {
        issues: [{ path: '/headers/if-match', message: 'is not a version ETag' }],
      });
    }
    const version = Number(match[1]);
    if (bodyVersion !== undefined && bodyVersion !== version) {
      throw new ValidationError('The body version and If-Match disagree.', {
        issues: [{ path: '/body/version', message: `is ${bodyVersion} but If-Match says ${version}` }],
      });
    }
    return version;
  }
  if (bodyVersion !== undefined) return bodyVersion;
  throw new PreconditionRequiredError(
    'Send the version you are changing, as "version" in the body or an If-Match header, so concurrent edits are not lost.',
  );
}
