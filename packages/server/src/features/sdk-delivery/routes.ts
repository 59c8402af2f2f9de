/**
 * @module features/sdk-delivery/routes
 * What SDKs and services call with an environment key:
 * - `GET /api/v1/sdk/config`: the environment's payload with an ETag (304 when unchanged);
 * - `GET /api/v1/sdk/stream`: Server-Sent Events, the new payload after every change, resumable
 *   with `Last-Event-ID`;
 * - `POST /api/v1/evaluate`: remote evaluation of every (or some) flag for a context.
 */
import { type CompiledConfig, type EvaluationContext, evaluate, evaluateAll } from '@cleave/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { compiledSerializerCompiler } from '../../http/compiled-serializer.js';
import { toEvaluationDetails } from '../../http/evaluation-details.js';
import { isJsonObject, withFastPath } from '../../http/strict-body-validator.js';
import { currentEnvironmentAccess } from '../access/request-context.js';
import type { AssignmentSink } from './assignment-sink.js';
import type { SdkConfigService } from './config-service.js';
import type { EvaluationCounter } from './evaluation-counter.js';
import { recordEvaluations } from './evaluation-records.js';
import type { EvaluationUsage } from './evaluation-usage.js';
import { openEventStream } from './event-stream.js';
import { EvaluateBody, EvaluateResponse, StreamQuery } from './schemas.js';
import { streamHolder } from './stream-holder.js';
import type { StreamHub } from './stream-hub.js';

export interface SdkRoutesOptions {
  configs: SdkConfigService;
  /** Records the exposures of experiment assignments made by `/evaluate`. */
  assignments?: AssignmentSink;
  hub: StreamHub;
  evaluations: EvaluationCounter;
  /** Told which flags were evaluated where (stale-flag clean-up). */
  usage?: EvaluationUsage;
  heartbeatMs?: number;
}

const ENVIRONMENT_KEYS = { access: { scope: 'environment_key', kinds: ['sdk', 'server'] } } as const;

const EVALUATE_FIELDS = new Set(['context', 'flags', 'explain']);

/** What EvaluateBody accepts, in its commonest form: a context, maybe `explain`, no flag list. */
function isPlainEvaluateBody(body: unknown): boolean {
  if (!isJsonObject(body)) return false;
  for (const name in body) if (!EVALUATE_FIELDS.has(name)) return false;
  return (
    isJsonObject(body.context) &&
    body.flags === undefined &&
    (body.explain === undefined || typeof body.explain === 'boolean')
  );
}

export const sdkRoutes: FastifyPluginAsyncZod<SdkRoutesOptions> = async (
  app,
  { configs, hub, evaluations, heartbeatMs = 15_000, assignments, usage },
) => {
  const records = { evaluations, usage, assignments };
  app.get(
    '/sdk/config',
    {
      config: ENVIRONMENT_KEYS,
      schema: {
        tags: ['sdk'],
        summary: "The environment's SDK config payload (ETag; 304 when unchanged)",
        description:
          'Authenticate with `Authorization: Bearer <sdk or server key>`. The body is the `ConfigPayload` of `@cleave/core`.',
      },
    },
    async (request, reply) => {
      const { project, environment } = currentEnvironmentAccess(request);
      const config = await configs.configFor(
        project.id,
        environment.id,
        await configs.currentVersion(project.id, environment.id),
      );
      reply.header('etag', config.etag).header('cache-control', 'no-cache');
      if (request.headers['if-none-match'] === config.etag) return reply.status(304).send();
      return reply.type('application/json; charset=utf-8').send(config.json);
    },
  );

  app.get(
    '/sdk/stream',
    {
      config: ENVIRONMENT_KEYS,
      schema: {
        tags: ['sdk'],
        summary: 'Server-Sent Events: `config` events with the full payload after every change',
        description:
          'Events: `event: config`, `id: <config version>`, `data: <ConfigPayload>`; heartbeat comments every 15 s. Send `Last-Event-ID` to skip the initial payload when you already have that version. Browsers may pass an sdk key as `?key=`.',
        querystring: StreamQuery,
      },
    },
    async (request, reply) => {
      const { project, environment } = currentEnvironmentAccess(request);
      const stream = openEventStream(reply, { heartbeatMs, retryMs: 1_000 });
      let lastSent = Number(request.headers['last-event-id'] ?? Number.NaN);
      let sending = Promise.resolve();
      const sendVersion = (version: number) => {
        // Serialised per stream, so a slow build can't deliver versions out of order.
        sending = sending
          .then(async () => {
            if (stream.closed || version <= lastSent) return;
            const config = await configs.configFor(project.id, environment.id, version);
            if (stream.closed || config.version <= lastSent) return;
            stream.send({ event: 'config', id: config.version, data: config.json });
            lastSent = config.version;
          })
          .catch((error: unknown) => {
            request.log.error({ err: error }, 'could not send a config update; closing the stream');
            stream.close();
          });
      };
      const unsubscribe = hub.subscribe(
        streamHolder(request),
        (bump) => sendVersion(bump.configVersion),
        () => stream.close(),
        () => {
          configs.currentVersion(project.id, environment.id).then(sendVersion, (error: unknown) => {
            request.log.warn({ err: error }, 'could not re-read the config version after a fan-out outage');
          });
        },
      );
      stream.onClose(unsubscribe);
      sendVersion(await configs.currentVersion(project.id, environment.id));
    },
  );

  app.post(
    '/evaluate',
    {
      config: ENVIRONMENT_KEYS,
      // Plain bodies skip the zod parse; answers are written by a compiled serializer.
      validatorCompiler: withFastPath({ body: isPlainEvaluateBody }),
      serializerCompiler: compiledSerializerCompiler,
      schema: {
        tags: ['sdk'],
        summary: 'Evaluate flags for a context on the server (with `explain`: why each value)',
        body: EvaluateBody,
        response: { 200: EvaluateResponse },
      },
    },
    // Synchronous once the config is compiled: the answer is sent without a promise.
    (request) => {
      const access = currentEnvironmentAccess(request);
      const { project, environment } = access;
      const answer = ({ compiled, version }: { compiled: CompiledConfig; version: number }) => {
        const context = request.body.context as EvaluationContext;
        const options = { explain: request.body.explain === true };
        const results = request.body.flags
          ? request.body.flags.map((key) => evaluate(compiled, key, context, options))
          : evaluateAll(compiled, context, options);
        recordEvaluations(records, access, results, context);
        return { configVersion: version, flags: results.map(toEvaluationDetails) };
      };
      const current = configs.currentCompiled(project.id, environment.id);
      return current instanceof Promise ? current.then(answer) : answer(current);
    },
  );
};
