/**
 * @module The check a received config payload passes before it replaces the configuration in
 * use: core's compile step, which checks every object of the payload by hand (shapes, enums,
 * ranges, key syntax, variant references, regex safety, versions, dates, weight sums and the
 * references between objects, exactly what the server's zod schemas accept) while it compiles
 * it. A payload with any issue is refused whole with the paths of its problems, and the last good
 * configuration stays in use.
 *
 * One check, not two: the SDK used to run a structural guard of its own before compiling, which
 * refused a subset of what compiling then refused again (issue #14: the bytes of a browser bundle).
 */
import { type CompiledConfig, type ConfigPayload, compileConfig } from '@cleave/core/evaluation';

export interface PayloadIssue {
  /** JSON Pointer of the offending value. */
  readonly path: string;
  readonly message: string;
}

export type GuardResult =
  | { readonly ok: true; readonly payload: ConfigPayload; readonly compiled: CompiledConfig }
  | { readonly ok: false; readonly issues: readonly PayloadIssue[] };

/**
 * @example
 * const result = guardPayload(JSON.parse(body));
 * if (!result.ok) report(result.issues); // [{ path: '/flags/0/type', message: 'must be boolean, …' }]
 */
export function guardPayload(raw: unknown): GuardResult {
  const compiled = compileConfig(raw);
  return compiled.valid
    ? { ok: true, payload: raw as ConfigPayload, compiled }
    : { ok: false, issues: compiled.issues };
}
