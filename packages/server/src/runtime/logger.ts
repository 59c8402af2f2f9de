/**
 * @module logger
 * Structured JSON logs (pino). Secrets never reach a log line: credentials in headers are redacted,
 * and so are credentials in query strings (`?key=` on SDK streams, where browsers must put their
 * key; a server or admin key sent there by mistake is refused, but was logged whole).
 * With tracing on, lines written inside a span carry its ids, so a log line leads to its trace.
 */
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import { type Logger, pino } from 'pino';
import type { LogLevel } from './config.js';
import { activeTraceIds } from './trace-context.js';

/** Query parameters that carry credentials, by name (case-insensitive). */
const SECRET_PARAMETER = /^(key|api[-_]?key|token|access[-_]?token|secret|password)$/i;
export const REDACTED = '[redacted]';

export interface LoggerOptions {
  /** Tracing is on: each line written inside a span carries its `traceId` and `spanId`. */
  traceIds?: boolean;
  /** Where lines go instead of stdout (tests). */
  destination?: NodeJS.WritableStream;
  /**
   * A file every line is also appended to (`CLEAVE_LOG_COPY_FILE`): the test suite's log scan
   * collects what every server it starts logs. Written synchronously, so a killed process loses
   * no line and lines of several processes appending to one file never interleave.
   */
  copyTo?: string;
}

export function createLogger(level: LogLevel, options: LoggerOptions = {}): Logger {
  const settings = {
    level,
    base: { service: 'cleave' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      censor: '[redacted]',
    },
    ...(options.traceIds && { mixin: () => activeTraceIds() ?? {} }),
  };
  const primary = options.destination ?? pino.destination(1);
  if (!options.copyTo) return options.destination ? pino(settings, options.destination) : pino(settings);
  const copy = pino.destination({ dest: options.copyTo, append: true, sync: true, mkdir: true });
  return pino(
    settings,
    pino.multistream([
      { stream: primary, level: 'trace' },
      { stream: copy, level: 'trace' },
    ]),
  );
}

/** `url` with the values of credential-bearing query parameters replaced by `[redacted]`. */
export function redactUrlSecrets(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return url;
  const query = url.slice(queryStart + 1);
  const redacted = query
    .split('&')
    .map((pair) => {
      const separator = pair.indexOf('=');
      const name = separator < 0 ? pair : pair.slice(0, separator);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // An undecodable name is compared as written.
      }
      return separator >= 0 && SECRET_PARAMETER.test(decoded) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${url.slice(0, queryStart)}?${redacted}`;
}

/**
 * The logger Fastify should use: the given one, with requests serialised like Fastify's own
 * serializer but with credentials in the URL redacted. Applied in `buildApp`, so it holds for any
 * logger handed in.
 */
export function withRedactedRequests(logger: FastifyBaseLogger): FastifyBaseLogger {
  return logger.child(
    {},
    {
      serializers: {
        req: (request: FastifyRequest) => ({
          method: request.method,
          url: redactUrlSecrets(request.url),
          host: request.host,
          remoteAddress: request.ip,
          remotePort: request.socket?.remotePort,
        }),
      },
    },
  );
}
