/**
 * @module experiments/results-types
 * The shape of an experiment's results (`GET …/experiments/{key}/results`) and of analysis jobs,
 * typed by hand here — in this one module — until the analysis routes are in the server's OpenAPI
 * document; then these become aliases of the generated types. Follows docs/analysis.md: numbers a
 * method does not define are `null`, never NaN.
 */

export type Verdict = 'win' | 'loss' | 'inconclusive';
export type MetricRole = 'primary' | 'secondary' | 'guardrail';

export interface VariantStatistics {
  variant: string;
  n: number;
  mean: number | null;
  variance: number | null;
}

export interface Comparison {
  variant: string;
  /** Relative (lift over control) or absolute (difference), per `settings.effect`. */
  estimate: number | null;
  standardError: number | null;
  ciLower: number | null;
  ciUpper: number | null;
  pValue: number | null;
  adjustedPValue?: number | null;
  chanceToWin: number | null;
  expectedLoss: number | null;
  verdict: Verdict;
}

export interface SeriesPoint {
  date: string;
  variants: VariantStatistics[];
  comparisons: Comparison[];
}

export interface MetricResult {
  metric: string;
  role: MetricRole;
  /** Control first. */
  variants: VariantStatistics[];
  comparisons: Comparison[];
  series: SeriesPoint[];
  dimension?: {
    name: string;
    values: { value: string; variants: VariantStatistics[]; comparisons: Comparison[] }[];
  };
  /** Why a metric could not be analysed yet. */
  note?: string;
}

export interface ResultsSettings {
  method: 'frequentist' | 'bayesian' | 'sequential';
  effect: 'relative' | 'absolute';
  alpha: number;
  cuped?: boolean;
  correction?: string;
}

export interface ExperimentResults {
  snapshotId: string;
  computedAt: string;
  environment: string;
  settings: ResultsSettings;
  health: {
    units: Record<string, number>;
    srm: { chiSquare: number | null; pValue: number | null; flagged: boolean };
    multipleVariantUnits: number;
    unknownVariantUnits: number;
    guardrails: { metric: string; variant: string; regressed: boolean }[];
    plannedUnits: number | null;
    summary: { metric: string; variant: string; sentence: string }[];
  };
  metrics: MetricResult[];
}

export interface AnalysisJob {
  id: string;
  type: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  /** 0–1. */
  progress: number;
  error?: string;
  snapshotId?: string;
}
