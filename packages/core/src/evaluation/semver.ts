/**
 * @module Semantic versions (https://semver.org, 2.0.0) for the semver_* operators.
 */

/** A parsed version; build metadata is dropped because it never affects precedence (§10). */
export interface Semver {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** Pre-release identifiers: numeric ones as numbers, the rest as strings. Empty for a release. */
  readonly prerelease: readonly (string | number)[];
}

// The regular expression recommended by semver.org, with an optional leading "v" because
// applications often report versions as "v1.2.3".
const SEMVER_PATTERN =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*)?$/;

const NUMERIC_IDENTIFIER = /^\d+$/;

/**
 * Parses `MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]`, optionally prefixed by `v`; `undefined` if the
 * text is not a full semantic version (no "1.2" shorthand: it would be ambiguous across SDKs).
 */
export function parseSemver(text: string): Semver | undefined {
  if (text.length > 256) return undefined;
  const match = SEMVER_PATTERN.exec(text);
  if (match === null) return undefined;
  const prerelease =
    match[4] === undefined
      ? []
      : match[4]
          .split('.')
          .map((identifier) => (NUMERIC_IDENTIFIER.test(identifier) ? Number(identifier) : identifier));
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]), prerelease };
}

/** Negative, zero or positive as `a` has lower, equal or higher precedence than `b` (§11). */
export function compareSemver(a: Semver, b: Semver): number {
  const left = a.prerelease;
  const right = b.prerelease;
  let order = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  // A pre-release has lower precedence than the release itself (1.0.0-alpha < 1.0.0).
  if (order !== 0 || left.length === 0 || right.length === 0) return order || right.length - left.length;
  for (let i = 0; order === 0 && i < left.length && i < right.length; i++) {
    const x = left[i];
    const y = right[i];
    // Numeric identifiers compare numerically and rank below alphanumeric ones.
    order =
      x === y
        ? 0
        : typeof x === 'number'
          ? typeof y === 'number'
            ? x - y
            : -1
          : typeof y === 'number' || String(x) > String(y)
            ? 1
            : -1;
  }
  return order || left.length - right.length;
}
