/**
 * @module Installing Cleave's linear-time regex engine as the compiler of `matches` patterns
 * (see pattern-engine.ts for why it is installed rather than imported).
 */
import { installPatternCompiler } from './pattern-engine.js';
import { compileRegex, type Regex, RegexSyntaxError } from './regex.js';

/** The engine's compiled pattern, or its message for a pattern it does not support. */
function compileOrExplain(pattern: string): Regex | string {
  try {
    return compileRegex(pattern);
  } catch (error) {
    if (error instanceof RegexSyntaxError) return error.message;
    throw error;
  }
}

/** Idempotent. @example installRegexEngine(); compileConfig(payloadWithMatches); */
export function installRegexEngine(): void {
  installPatternCompiler(compileOrExplain);
}
