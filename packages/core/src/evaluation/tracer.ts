/**
 * @module The trace builders `resolveFlag` calls when a trace is wanted. They reach it through
 * the evaluation state rather than as imports, so that code which never asks for a trace (the
 * SDK, through `evaluateWithoutTrace`) leaves them, and their messages, out of its bundle:
 * `evaluate` passes EXPLAIN_TRACER (explain-tracer.ts).
 */
import type { AssignmentDetails } from './assign-experiment.js';
import type { CompiledRule } from './compile-flag.js';
import type { traceDefault, traceDisabled, traceOverride, tracePrerequisite } from './flag-trace.js';
import type {
  traceAssigned,
  traceBroken,
  traceConditionsFailed,
  traceForced,
  traceOutsideSchedule,
  traceRollout,
  traceUnitIdMissing,
} from './rule-trace.js';
import type { TraceEntry } from './trace.js';

export interface Tracer {
  readonly disabled: typeof traceDisabled;
  readonly prerequisite: typeof tracePrerequisite;
  readonly override: typeof traceOverride;
  readonly broken: typeof traceBroken;
  readonly outsideSchedule: typeof traceOutsideSchedule;
  readonly conditionsFailed: typeof traceConditionsFailed;
  readonly forced: typeof traceForced;
  readonly unitIdMissing: typeof traceUnitIdMissing;
  readonly rollout: typeof traceRollout;
  readonly assigned: typeof traceAssigned;
  /** An experiment rule that did not assign the unit (`variation` < 0). */
  readonly excluded: (
    trace: TraceEntry[],
    rule: CompiledRule,
    variation: number,
    details: AssignmentDetails,
  ) => void;
  readonly default: typeof traceDefault;
}
