/**
 * @module features/sdk-delivery/ofrep-routes
 * The OpenFeature Remote Evaluation Protocol (OFREP), so any OpenFeature SDK with an OFREP provider
 * can use Cleave without a Cleave SDK:
 * - `POST /ofrep/v1/evaluate/flags/{key}`: one flag;
 * - `POST /ofrep/v1/evaluate/flags`: every flag, with an ETag (304 when neither config nor context
 *   changed) and `eventStreams` advertising an SSE endpoint whose `refetchEvaluation` events tell
 *   web providers to re-fetch (ADR-0008);
 * - `GET /ofrep/v1/events`: that SSE endpoint (notify-only).
 * Errors use OFREP's bodies (`{ key?, errorCode, errorDetails }`), not Cleave's.
 */
import { hash } from 'node:crypto';
import {
  type CompiledConfig,
  type EvaluationContext,
  type EvaluationResult,
  evaluate,
  evaluateAll,
  REASONS,
} from '@cleave/core';
import type { FastifyError, FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { compiledSerializerCompiler } from '../../http/compiled-serializer.js';
import { sendError } from '../../http/errors.js';
import { metadataOf } from '../../http/evaluation-details.js';
import { isJsonObject, withFastPath } from '../../http/strict-body-validator.js';
import type { EnvironmentAccess } from '../access/plugin.js';
import { currentEnvironmentAccess } from '../access/request-context.js';
import type { AssignmentSink } from './assignment-sink.js';
import type { SdkConfigService } from './config-service.js';
import type { EvaluationCounter } from './evaluation-counter.js';
import { recordEvaluations } from './evaluation-records.js';
import type { EvaluationUsage } from './evaluation-usage.js';
import { openEventStream } from './event-stream.js';
import { StreamQuery } from './schemas.js';
import { streamHolder } from './stream-holder.js';
import type { StreamHub } from './stream-hub.js';

export interface OfrepRoutesOptions {
  configs: SdkConfigService;
  /** Records the exposures of experiment assignments made by OFREP evaluations. */
  assignments?: AssignmentSink;
  hub: StreamHub;
  evaluations: EvaluationCounter;
  /** Told which flags were evaluated where (stale-flag clean-up). */
  usage?: EvaluationUsage;
  heartbeatMs?: number;
}

const ENVIRONMENT_KEYS = { access: { scope: 'environment_key', kinds: ['sdk', 'server'] } } as const;

const OfrepRequest = z.object({ context: z.record(z.string(), z.unknown()).optional() });

/** What OfrepRequest accepts, in its plainest form: `{}` or `{ context: {…} }`. */
function isPlainOfrepRequest(body: unknown): boolean {
  if (!isJsonObject(body)) return false;
  for (const name in body) if (name !== 'context') return false;
  return body.context === undefined || isJsonObject(body.context);
}

const MAX_FLAG_KEY = 200;

/** What the single-flag route's params schema accepts: `{ key }`, at most MAX_FLAG_KEY long. */
function isPlainFlagKey(params: unknown): boolean {
  return isJsonObject(params) && typeof params.key === 'string' && params.key.length <= MAX_FLAG_KEY;
}

/** The hot routes take plain requests without a zod parse and write answers with compiled serializers. */
const HOT_PATH = {
  validatorCompiler: withFastPath({ body: isPlainOfrepRequest, params: isPlainFlagKey }),
  serializerCompiler: compiledSerializerCompiler,
} as const;

const EMPTY_CONTEXT: EvaluationContext = Object.freeze({});
const OfrepSuccess = z.object({
  key: z.string(),
  value: z.unknown(),
  reason: z.enum(REASONS),
  variant: z.string().optional(),
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});
const OfrepFailure = z.object({
  key: z.string().optional(),
  errorCode: z.string(),
  errorDetails: z.string().optional(),
});
const OfrepBulk = z.object({
  flags: z.array(
    z.union([OfrepSuccess, OfrepFailure.extend({ metadata: z.record(z.string(), z.unknown()).optional() })]),
  ),
  eventStreams: z
    .array(z.object({ type: z.literal('sse'), url: z.string(), inactivityDelaySec: z.number().optional() }))
    .optional(),
});

type OfrepSuccessBody = z.infer<typeof OfrepSuccess>;
type OfrepFailureBody = z.infer<typeof OfrepFailure>;

/** OFREP error codes map from core's; a failed evaluation that still served a value is a success. */
type FailedResult = EvaluationResult & { errorCode: string };

function failedInOfrep(result: EvaluationResult): result is FailedResult {
  return result.errorCode !== undefined && (result.reason === 'ERROR' || result.variant === undefined);
}

function ofrepFailure(result: FailedResult): OfrepFailureBody {
  return {
    key: result.flagKey,
    errorCode: result.errorCode,
    errorDetails: result.errorMessage ?? result.errorCode,
  };
}

/** One shape for every success (no `variant`: `undefined`, which the serializer leaves out). */
function ofrepSuccess(result: EvaluationResult): OfrepSuccessBody {
  return {
    key: result.flagKey,
    value: result.value,
    reason: result.reason,
    variant: result.variant,
    metadata: metadataOf(result),
  };
}

function ofrepBody(result: EvaluationResult): OfrepSuccessBody | OfrepFailureBody {
  return failedInOfrep(result) ? ofrepFailure(result) : ofrepSuccess(result);
}

export const ofrepRoutes: FastifyPluginAsyncZod<OfrepRoutesOptions> = async (
  app,
  { configs, hub, evaluations, heartbeatMs = 15_000, assignments, usage },
) => {
  const records = { evaluations, usage, assignments };
  // OFREP clients read OFREP error bodies: a request that fails validation, or a body that is not
  // usable JSON, is INVALID_CONTEXT (the only part of an OFREP request there is to get wrong);
  // other statuses keep Cleave's bodies.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      const details = error.validation.map((issue) =>
        `${issue.instancePath || '/'} ${issue.message ?? ''}`.trim(),
      );
      return reply.status(400).send({ errorCode: 'INVALID_CONTEXT', errorDetails: details.join('; ') });
    }
    if (error.statusCode === 400) {
      return reply.status(400).send({ errorCode: 'INVALID_CONTEXT', errorDetails: error.message });
    }
    return sendError(error, request, reply);
  });

  /** The single-flag answer: the success body to return, or undefined once a failure was sent. */
  const answerOne = (
    reply: FastifyReply,
    { project, environment }: EnvironmentAccess,
    compiled: CompiledConfig,
    flagKey: string,
    context: EvaluationContext,
  ): OfrepSuccessBody | undefined => {
    const result = evaluate(compiled, flagKey, context);
    evaluations.countOne(project.key, result);
    if (result.errorCode !== 'FLAG_NOT_FOUND') usage?.seenOne(project.id, environment.id, result.flagKey);
    if (result.assignment !== undefined) {
      assignments?.record(
        { projectId: project.id, environmentId: environment.id },
        [result.assignment],
        context,
      );
    }
    if (!failedInOfrep(result)) return ofrepSuccess(result);
    reply.status(result.errorCode === 'FLAG_NOT_FOUND' ? 404 : 400).send(ofrepFailure(result));
    return undefined;
  };

  app.post(
    '/evaluate/flags/:key',
    {
      config: ENVIRONMENT_KEYS,
      ...HOT_PATH,
      schema: {
        tags: ['ofrep'],
        summary: 'OFREP: evaluate one flag',
        params: z.object({ key: z.string().max(MAX_FLAG_KEY) }),
        body: OfrepRequest,
        response: { 200: OfrepSuccess, 400: OfrepFailure, 404: OfrepFailure },
      },
    },
    // Not async: with the environment's config compiled already (every request after the first),
    // the answer is returned synchronously and sent without a promise or a microtask turn, and
    // without a closure per request.
    (request, reply) => {
      const access = currentEnvironmentAccess(request);
      const { key } = request.params;
      const context = (request.body.context as EvaluationContext | undefined) ?? EMPTY_CONTEXT;
      const current = configs.currentCompiled(access.project.id, access.environment.id);
      return current instanceof Promise
        ? current.then(({ compiled }) => answerOne(reply, access, compiled, key, context))
        : answerOne(reply, access, current.compiled, key, context);
    },
  );

  app.post(
    '/evaluate/flags',
    {
      config: ENVIRONMENT_KEYS,
      ...HOT_PATH,
      schema: {
        tags: ['ofrep'],
        summary: 'OFREP: evaluate every flag (ETag; advertises an SSE change stream)',
        body: OfrepRequest,
        querystring: z.object({
          flagConfigEtag: z.string().max(100).optional(),
          flagConfigLastModified: z.string().max(100).optional(),
        }),
        response: { 200: OfrepBulk, 304: z.null().describe('Neither the config nor the context changed') },
      },
    },
    // Synchronous once the config is compiled, like the single-flag route.
    (request, reply) => {
      const access = currentEnvironmentAccess(request);
      const { project, environment } = access;
      const answer = ({ compiled, version }: { compiled: CompiledConfig; version: number }) => {
        const context = (request.body.context as EvaluationContext | undefined) ?? EMPTY_CONTEXT;
        // Results depend on the config and the context, so the ETag covers both.
        const contextDigest = hash('sha256', JSON.stringify(context), 'base64url');
        const etag = `"${version}-${contextDigest.slice(0, 22)}"`;
        reply.header('etag', etag);
        if (request.headers['if-none-match'] === etag) {
          reply.status(304).send(null);
          return undefined;
        }
        const results = evaluateAll(compiled, context);
        recordEvaluations(records, access, results, context);
        return {
          flags: results.map(ofrepBody),
          eventStreams: [
            {
              type: 'sse' as const,
              // EventSource can't send headers: a browser-safe sdk key travels in the URL; server keys never do.
              url: `${publicOrigin(request)}/ofrep/v1/events${access.keyKind === 'sdk' ? `?key=${encodeURIComponent(bearerOf(request))}` : ''}`,
              inactivityDelaySec: 120,
            },
          ],
        };
      };
      const current = configs.currentCompiled(project.id, environment.id);
      return current instanceof Promise ? current.then(answer) : answer(current);
    },
  );

  app.get(
    '/events',
    {
      config: ENVIRONMENT_KEYS,
      schema: {
        tags: ['ofrep'],
        summary: 'OFREP change notifications: `refetchEvaluation` events carrying the new config ETag',
        querystring: StreamQuery,
      },
    },
    async (request, reply) => {
      const { project, environment } = currentEnvironmentAccess(request);
      let lastVersion = await configs.currentVersion(project.id, environment.id);
      const stream = openEventStream(reply, { heartbeatMs, retryMs: 1_000 });
      const announce = (version: number) => {
        if (version <= lastVersion) return;
        lastVersion = version;
        stream.send({ data: JSON.stringify({ type: 'refetchEvaluation', etag: `"${version}"` }) });
      };
      const unsubscribe = hub.subscribe(
        streamHolder(request),
        (bump) => announce(bump.configVersion),
        () => stream.close(),
        () => {
          configs.currentVersion(project.id, environment.id).then(announce, (error: unknown) => {
            request.log.warn({ err: error }, 'could not re-read the config version after a fan-out outage');
          });
        },
      );
      stream.onClose(unsubscribe);
    },
  );
};

function bearerOf(request: { headers: Record<string, unknown>; query: unknown }): string {
  const header = request.headers.authorization;
  if (typeof header === 'string') return header.replace(/^Bearer\s+/i, '');
  return (request.query as { key?: string }).key ?? '';
}

function publicOrigin(request: { protocol: string; host: string }): string {
  return `${request.protocol}://${request.host}`;
}
