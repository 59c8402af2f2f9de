/**
 * @module The regex engine as the compiler of `matches` patterns (pattern-engine.ts): the
 * compiled pattern, or the engine's message for one it does not support.
 */
import { compileRegex, type Regex, RegexSyntaxError } from './regex.js';

/** @example compileOrExplain('(a)\\1'); // 'uses a backreference, which is not supported (…)' */
export function compileOrExplain(pattern: string): Regex | string {
  try {
    return compileRegex(pattern);
  } catch (error) {
    if (error instanceof RegexSyntaxError) return error.message;
    throw error;
  }
}
