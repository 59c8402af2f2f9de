/**
 * @module features/events/routes
 * `POST /api/v1/events`: batches of exposures and tracked events from SDKs and services.
 *
 * - 202 `{ accepted, duplicates, rejected }` only once the accepted events are durable; each event
 *   is validated on its own, so good events of a partly bad batch are kept.
 * - gzip bodies are accepted (`Content-Encoding: gzip`); the decompressed size is bounded too, so a
 *   small compressed bomb gets 413, not an out-of-memory.
 * - 413 for too many events or too many bytes; 429 with Retry-After when the key's event budget,
 *   or an sdk key's budget for this client address, is spent (see event-budget.ts: events are
 *   counted, not requests, and an empty batch is free); 503 with Retry-After when the log can't
 *   make events durable.
 */
import { createGunzip } from 'node:zlib';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, RateLimitedError, ServiceUnavailableError } from '../../http/errors.js';
import { EventLogUnavailableError } from '../../ports/event-log.js';
import { currentEnvironmentAccess, currentPrincipal } from '../access/request-context.js';
import type { EventBudget } from './event-budget.js';
import type { IngestionService } from './service.js';

export class PayloadTooLargeError extends AppError {
  readonly code = 'payload_too_large';
  readonly statusCode = 413;
}

/** The most events one request may carry; also the least any per-minute event budget may be. */
export const MAX_EVENTS_PER_BATCH = 1_000;

export interface EventRoutesOptions {
  ingestion: IngestionService;
  maxEventsPerBatch: number;
  /** Decompressed JSON bytes per request. */
  maxBodyBytes: number;
  /** Events per minute per key, and per sdk key and client address. */
  budget: EventBudget;
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
      const { project, environment, keyKind } = currentEnvironmentAccess(request);
      const principal = currentPrincipal(request);
      const answer = await options.budget
        .take({
          keyId: principal.type === 'api_key' ? principal.keyId : '',
          keyKind,
          clientAddress: request.ip,
          events: events.length,
        })
        .catch((error: unknown) => {
          // Budgets protect capacity; an outage of the store that counts them (Redis) must not stop
          // ingestion, so events are taken uncounted meanwhile.
          request.log.warn({ err: error }, 'event budget unavailable; accepting the batch uncounted');
          return { allowed: true } as const;
        });
      if (!answer.allowed) {
        const seconds = Math.ceil(answer.retryAfterMs / 1000);
        reply.header('retry-after', String(seconds));
        throw new RateLimitedError(
          answer.budget === 'client'
            ? `This client sent more than ${answer.limit} events this minute with this key; retry in ${seconds} s.`
            : `This key sent more than ${answer.limit} events this minute; retry in ${seconds} s.`,
          { budget: answer.budget, limit: answer.limit, retryAfterSeconds: seconds },
        );
      }
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
