#!/usr/bin/env node
import { StartupError, startServer } from './composition/server.js';
/**
 * @module main
 * The process entry point: environment → config → server; stops gracefully on SIGTERM/SIGINT.
 * Start-up problems print one line and exit non-zero, never a stack trace.
 */
import { ConfigError, loadConfig } from './runtime/config.js';
import { createLogger } from './runtime/logger.js';

/** How long in-flight work may take to drain before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  // Before anything makes a span or a log line that should carry one. The SDK is loaded only
  // when tracing is on: with OTEL_* unset it costs not even its start-up time.
  const tracing = config.tracing && (await import('./runtime/tracing.js')).startTracing(config.tracing);
  const logger = createLogger(config.logLevel, {
    traceIds: tracing !== undefined,
    ...(config.logCopyFile && { copyTo: config.logCopyFile }),
  });
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(config, logger);
  } catch (error) {
    await tracing?.shutdown();
    const message = error instanceof StartupError || error instanceof Error ? error.message : String(error);
    logger.fatal({ err: error }, 'start-up failed');
    process.stderr.write(`Cleave could not start: ${message}\n`);
    process.exit(1);
  }
  logger.info({ url: server.url }, `Cleave is running at ${server.url}`);
  if (process.stdout.isTTY) {
    process.stdout.write(`\n  Cleave is running at ${server.url}  (API docs: ${server.url}/docs)\n\n`);
    if (server.setupCode)
      process.stdout.write(`  No account yet: sign up with the setup code ${server.setupCode}\n\n`);
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: draining in-flight work');
    const force = setTimeout(() => {
      logger.error('shutdown grace period elapsed; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    server
      .stop()
      // Spans of the last requests are still in the batch: export them before exiting.
      .then(() => tracing?.shutdown())
      .then(
        () => {
          logger.info('shutdown complete');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

await main();
