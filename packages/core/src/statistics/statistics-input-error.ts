/**
 * @module The error the statistics engine throws for input a schema cannot judge on its own:
 * inconsistent sums, a zero control mean under a relative effect, no variation at all.
 */
import type { ValidationIssue } from '../model/validation-result.js';

/**
 * Input that parses but cannot be analysed. `issues` name each problem with a JSON Pointer into
 * the request (`/variants/1/sumSquares`), like every other validation issue in core; the server
 * answers it with 400 and the issues as `details`.
 */
export class StatisticsInputError extends Error {
  readonly code = 'invalid_statistics_input';
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[]) {
    super(issues.map((issue) => `${issue.path || '/'}: ${issue.message}`).join('; '));
    this.name = 'StatisticsInputError';
    this.issues = issues;
  }
}

/** Throws a `StatisticsInputError` when `issues` is not empty. */
export function throwIfIssues(issues: readonly ValidationIssue[]): void {
  if (issues.length > 0) throw new StatisticsInputError(issues);
}
