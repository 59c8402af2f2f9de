/**
 * @module config
 * The only reader of `process.env`: turns the environment into a validated, typed `Config`.
 * A bad value fails fast with one line that names the variable, so an operator never has to read a
 * stack trace to learn that `PORT=abc` is wrong.
 */
import path from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Empty strings count as unset: `FOO= npm start` should mean "use the default". */
const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

function urlWithProtocols(protocols: readonly string[]) {
  return optionalString.refine(
    (value) => {
      if (value === undefined) return true;
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((protocol) => `${protocol}//`).join(' or ')}` },
  );
}

const TRACE_EXPORTERS = ['otlp', 'console', 'none'] as const;
const TRACE_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

/** `key1=value1,key2=value2` (OpenTelemetry's list format; values percent-encoded). */
const keyValueList = optionalString.pipe(
  z
    .string()
    .refine(
      (value) =>
        value.split(',').every((pair) => {
          const separator = pair.indexOf('=');
          if (separator < 1) return false;
          try {
            decodeURIComponent(pair.slice(separator + 1));
            return true;
          } catch {
            return false;
          }
        }),
      'must be a list of key=value pairs separated by commas',
    )
    .transform(
      (value): Record<string, string> =>
        Object.fromEntries(
          value.split(',').map((pair) => {
            const separator = pair.indexOf('=');
            return [pair.slice(0, separator).trim(), decodeURIComponent(pair.slice(separator + 1).trim())];
          }),
        ),
    )
    .optional(),
);

/** One URL, or several separated by commas (the seed servers of a cluster). */
function urlListWithProtocols(protocols: readonly string[]) {
  return optionalString.refine(
    (value) => {
      if (value === undefined) return true;
      return value.split(',').every((part) => {
        try {
          return protocols.includes(new URL(part.trim()).protocol);
        } catch {
          return false;
        }
      });
    },
    {
      message: `must be a URL starting with ${protocols.map((protocol) => `${protocol}//`).join(' or ')} (several, for a cluster, separated by commas)`,
    },
  );
}

export const environmentSchema = z.object({
  PORT: optionalString.pipe(
    z
      .string()
      .regex(/^\d+$/, 'must be an integer between 0 and 65535')
      .transform(Number)
      .refine((port) => port <= 65_535, 'must be an integer between 0 and 65535')
      .optional(),
  ),
  HOST: optionalString,
  DATABASE_URL: urlWithProtocols(['postgres:', 'postgresql:']),
  DATABASE_READ_URL: urlWithProtocols(['postgres:', 'postgresql:']),
  CLEAVE_DATA_DIR: optionalString,
  REDIS_URL: urlWithProtocols(['redis:', 'rediss:']),
  NATS_URL: urlListWithProtocols(['nats:', 'tls:']),
  LOG_LEVEL: optionalString.pipe(
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).optional(),
  ),
  CLEAVE_LOG_COPY_FILE: optionalString,
  CLEAVE_INIT_ADMIN_EMAIL: optionalString.pipe(z.email({ error: 'must be an email address' }).optional()),
  CLEAVE_INIT_ADMIN_PASSWORD: optionalString.pipe(
    z.string().min(10, 'must be at least 10 characters').optional(),
  ),
  CLEAVE_INIT_ADMIN_TOKEN: optionalString.pipe(
    z
      .string()
      .regex(
        /^clv_admin_[A-Za-z0-9_-]{20,100}$/,
        'must look like clv_admin_<20-100 characters of A-Z a-z 0-9 _ ->',
      )
      .optional(),
  ),
  CLEAVE_INIT_SDK_KEY: optionalString.pipe(
    z
      .string()
      .regex(
        /^clv_sdk_[A-Za-z0-9_-]{20,100}$/,
        'must look like clv_sdk_<20-100 characters of A-Z a-z 0-9 _ ->',
      )
      .optional(),
  ),
  CLEAVE_SETUP_CODE: optionalString.pipe(
    z
      .string()
      .min(12, 'must be at least 12 characters')
      .max(200, 'must be at most 200 characters')
      .optional(),
  ),
  CLEAVE_TRUST_PROXY: optionalString.pipe(
    z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  ),
  CLEAVE_LOG_SDK_READS: optionalString.pipe(
    z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  ),
  CLEAVE_ROLES: optionalString.pipe(
    z
      .string()
      .regex(/^(api|worker)(,(api|worker))*$/, 'must be api, worker or api,worker')
      .optional(),
  ),
  CLEAVE_NATS_STREAM: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'must be 1-64 upper-case letters, digits or _')
      .optional(),
  ),
  CLEAVE_NATS_REPLICAS: positiveInteger(5),
  CLEAVE_EVENTS_RETENTION_DAYS: positiveInteger(3_650),
  // At least one full batch (1,000 events), or a single batch could never pass.
  CLEAVE_EVENTS_RATE_LIMIT: positiveInteger(1_000_000_000, 1_000),
  CLEAVE_EVENTS_RATE_LIMIT_PER_CLIENT: positiveInteger(1_000_000_000, 1_000),
  CLEAVE_SIGNIN_FAILURES_PER_ADDRESS: positiveInteger(1_000_000),
  CLEAVE_WEBHOOK_ALLOW_PRIVATE_NETWORKS: optionalString.pipe(
    z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  ),
  CLEAVE_ANALYSIS_CONCURRENCY: positiveInteger(64),
  CLEAVE_DEMO: optionalString.pipe(z.enum(['on', 'off'], { error: 'must be on or off' }).optional()),
  CLEAVE_UI_ANALYTICS_KEY: optionalString.pipe(
    z
      .string()
      .regex(
        /^clv_sdk_[A-Za-z0-9_-]{20,100}$/,
        'must be an sdk key (clv_sdk_…) of the project and environment that receive the events',
      )
      .optional(),
  ),
  OTEL_SDK_DISABLED: optionalString.pipe(
    z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  ),
  OTEL_TRACES_EXPORTER: optionalString.pipe(
    z.enum(TRACE_EXPORTERS, { error: `must be one of ${TRACE_EXPORTERS.join(', ')}` }).optional(),
  ),
  OTEL_EXPORTER_OTLP_ENDPOINT: urlWithProtocols(['http:', 'https:']),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: urlWithProtocols(['http:', 'https:']),
  OTEL_EXPORTER_OTLP_HEADERS: keyValueList,
  OTEL_SERVICE_NAME: optionalString,
  OTEL_RESOURCE_ATTRIBUTES: keyValueList,
  OTEL_TRACES_SAMPLER: optionalString.pipe(
    z.enum(TRACE_SAMPLERS, { error: `must be one of ${TRACE_SAMPLERS.join(', ')}` }).optional(),
  ),
  OTEL_TRACES_SAMPLER_ARG: optionalString.pipe(
    z
      .string()
      .regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'must be a number from 0 to 1')
      .transform(Number)
      .optional(),
  ),
});

function positiveInteger(max: number, min = 1) {
  const message = `must be an integer from ${min} to ${max}`;
  return optionalString.pipe(
    z
      .string()
      .regex(/^\d+$/, message)
      .transform(Number)
      .refine((value) => value >= min && value <= max, message)
      .optional(),
  );
}

export type LogLevel = (typeof LOG_LEVELS)[number];

export type TraceSampler = (typeof TRACE_SAMPLERS)[number];

/** OpenTelemetry tracing, on only when an `OTEL_*` variable asks for an exporter. */
export interface TracingConfig {
  exporter: 'otlp' | 'console';
  /** Full URL of the OTLP/HTTP (protobuf) traces endpoint. */
  endpoint: string;
  headers: Record<string, string>;
  serviceName: string;
  resourceAttributes: Record<string, string>;
  sampler: TraceSampler;
  /** Ratio for the `*traceidratio` samplers. */
  samplerRatio: number;
}

export type DatabaseConfig = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export interface Config {
  port: number;
  host: string;
  /** Directory for the embedded database and other local state; created on start. */
  dataDirectory: string;
  database: DatabaseConfig;
  /** A read-only PostgreSQL (a replica) for analysis queries; undefined: the main database. */
  readDatabaseUrl: string | undefined;
  redisUrl: string | undefined;
  natsUrl: string | undefined;
  logLevel: LogLevel;
  /** Log successful SDK reads (config, stream, evaluation, OFREP) at info too; off by default. */
  logSdkReads: boolean;
  /** A file every log line is also appended to (the test suite's log scan); undefined: stdout only. */
  logCopyFile: string | undefined;
  /** Behind a load balancer: trust X-Forwarded-For/Proto (client IPs, Secure cookies). */
  trustProxy: boolean;
  /** First-start provisioning for automation; each part applies only if it doesn't exist yet. */
  init: InitConfig;
  /** The code the first sign-up must present; random per start (and logged) when unset. */
  setupCode: string | undefined;
  /** `api` serves HTTP; `worker` runs the event writer, webhook deliveries and retention. */
  roles: { api: boolean; worker: boolean };
  events: {
    /** JetStream stream holding accepted events until the writer commits them. */
    natsStream: string;
    /** Copies of the stream kept by a NATS cluster (3 survives the loss of one node). */
    natsReplicas: number;
    retentionDays: number;
    /** Events per minute per key, every client together. */
    perKeyPerMinute: number;
    /** Events per minute per sdk key and client address (sdk keys are public). */
    perClientPerMinute: number;
  };
  /** Failed sign-ins from one address, across emails, before exponential back-off starts. */
  signInFailuresPerAddress: number;
  webhooks: {
    /** Deliver to loopback and private networks too (link-local and reserved ranges never). */
    allowPrivateNetworks: boolean;
  };
  analysis: {
    /** Analysis jobs one worker process runs at once. */
    concurrency: number;
  };
  /** Undefined unless the `OTEL_*` variables turn tracing on: then no span is ever made. */
  tracing: TracingConfig | undefined;
  /** Seed the demo project on an empty store: embedded (SQLite) stores only, unless CLEAVE_DEMO=off. */
  demo: boolean;
  /** The sdk key the UI reports its own usage with (page views, key actions); off when undefined. */
  uiAnalyticsKey: string | undefined;
}

export interface InitConfig {
  admin: { email: string; password: string } | undefined;
  adminToken: string | undefined;
  sdkKey: string | undefined;
}

/** Thrown for an invalid environment; `message` is the single line printed before exiting. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly variable: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Environment variables Cleave reads, with defaults and meaning; a test keeps the README's table in step. */
export const ENVIRONMENT_VARIABLES = {
  PORT: 'HTTP port (default 8080)',
  HOST: 'interface to bind (default 0.0.0.0)',
  DATABASE_URL: 'PostgreSQL URL; unset means embedded SQLite in CLEAVE_DATA_DIR',
  DATABASE_READ_URL: 'PostgreSQL URL of a read replica for analysis queries; unset means DATABASE_URL',
  CLEAVE_DATA_DIR: 'directory for embedded data (default ./.cleave)',
  REDIS_URL: 'Redis URL for cache, pub/sub and jobs; unset means in-process',
  NATS_URL:
    'NATS URL(s), comma-separated for a cluster, for the JetStream event log; unset means direct commits',
  LOG_LEVEL: 'fatal | error | warn | info | debug | trace | silent (default info)',
  CLEAVE_LOG_COPY_FILE: 'a file every log line is also appended to (default: none, stdout only)',
  CLEAVE_INIT_ADMIN_EMAIL: 'with CLEAVE_INIT_ADMIN_PASSWORD: on an empty instance, create this owner',
  CLEAVE_INIT_ADMIN_PASSWORD: 'password of CLEAVE_INIT_ADMIN_EMAIL (at least 10 characters)',
  CLEAVE_INIT_ADMIN_TOKEN: 'an admin API key (clv_admin_…) for the default project, created if missing',
  CLEAVE_INIT_SDK_KEY: "an sdk key (clv_sdk_…) for the default project's production environment",
  CLEAVE_SETUP_CODE:
    'the code the first sign-up must present (at least 12 characters); default: a random one, logged at start while no account exists',
  CLEAVE_TRUST_PROXY: 'true behind a load balancer: trust X-Forwarded-* (default false)',
  CLEAVE_LOG_SDK_READS:
    'true: log successful SDK reads (config, stream, evaluation, OFREP) at info too (default false)',
  CLEAVE_ROLES: 'api, worker or api,worker (default): which parts this process runs',
  CLEAVE_NATS_STREAM: 'JetStream stream name for events (default CLEAVE_EVENTS)',
  CLEAVE_NATS_REPLICAS:
    'copies of the events stream in a NATS cluster, 1-5 (default 1; 3 for a 3-node cluster)',
  CLEAVE_EVENTS_RETENTION_DAYS: 'events older than this are dropped (default 90)',
  CLEAVE_EVENTS_RATE_LIMIT:
    'events (not requests) per minute per sdk or server key, all clients together (default 1000000; at least 1000)',
  CLEAVE_EVENTS_RATE_LIMIT_PER_CLIENT:
    'events per minute per sdk key and client address (IPv6: per /64), so one browser cannot spend the shared key’s budget (default 20000; at least 1000)',
  CLEAVE_SIGNIN_FAILURES_PER_ADDRESS:
    'failed sign-ins from one address, across emails, before each further one doubles the wait (1 s … 15 min; default 20)',
  CLEAVE_WEBHOOK_ALLOW_PRIVATE_NETWORKS:
    'true lets webhooks reach loopback and private networks, e.g. a receiver on localhost (default false)',
  CLEAVE_ANALYSIS_CONCURRENCY: 'analysis jobs one worker process runs at once (default 2)',
  CLEAVE_DEMO:
    'off: do not seed the demo project on a fresh embedded store (default on; never seeded with DATABASE_URL)',
  CLEAVE_UI_ANALYTICS_KEY:
    "an sdk key (clv_sdk_…): the UI reports its page views and key actions to that key's project and environment (default: off)",
  OTEL_TRACES_EXPORTER: 'otlp or console turns OpenTelemetry tracing on; none or unset: off',
  OTEL_EXPORTER_OTLP_ENDPOINT: 'OTLP/HTTP base URL (traces go to /v1/traces); setting it turns tracing on',
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'OTLP/HTTP traces URL, used as is; setting it turns tracing on',
  OTEL_EXPORTER_OTLP_HEADERS: 'key=value,… headers sent to the OTLP endpoint (e.g. an API key)',
  OTEL_SERVICE_NAME: 'service.name of the spans (default cleave)',
  OTEL_RESOURCE_ATTRIBUTES: 'key=value,… resource attributes of the spans',
  OTEL_TRACES_SAMPLER: 'sampler (default parentbased_always_on)',
  OTEL_TRACES_SAMPLER_ARG: 'ratio from 0 to 1 for the traceidratio samplers (default 1)',
  OTEL_SDK_DISABLED: 'true turns tracing off whatever else is set',
} as const;

/**
 * Reads and validates the environment.
 * @throws ConfigError naming the first bad variable.
 * @example loadConfig({ PORT: '9000' }).port // 9000
 */
export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    const received = env[variable];
    const shown = received === undefined ? '' : ` (got ${JSON.stringify(received)})`;
    throw new ConfigError(
      `Invalid configuration: ${variable} ${issue?.message ?? 'is invalid'}${shown}`,
      variable,
    );
  }
  const values = parsed.data;
  if (Boolean(values.CLEAVE_INIT_ADMIN_EMAIL) !== Boolean(values.CLEAVE_INIT_ADMIN_PASSWORD)) {
    const missing = values.CLEAVE_INIT_ADMIN_EMAIL ? 'CLEAVE_INIT_ADMIN_PASSWORD' : 'CLEAVE_INIT_ADMIN_EMAIL';
    throw new ConfigError(
      `Invalid configuration: ${missing} is required with the other CLEAVE_INIT_ADMIN_ variable`,
      missing,
    );
  }
  if (values.DATABASE_READ_URL && !values.DATABASE_URL) {
    throw new ConfigError(
      'Invalid configuration: DATABASE_READ_URL needs DATABASE_URL (a replica of the PostgreSQL database)',
      'DATABASE_READ_URL',
    );
  }
  const dataDirectory = path.resolve(cwd, values.CLEAVE_DATA_DIR ?? '.cleave');
  return {
    port: values.PORT ?? 8080,
    host: values.HOST ?? '0.0.0.0',
    dataDirectory,
    database: values.DATABASE_URL
      ? { kind: 'postgres', url: values.DATABASE_URL }
      : { kind: 'sqlite', file: path.join(dataDirectory, 'cleave.db') },
    readDatabaseUrl: values.DATABASE_READ_URL,
    redisUrl: values.REDIS_URL,
    natsUrl: values.NATS_URL,
    logLevel: values.LOG_LEVEL ?? 'info',
    logSdkReads: values.CLEAVE_LOG_SDK_READS === 'true',
    logCopyFile: values.CLEAVE_LOG_COPY_FILE,
    trustProxy: values.CLEAVE_TRUST_PROXY === 'true',
    setupCode: values.CLEAVE_SETUP_CODE,
    roles: {
      api: (values.CLEAVE_ROLES ?? 'api,worker').split(',').includes('api'),
      worker: (values.CLEAVE_ROLES ?? 'api,worker').split(',').includes('worker'),
    },
    events: {
      natsStream: values.CLEAVE_NATS_STREAM ?? 'CLEAVE_EVENTS',
      natsReplicas: values.CLEAVE_NATS_REPLICAS ?? 1,
      retentionDays: values.CLEAVE_EVENTS_RETENTION_DAYS ?? 90,
      perKeyPerMinute: values.CLEAVE_EVENTS_RATE_LIMIT ?? 1_000_000,
      perClientPerMinute: values.CLEAVE_EVENTS_RATE_LIMIT_PER_CLIENT ?? 20_000,
    },
    signInFailuresPerAddress: values.CLEAVE_SIGNIN_FAILURES_PER_ADDRESS ?? 20,
    webhooks: { allowPrivateNetworks: values.CLEAVE_WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'true' },
    analysis: { concurrency: values.CLEAVE_ANALYSIS_CONCURRENCY ?? 2 },
    tracing: tracingConfig(values),
    demo: !values.DATABASE_URL && values.CLEAVE_DEMO !== 'off',
    uiAnalyticsKey: values.CLEAVE_UI_ANALYTICS_KEY,
    init: {
      admin:
        values.CLEAVE_INIT_ADMIN_EMAIL && values.CLEAVE_INIT_ADMIN_PASSWORD
          ? { email: values.CLEAVE_INIT_ADMIN_EMAIL, password: values.CLEAVE_INIT_ADMIN_PASSWORD }
          : undefined,
      adminToken: values.CLEAVE_INIT_ADMIN_TOKEN,
      sdkKey: values.CLEAVE_INIT_SDK_KEY,
    },
  };
}

/**
 * Tracing is opt-in: on when `OTEL_TRACES_EXPORTER` names an exporter or an OTLP endpoint is set,
 * off when neither is, or `OTEL_SDK_DISABLED=true`, or the exporter is `none`.
 */
function tracingConfig(values: z.output<typeof environmentSchema>): TracingConfig | undefined {
  const base = values.OTEL_EXPORTER_OTLP_ENDPOINT;
  const asked =
    values.OTEL_TRACES_EXPORTER !== undefined ||
    base !== undefined ||
    values.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== undefined;
  if (!asked || values.OTEL_SDK_DISABLED === 'true' || values.OTEL_TRACES_EXPORTER === 'none')
    return undefined;
  const resourceAttributes = values.OTEL_RESOURCE_ATTRIBUTES ?? {};
  return {
    exporter: values.OTEL_TRACES_EXPORTER ?? 'otlp',
    endpoint:
      values.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
      (base ? `${base.replace(/\/+$/, '')}/v1/traces` : 'http://localhost:4318/v1/traces'),
    headers: values.OTEL_EXPORTER_OTLP_HEADERS ?? {},
    serviceName: values.OTEL_SERVICE_NAME ?? resourceAttributes['service.name'] ?? 'cleave',
    resourceAttributes,
    sampler: values.OTEL_TRACES_SAMPLER ?? 'parentbased_always_on',
    samplerRatio: values.OTEL_TRACES_SAMPLER_ARG ?? 1,
  };
}
