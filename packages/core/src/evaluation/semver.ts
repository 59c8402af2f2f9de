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
  if (a.major !== b.major) return a.major - b.major;
  if (a.minor !== b.minor) return a.minor - b.minor;
  if (a.patch !== b.patch) return a.patch - b.patch;
  // A pre-release has lower precedence than the release itself (1.0.0-alpha < 1.0.0).
  if (a.prerelease.length === 0) return b.prerelease.length === 0 ? 0 : 1;
  if (b.prerelease.length === 0) return -1;
  const shared = Math.min(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < shared; i++) {
    const left = a.prerelease[i];
    const right = b.prerelease[i];
    if (left === right) continue;
    // Numeric identifiers compare numerically and rank below alphanumeric ones.
    if (typeof left === 'number' && typeof right === 'number') return left - right;
    if (typeof left === 'number') return -1;
    if (typeof right === 'number') return 1;
    return String(left) < String(right) ? -1 : 1;
  }
  return a.prerelease.length - b.prerelease.length;
}
