#!/usr/bin/env node
/**
 * @module migrate-cli
 * `npm run migrate`: applies pending migrations to the configured database and exits; the same
 * as `cleave migrate`.
 */
import { runCleave } from './commands.js';

process.exitCode = await runCleave(['migrate'], process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
