/**
 * @module features/sdk-delivery/evaluation-records
 * What every answer that evaluates several flags for a context leaves behind: the evaluation
 * counters, the flags' usage (stale-flag clean-up) and the exposures of the experiment
 * assignments it made, so remote evaluation feeds experiments too.
 */
import type { EvaluationContext, EvaluationResult } from '@cleave/core';
import type { EnvironmentAccess } from '../access/plugin.js';
import { type AssignmentSink, assignmentsOf } from './assignment-sink.js';
import type { EvaluationCounter } from './evaluation-counter.js';
import { type EvaluationUsage, evaluatedFlagKeys } from './evaluation-usage.js';

export interface EvaluationRecords {
  evaluations: EvaluationCounter;
  usage?: EvaluationUsage | undefined;
  assignments?: AssignmentSink | undefined;
}

export function recordEvaluations(
  { evaluations, usage, assignments }: EvaluationRecords,
  { project, environment }: EnvironmentAccess,
  results: readonly EvaluationResult[],
  context: EvaluationContext,
): void {
  evaluations.count(project.key, results);
  usage?.seen(project.id, environment.id, evaluatedFlagKeys(results));
  assignments?.record(
    { projectId: project.id, environmentId: environment.id },
    assignmentsOf(results),
    context,
  );
}
