/**
 * @module features/experiments/experiment-document
 * What the server stores for an experiment: `@cleave/core`'s experiment (what assignment needs)
 * plus what people need to run it well: a hypothesis, the metrics it is judged on, its phases and
 * the decision that concluded it.
 */
import {
  type Experiment,
  ExperimentSchema,
  KeySchema,
  type ValidationResult,
  validateExperiment,
} from '@cleave/core';
import { z } from 'zod';

export const ExperimentMetricsSchema = z.object({
  /** Decide on these; at least one is needed to start. */
  primary: z.array(KeySchema).max(10).default([]),
  secondary: z.array(KeySchema).max(50).default([]),
  /** Must not get worse (e.g. errors, latency). */
  guardrail: z.array(KeySchema).max(20).default([]),
});

export const DecisionSchema = z.object({
  outcome: z.enum(['ship', 'rollback', 'inconclusive']),
  /** The variation shipped, for `ship`. */
  variation: KeySchema.optional(),
  reason: z.string().max(2000).optional(),
  decidedAt: z.string(),
});

export const PhaseSchema = z.object({ startedAt: z.string(), stoppedAt: z.string().optional() });

export const experimentExtras = {
  hypothesis: z.string().max(5000).optional(),
  metrics: ExperimentMetricsSchema.default({ primary: [], secondary: [], guardrail: [] }),
  phases: z.array(PhaseSchema).default([]),
  decision: DecisionSchema.optional(),
};

const ExtrasSchema = z.object(experimentExtras);

export type ExperimentDocument = Experiment & z.infer<typeof ExtrasSchema>;

/** Core validates the experiment, this module the extras; issues from both come back together. */
export function validateExperimentDocument(input: unknown): ValidationResult<ExperimentDocument> {
  const core = validateExperiment(input);
  const extras = ExtrasSchema.safeParse(input);
  const issues = [
    ...(core.ok ? [] : core.issues),
    ...(extras.success
      ? []
      : extras.error.issues.map((issue) => ({
          path: `/${issue.path.map(String).join('/')}`,
          message: issue.message,
        }))),
  ];
  if (!core.ok || !extras.success || issues.length > 0) return { ok: false, issues };
  return { ok: true, value: { ...core.value, ...extras.data } };
}

/** The fields assignment depends on: fixed while an experiment runs. */
export const ASSIGNMENT_FIELDS = ['variations', 'seed', 'hashAttribute', 'layer', 'stickyBucketing'] as const;

export { ExperimentSchema };
