/**
 * @module The tracer of `evaluate`: every trace builder (flag-trace.ts, rule-trace.ts). A plain
 * object literal, so that bundles which never import it drop it and all it imports.
 */
import { traceDefault, traceDisabled, traceOverride, tracePrerequisite } from './flag-trace.js';
import {
  experimentExclusion,
  traceAssigned,
  traceBroken,
  traceConditionsFailed,
  traceForced,
  traceOutsideSchedule,
  traceRollout,
  traceUnitIdMissing,
} from './rule-trace.js';
import type { Tracer } from './tracer.js';

export const EXPLAIN_TRACER: Tracer = {
  disabled: traceDisabled,
  prerequisite: tracePrerequisite,
  override: traceOverride,
  broken: traceBroken,
  outsideSchedule: traceOutsideSchedule,
  conditionsFailed: traceConditionsFailed,
  forced: traceForced,
  unitIdMissing: traceUnitIdMissing,
  rollout: traceRollout,
  assigned: traceAssigned,
  excluded: (trace, rule, variation, details) => {
    trace.push(experimentExclusion(rule, variation, details));
  },
  default: traceDefault,
};
