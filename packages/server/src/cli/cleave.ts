#!/usr/bin/env node
/**
 * @module cleave-cli
 * `cleave backup|restore|migrate` (`npm run cleave -- <command>`): see cli/commands.ts.
 */
import { runCleave } from './commands.js';

process.exitCode = await runCleave(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
