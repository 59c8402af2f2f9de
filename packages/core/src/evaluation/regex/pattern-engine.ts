/**
 * @module Where compiling finds the regex engine of the `matches` operator.
 *
 * The engine (regex.ts and its parser, about 3.7 KB gzip) is installed rather than imported, so
 * that browser bundles load it only when a configuration uses `matches` (issue #14): core's main
 * entry installs it as it loads (servers, tools, tests); the SDK imports `@cleave/core/regex` and
 * installs its `compileOrExplain` before it compiles a payload that mentions `matches`. Until
 * then a `matches` pattern is refused as unchecked, never matched some other way.
 */
import type { Regex } from './regex.js';

/** A pattern compiled, or the engine's reason for refusing it. */
export type PatternCompiler = (pattern: string) => Regex | string;

export const REGEX_ENGINE_MISSING = 'cannot be checked: the regex engine is not loaded (@cleave/core/regex)';

let installed: PatternCompiler | undefined;

/** @example installPatternCompiler(compileOrExplain); // once per process or page (idempotent) */
export function installPatternCompiler(compiler: PatternCompiler): void {
  installed = compiler;
}

export function isRegexEngineInstalled(): boolean {
  return installed !== undefined;
}

/**
 * @example
 * const compiled = compilePattern('^[a-z]+@example\\.com$');
 * if (typeof compiled === 'string') refuse(compiled); else compiled.test(email);
 */
export function compilePattern(pattern: string): Regex | string {
  return installed === undefined ? REGEX_ENGINE_MISSING : installed(pattern);
}
