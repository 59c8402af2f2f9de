/**
 * @module features/sdk-delivery/assignment-sink
 * Where remote evaluation (`POST /api/v1/evaluate`, OFREP) reports the experiment assignments it
 * made, so the server records their exposures itself: apps using OFREP providers get results
 * without sending exposures by hand. Implemented by the events feature (`ExposureRecorder`).
 */
import type { EvaluationContext, EvaluationResult, ExperimentAssignment } from '@cleave/core';

export interface AssignmentSink {
  /** Never throws and never waits on storage: evaluation answers regardless. */
  record(
    target: { projectId: string; environmentId: string },
    assignments: readonly ExperimentAssignment[],
    context: EvaluationContext,
  ): void;
}

/** The experiment assignments among evaluation results. */
export function assignmentsOf(results: readonly EvaluationResult[]): ExperimentAssignment[] {
  const assignments: ExperimentAssignment[] = [];
  for (const result of results) if (result.assignment) assignments.push(result.assignment);
  return assignments;
}
