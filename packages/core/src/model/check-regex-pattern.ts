/**
 * @module Save-time check of the `matches` operator's patterns.
 *
 * A pattern runs against attacker-influenced attributes on every evaluation, in servers and
 * browsers alike. Evaluation uses Cleave's own linear-time engine (evaluation/regex), so no
 * pattern can backtrack catastrophically; this check refuses, with the engine's own message,
 * what that engine does not support (backreferences, lookaround, …), so that an editor learns at
 * save time rather than from a broken rule. Length is capped too. The engine is the installed one
 * (evaluation/regex/pattern-engine.ts): core's main entry installs it; the SDK, when it needs it.
 */
import { compilePattern } from '../evaluation/regex/pattern-engine.js';

export const MAX_PATTERN_LENGTH = 500;

/**
 * Why `pattern` is not an acceptable `matches` pattern, or `undefined` if it is.
 *
 * @example
 * checkRegexPattern('(a)\\1'); // 'uses a backreference, which is not supported (…) (at offset 3)'
 */
export function checkRegexPattern(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) return `must be at most ${MAX_PATTERN_LENGTH} characters`;
  const compiled = compilePattern(pattern);
  return typeof compiled === 'string' ? compiled : undefined;
}
