/**
 * @module logger
 * Structured JSON logs (pino). Secrets never reach a log line: credentials in headers are redacted.
 * With tracing on, lines written inside a span carry its ids, so a log line leads to its trace.
 */
import { type Logger, pino } from 'pino';
import type { LogLevel } from './config.js';
import { activeTraceIds } from './trace-context.js';

export interface LoggerOptions {
  /** Tracing is on: each line written inside a span carries its `traceId` and `spanId`. */
  traceIds?: boolean;
  /** Where lines go instead of stdout (tests). */
  destination?: NodeJS.WritableStream;
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
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
