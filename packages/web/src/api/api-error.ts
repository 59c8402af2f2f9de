/**
 * @module api/api-error
 * The API's error body (`{ error: { code, message, details } }`) as an Error the UI can show:
 * a message for the page, and per-field messages keyed by the JSON Pointer the API names
 * (`/body/variants/0/value`), so forms put each one next to its field.
 */

interface ErrorBody {
  code: string;
  message: string;
  details?: { issues?: { path?: string; message?: string }[] } & Record<string, unknown>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Field messages by JSON Pointer, e.g. `/body/email`. */
    readonly fieldErrors: Readonly<Record<string, string>>,
    /** `error.details.reason`, when the API names one (e.g. `setup_code`, `csrf`). */
    readonly reason?: string,
    /** Every issue the API listed, in order, including those about other objects (`/flags[checkout]/…`). */
    readonly issues: readonly { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static from(status: number, body: unknown): ApiError {
    const error = readErrorBody(body);
    if (!error) return new ApiError(status, 'http_error', `The server answered ${status}.`, {});
    const fieldErrors: Record<string, string> = {};
    const issues: { path: string; message: string }[] = [];
    for (const issue of error.details?.issues ?? []) {
      if (typeof issue.path !== 'string' || typeof issue.message !== 'string') continue;
      issues.push({ path: issue.path, message: issue.message });
      if (!(issue.path in fieldErrors)) fieldErrors[issue.path] = issue.message;
    }
    const reason = typeof error.details?.reason === 'string' ? error.details.reason : undefined;
    return new ApiError(status, error.code, error.message, fieldErrors, reason, issues);
  }

  /** The message for a field, by its pointer inside the request body (`/email` → `/body/email`). */
  field(bodyPointer: string): string | undefined {
    return this.fieldErrors[`/body${bodyPointer}`];
  }
}

function readErrorBody(body: unknown): ErrorBody | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const error = (body as { error: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as Partial<ErrorBody>;
  if (typeof code !== 'string' || typeof message !== 'string') return undefined;
  return error as ErrorBody;
}

/** A field's message from whatever a mutation failed with (undefined when it names no field). */
export function fieldError(error: unknown, bodyPointer: string): string | undefined {
  return error instanceof ApiError ? error.field(bodyPointer) : undefined;
}
