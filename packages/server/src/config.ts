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

const environmentSchema = z.object({
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
  CLEAVE_DATA_DIR: optionalString,
  REDIS_URL: urlWithProtocols(['redis:', 'rediss:']),
  NATS_URL: urlWithProtocols(['nats:', 'tls:']),
  LOG_LEVEL: optionalString.pipe(
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).optional(),
  ),
});

export type LogLevel = (typeof LOG_LEVELS)[number];

export type DatabaseConfig = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export interface Config {
  port: number;
  host: string;
  /** Directory for the embedded database and other local state; created on start. */
  dataDirectory: string;
  database: DatabaseConfig;
  redisUrl: string | undefined;
  natsUrl: string | undefined;
  logLevel: LogLevel;
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

/** Environment variables Cleave reads, with defaults and meaning: the README's table comes from here. */
export const ENVIRONMENT_VARIABLES = {
  PORT: 'HTTP port (default 8080)',
  HOST: 'interface to bind (default 0.0.0.0)',
  DATABASE_URL: 'PostgreSQL URL; unset means embedded SQLite in CLEAVE_DATA_DIR',
  CLEAVE_DATA_DIR: 'directory for embedded data (default ./.cleave)',
  REDIS_URL: 'Redis URL for cache, pub/sub and jobs; unset means in-process',
  NATS_URL: 'NATS URL for the JetStream event log; unset means direct commits',
  LOG_LEVEL: 'fatal | error | warn | info | debug | trace | silent (default info)',
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
  const dataDirectory = path.resolve(cwd, values.CLEAVE_DATA_DIR ?? '.cleave');
  return {
    port: values.PORT ?? 8080,
    host: values.HOST ?? '0.0.0.0',
    dataDirectory,
    database: values.DATABASE_URL
      ? { kind: 'postgres', url: values.DATABASE_URL }
      : { kind: 'sqlite', file: path.join(dataDirectory, 'cleave.db') },
    redisUrl: values.REDIS_URL,
    natsUrl: values.NATS_URL,
    logLevel: values.LOG_LEVEL ?? 'info',
  };
}
