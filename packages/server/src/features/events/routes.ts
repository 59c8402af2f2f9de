/**
 * @module features/events/routes
 * `POST /api/v1/events`: batches of exposures and tracked events from SDKs and services.
 *
 * - 202 `{ accepted, duplicates, rejected }` only once the accepted events are durable; each event
 *   is validated on its own, so good events of a partly bad batch are kept.
 * - gzip bodies are accepted (`Content-Encoding: gzip`); the decompressed size is bounded too, so a
 *   small compressed bomb gets 413, not an out-of-memory.
 * - 413 for too many events or too many bytes, 429 (per key) with Retry-After, 503 with Retry-After
 *   when the log can't make events durable.
 */
import { createGunzip } from 'node:zlib';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, RateLimitedError, ServiceUnavailableError } from '../../http/errors.js';
import { EventLogUnavailableError } from '../../ports/event-log.js';
import { currentEnvironmentAccess } from '../access/request-context.js';
import type { IngestionService } from './service.js';

export class PayloadTooLargeError extends AppError {
  readonly code = 'payload_too_large';
  readonly statusCode = 413;
}

export interface EventRoutesOptions {
  ingestion: IngestionService;
  maxEventsPerBatch: number;
  /** Decompressed JSON bytes per request. */
  maxBodyBytes: number;
  /** Requests per minute per API key. */
  requestsPerMinutePerKey: number;
}

const IngestBody = z.object({
  events: z.array(z.unknown()).describe('Exposure (`type: "exposure"`) and tracked (`type: "track"`) events'),
});

const IngestResponse = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.array(
    z.object({ index: z.number().int(), error: z.object({ code: z.string(), message: z.string() }) }),
  ),
});

export const eventRoutes: FastifyPluginAsyncZod<EventRoutesOptions> = async (app, options) => {
  app.post(
    '/events',
    {
      bodyLimit: options.maxBodyBytes,
      config: {
        access: { scope: 'environment_key', kinds: ['sdk', 'server'] },
        // Each event is validated on its own, its text included: one bad event must not cost the
        // batch.
        unstorableText: 'route-validates',
        rateLimit: {
          max: options.requestsPerMinutePerKey,
          timeWindow: 60_000,
          keyGenerator: (request: FastifyRequest) =>
            request.principal?.type === 'api_key'
              ? `events:${request.principal.keyId}`
              : `events-ip:${request.ip}`,
          errorResponseBuilder: (_request: FastifyRequest, context: { after: string }) =>
            new RateLimitedError(`Too many event batches for this key; retry in ${context.after}.`),
        },
      },
      preParsing: async (request, _reply, payload) => {
        // Content codings are case-insensitive, and x-gzip is gzip (RFC 9110 §8.4.1).
        const encoding = request.headers['content-encoding']?.trim().toLowerCase();
        if (encoding === undefined || encoding === '' || encoding === 'identity') return payload;
        if (encoding !== 'gzip' && encoding !== 'x-gzip') {
          throw new UnsupportedEncodingError(
            `Content-Encoding "${encoding}" is not supported; send gzip or nothing.`,
          );
        }
        // Fastify enforces bodyLimit on what this stream yields, i.e. on the decompressed bytes.
        const gunzip = createGunzip();
        const decompressed = payload.pipe(gunzip) as typeof payload & { receivedEncodedLength?: number };
        payload.on('data', (chunk: Buffer) => {
          decompressed.receivedEncodedLength = (decompressed.receivedEncodedLength ?? 0) + chunk.length;
        });
        gunzip.on('error', () => payload.destroy());
        delete request.headers['content-length'];
        return decompressed;
      },
      schema: {
        tags: ['events'],
        summary: 'Send exposures and tracked events (idempotent by event id)',
        body: IngestBody,
        response: { 202: IngestResponse },
      },
    },
    async (request, reply) => {
      const { events } = request.body;
      if (events.length > options.maxEventsPerBatch) {
        throw new PayloadTooLargeError(
          `At most ${options.maxEventsPerBatch} events per request; split the batch.`,
          {
            events: events.length,
            max: options.maxEventsPerBatch,
          },
        );
      }
      const { project, environment } = currentEnvironmentAccess(request);
      try {
        const result = await options.ingestion.ingest(
          { projectId: project.id, environmentId: environment.id },
          events,
        );
        return reply.status(202).send(result);
      } catch (error) {
        if (error instanceof EventLogUnavailableError) {
          request.log.error({ err: error }, 'events not accepted: the log is unavailable');
          reply.header('retry-after', '5');
          throw new ServiceUnavailableError(
            'Events could not be stored right now; retry the same batch later.',
          );
        }
        throw error;
      }
    },
  );
};

class UnsupportedEncodingError extends AppError {
  readonly code = 'unsupported_content_encoding';
  readonly statusCode = 415;
}
