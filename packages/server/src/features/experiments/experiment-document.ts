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

/**
 * How results are computed and refreshed, and when the experiment ends. Editable while the
 * experiment runs: none of it moves units between variations.
 */
export const AnalysisSettingsSchema = z.object({
  method: z.enum(['frequentist', 'bayesian', 'sequential']).default('frequentist'),
  /** `relative`: the lift (treatment − control) / control; `absolute`: the difference. */
  effect: z.enum(['absolute', 'relative']).default('relative'),
  alpha: z.number().gt(0).lt(0.5).default(0.05),
  /** Variance reduction with each unit's pre-exposure value of the same metric. */
  cuped: z.boolean().default(false),
  cupedWindowDays: z.number().int().min(1).max(90).default(14),
  /** Multiple-comparison correction over every treatment × primary metric. */
  correction: z.enum(['none', 'holm', 'bh']).default('none'),
  /** The sample size at which sequential intervals are tightest. */
  sequentialTuning: z.number().int().positive().max(1_000_000_000).default(5000),
  /** Exposures before this time are not analysed (e.g. after a bug fix). */
  startAt: z.iso.datetime({ offset: true }).optional(),
  /** How often a running experiment's results are recomputed. */
  refreshMinutes: z
    .number()
    .int()
    .min(5)
    .max(7 * 24 * 60)
    .default(60),
  /** The units the experiment needs (from sample-size planning): reaching them ends it. */
  plannedUnits: z.number().int().positive().optional(),
  /** The experiment ends at this time. */
  endAt: z.iso.datetime({ offset: true }).optional(),
  /** What ending means: a `experiment.ready` webhook, or also stopping it (inconclusive, no rollout). */
  onEnd: z.enum(['notify', 'stop']).default('notify'),
});

export type AnalysisSettings = z.infer<typeof AnalysisSettingsSchema>;

/** An experiment's analysis settings, with defaults for documents written before they existed. */
export function analysisSettingsOf(experiment: { analysis?: unknown }): AnalysisSettings {
  return AnalysisSettingsSchema.parse(experiment.analysis ?? {});
}

export const PhaseSchema = z.object({ startedAt: z.string(), stoppedAt: z.string().optional() });

export const experimentExtras = {
  hypothesis: z.string().max(5000).optional(),
  metrics: ExperimentMetricsSchema.default({ primary: [], secondary: [], guardrail: [] }),
  phases: z.array(PhaseSchema).default([]),
  decision: DecisionSchema.optional(),
  analysis: AnalysisSettingsSchema.prefault({}),
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
