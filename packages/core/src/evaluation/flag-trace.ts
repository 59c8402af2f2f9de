/**
 * @module Trace entries for the flag-level steps of resolving a flag: kill switch,
 * prerequisites, overrides and the default. Only called when a trace was requested, so that
 * `resolveFlag`'s hot path builds no message.
 */
import type { CompiledFlag, CompiledOverride, CompiledPrerequisite } from './compile-flag.js';
import type { ContextValue } from './context.js';
import { describeValue } from './explain-condition.js';
import type { TraceEntry } from './trace.js';

export function traceDisabled(trace: TraceEntry[], flag: CompiledFlag): void {
  trace.push({
    kind: 'disabled',
    message: `flag is disabled: off variant "${flag.variantKeys[flag.offIndex]}"`,
  });
}

/** `note` says why the prerequisite's variant is unavailable or suspect ('' when it is not). */
export function tracePrerequisite(
  trace: TraceEntry[],
  flag: CompiledFlag,
  prerequisite: CompiledPrerequisite,
  actual: string | undefined,
  note: string,
  passed: boolean,
): void {
  const required = prerequisite.variants.map((variant) => `"${variant}"`).join(', ');
  trace.push({
    kind: 'prerequisite',
    flagKey: prerequisite.flagKey,
    requiredVariants: prerequisite.variants,
    actualVariant: actual,
    passed,
    message: passed
      ? `prerequisite "${prerequisite.flagKey}" is "${actual}" (required: ${required})`
      : `prerequisite "${prerequisite.flagKey}" is ${actual === undefined ? 'unavailable' : `"${actual}"`}${note}, required one of ${required}: off variant "${flag.variantKeys[flag.offIndex]}"`,
  });
}

/** `served` is the overriding variant's index, or -1 when this override does not apply. */
export function traceOverride(
  trace: TraceEntry[],
  flag: CompiledFlag,
  override: CompiledOverride,
  value: ContextValue | undefined,
  served: number,
): void {
  const name = override.attribute.name;
  trace.push(
    served < 0
      ? {
          kind: 'override',
          attribute: name,
          value,
          matched: false,
          message: `no override for ${name} ${describeValue(value)}`,
        }
      : {
          kind: 'override',
          attribute: name,
          value,
          matched: true,
          variant: flag.variantKeys[served],
          message: `${name} ${describeValue(value)} is overridden to variant "${flag.variantKeys[served]}"`,
        },
  );
}

export function traceDefault(trace: TraceEntry[], flag: CompiledFlag): void {
  const variant = flag.variantKeys[flag.defaultIndex] ?? '';
  trace.push({
    kind: 'default',
    variant,
    message: flag.isStatic
      ? `no targeting: default variant "${variant}"`
      : `no rule matched: default variant "${variant}"`,
  });
}
