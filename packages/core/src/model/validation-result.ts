/**
 * @module Validation results: every bad field, each with its JSON Pointer path.
 */
import type { z } from 'zod';

/** One bad field: `path` is a JSON Pointer (RFC 6901) into the validated input, `""` for the root. */
export interface ValidationIssue {
  path: string;
  message: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

/**
 * Formats a path as a JSON Pointer. Pointers rather than dotted paths because keys may contain
 * dots (`environments/prod.eu`); `~` and `/` are escaped as the RFC says.
 */
export function toJsonPointer(path: readonly PropertyKey[]): string {
  let pointer = '';
  for (const segment of path) {
    pointer += `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`;
  }
  return pointer;
}

type ZodIssue = z.core.$ZodIssue;

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

/**
 * Picks the union branch the input was meant for. Zod reports every branch of a failed union;
 * for `{ all: [...] }` that would bury the real problem under "attribute is missing". A branch
 * whose issues point at keys the input does not have is a branch the author did not choose, so
 * the branch with the fewest such issues (then the fewest issues) wins.
 */
function chooseBranch(branches: readonly ZodIssue[][], value: unknown): ZodIssue[] | undefined {
  let best: ZodIssue[] | undefined;
  let bestMissing = Number.POSITIVE_INFINITY;
  for (const branch of branches) {
    if (branch.length === 0) continue;
    const missing = branch.filter((issue) => {
      const first = issue.path[0];
      return first !== undefined && valueAt(value, [first]) === undefined;
    }).length;
    if (
      missing < bestMissing ||
      (missing === bestMissing && best !== undefined && branch.length < best.length)
    ) {
      best = branch;
      bestMissing = missing;
    }
  }
  return best;
}

function collect(
  issue: ZodIssue,
  base: readonly PropertyKey[],
  input: unknown,
  out: ValidationIssue[],
): void {
  const path = [...base, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // Scalar unions (string | number) fail at the root of every branch: name all expected types.
    const rootOnly = issue.errors.every(
      (branch) => branch.length === 1 && branch[0]?.path.length === 0 && branch[0].code === 'invalid_type',
    );
    if (rootOnly) {
      const expected = issue.errors.map((branch) =>
        branch[0]?.code === 'invalid_type' ? branch[0].expected : '',
      );
      out.push({ path: toJsonPointer(path), message: `Invalid input: expected ${expected.join(' or ')}` });
      return;
    }
    const branch = chooseBranch(issue.errors, valueAt(input, path));
    if (branch !== undefined) {
      for (const inner of branch) collect(inner, path, input, out);
      return;
    }
  }
  out.push({ path: toJsonPointer(path), message: issue.message });
}

/** Maps zod issues to validation issues, resolving unions to the branch the input meant. */
export function issuesFromZod(issues: readonly ZodIssue[], input: unknown): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const issue of issues) collect(issue, [], input, out);
  return out;
}

/**
 * Parses `input` with `schema`, then runs `check` (cross-object rules) on the parsed value.
 * Never throws: absurdly deep input that exhausts the stack becomes an issue at the root.
 */
export function validateWith<T>(
  schema: z.ZodType<T>,
  input: unknown,
  check?: (value: T) => ValidationIssue[],
): ValidationResult<T> {
  try {
    const parsed = schema.safeParse(input);
    if (!parsed.success) return { ok: false, issues: issuesFromZod(parsed.error.issues, input) };
    const issues = check === undefined ? [] : check(parsed.data);
    return issues.length === 0 ? { ok: true, value: parsed.data } : { ok: false, issues };
  } catch (error) {
    return {
      ok: false,
      issues: [
        {
          path: '',
          message: `cannot be validated: ${error instanceof Error ? error.message : String(error)}`,
        },
      ],
    };
  }
}
