/**
 * @module Save-time checks for the `matches` operator's regular expressions.
 *
 * A pattern runs against attacker-influenced attributes on every evaluation, in servers and
 * browsers alike, so a catastrophic pattern is a denial of service. A full ReDoS analysis is
 * out of reach without a dependency; these cheap checks reject the classic shapes: unbounded
 * quantifiers nested inside quantified groups (`(a+)+`, `(\w+\s?)*`) and backreferences (which
 * also do not exist in RE2-based SDKs). Length is capped too.
 */

export const MAX_PATTERN_LENGTH = 500;

const UNBOUNDED_BRACES = /^\{\d+,\}/;

function isUnboundedQuantifier(pattern: string, at: number): boolean {
  const character = pattern[at];
  if (character === '*' || character === '+') return true;
  return character === '{' && UNBOUNDED_BRACES.test(pattern.slice(at, at + 12));
}

/**
 * Why `pattern` is not an acceptable `matches` pattern, or `undefined` if it is.
 *
 * @example
 * checkRegexPattern('^(a+)+$'); // 'has a quantified group that contains an unbounded quantifier…'
 */
export function checkRegexPattern(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) return `must be at most ${MAX_PATTERN_LENGTH} characters`;
  try {
    new RegExp(pattern);
  } catch (error) {
    return `is not a valid regular expression (${error instanceof Error ? error.message : String(error)})`;
  }
  // One flag per open group: does it contain an unbounded quantifier?
  const groups: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const character = pattern[i];
    if (character === '\\') {
      const next = pattern[i + 1] ?? '';
      if (!inClass && ((next >= '1' && next <= '9') || next === 'k')) {
        return 'must not use backreferences (exponential time, and not portable to other SDKs)';
      }
      i++;
      continue;
    }
    if (inClass) {
      if (character === ']') inClass = false;
      continue;
    }
    if (character === '[') {
      inClass = true;
    } else if (character === '(') {
      groups.push(false);
    } else if (character === ')') {
      const containsUnbounded = groups.pop() ?? false;
      if (containsUnbounded && isUnboundedQuantifier(pattern, i + 1)) {
        return 'has a quantified group that contains an unbounded quantifier (catastrophic backtracking)';
      }
      if (containsUnbounded && groups.length > 0) groups[groups.length - 1] = true;
    } else if (isUnboundedQuantifier(pattern, i) && groups.length > 0) {
      groups[groups.length - 1] = true;
    }
  }
  return undefined;
}
