/**
 * @module experiments/wizard/experiment-draft
 * An experiment as the creation wizard edits it (percentages, empty strings for "default"), the
 * create request it becomes, and which wizard step an API error's JSON Pointer belongs to, so
 * the wizard can go back to the step that holds the field.
 */
import type { paths } from '../../api/schema.gen.js';
import { weightsFromPercentages } from '../variation-weights.js';

export type CreateExperimentBody = NonNullable<
  paths['/api/v1/projects/{projectKey}/experiments']['post']['requestBody']
>['content']['application/json'];
export type AnalysisDraft = Required<
  Pick<
    NonNullable<CreateExperimentBody['analysis']>,
    'method' | 'effect' | 'alpha' | 'cuped' | 'cupedWindowDays' | 'correction' | 'sequentialTuning'
  >
> & { plannedUnits: number | null };

export interface VariationDraft {
  key: string;
  percentage: number;
}

export interface ExperimentDraft {
  name: string;
  /** `null`: derived from the name until someone edits it. */
  key: string | null;
  hypothesis: string;
  variations: VariationDraft[];
  /** Empty: the SDK's default unit (`targetingKey`). */
  hashAttribute: string;
  coveragePercent: number;
  /** A range of a layer, in percent of its units; `null`: not in a layer. */
  layer: { key: string; startPercent: number; endPercent: number } | null;
  metrics: { primary: string[]; secondary: string[]; guardrail: string[] };
  analysis: AnalysisDraft;
}

/** The server's defaults, so the review shows what will apply. */
export const DEFAULT_ANALYSIS: AnalysisDraft = {
  method: 'frequentist',
  effect: 'relative',
  alpha: 0.05,
  cuped: false,
  cupedWindowDays: 14,
  correction: 'none',
  sequentialTuning: 5000,
  plannedUnits: null,
};

export function emptyDraft(): ExperimentDraft {
  return {
    name: '',
    key: null,
    hypothesis: '',
    variations: [
      { key: 'control', percentage: 50 },
      { key: 'treatment', percentage: 50 },
    ],
    hashAttribute: '',
    coveragePercent: 100,
    layer: null,
    metrics: { primary: [], secondary: [], guardrail: [] },
    analysis: { ...DEFAULT_ANALYSIS },
  };
}

/** Percent to a fraction, without binary noise (33.33 % → 0.3333). */
const fraction = (percent: number) => Math.round(percent * 100) / 10_000;

/** The create request, or the reason the variation weights cannot be sent. */
export function toCreateBody(
  draft: ExperimentDraft,
  key: string,
): { ok: true; body: CreateExperimentBody } | { ok: false; message: string } {
  const weights = weightsFromPercentages(draft.variations.map((variation) => variation.percentage));
  if (!weights.ok) return weights;
  const { plannedUnits, ...analysis } = draft.analysis;
  return {
    ok: true,
    body: {
      key,
      ...(draft.name.trim() && { name: draft.name.trim() }),
      ...(draft.hypothesis.trim() && { hypothesis: draft.hypothesis.trim() }),
      variations: draft.variations.map((variation, index) => ({
        key: variation.key.trim(),
        weight: weights.weights[index] ?? 0,
      })),
      ...(draft.hashAttribute.trim() && { hashAttribute: draft.hashAttribute.trim() }),
      ...(draft.coveragePercent !== 100 && { coverage: fraction(draft.coveragePercent) }),
      ...(draft.layer && {
        layer: {
          key: draft.layer.key,
          range: { start: fraction(draft.layer.startPercent), end: fraction(draft.layer.endPercent) },
        },
      }),
      metrics: draft.metrics,
      analysis: { ...analysis, ...(plannedUnits !== null && { plannedUnits }) },
    },
  };
}

export const WIZARD_STEPS = [
  'Hypothesis',
  'Variations',
  'Targeting',
  'Metrics',
  'Analysis',
  'Review',
] as const;

const STEP_OF_FIELD: Record<string, number> = {
  key: 0,
  name: 0,
  description: 0,
  hypothesis: 0,
  tags: 0,
  variations: 1,
  seed: 2,
  hashAttribute: 2,
  coverage: 2,
  layer: 2,
  stickyBucketing: 2,
  metrics: 3,
  analysis: 4,
};

/** The step holding the field a body pointer (`/body/layer/range`) names; undefined for others. */
export function stepOfPointer(pointer: string): number | undefined {
  const match = /^\/body\/([^/]+)/.exec(pointer);
  return match?.[1] === undefined ? undefined : STEP_OF_FIELD[match[1]];
}

/** The first step any of the issues points into, to show after a failed create. */
export function firstStepWithIssue(issues: readonly { path: string }[]): number | undefined {
  const steps = issues
    .map((issue) => stepOfPointer(issue.path))
    .filter((step): step is number => step !== undefined);
  return steps.length === 0 ? undefined : Math.min(...steps);
}
