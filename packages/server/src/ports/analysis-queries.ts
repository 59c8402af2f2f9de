/**
 * @module ports/analysis-queries
 * What the analysis needs from an events store: per-variant **sufficient statistics** computed
 * where the events are. Only aggregates cross this interface (a few rows per variant), never
 * events or per-unit rows, so the same analysis runs on SQLite, PostgreSQL, and later a
 * warehouse: each is one implementation of {@link AnalysisQueries}.
 *
 * Semantics every implementation follows (docs/analysis.md spells them out):
 * - counted exposures: the experiment's exposures in the environment with
 *   `startAt <= time < endAt`; a unit's first counted exposure gives its variant and time t0;
 * - units exposed to more than one variant, or only to variants the experiment does not have,
 *   are left out (and counted in {@link ExposureCounts});
 * - a unit's value for a metric comes from its tracked events in
 *   `[t0 + delayHours, t0 + delayHours + windowHours)` (no `windowHours`: up to `endAt`) that match
 *   the event name and filters: a count, a sum of values (no value adds 0), or for proportions
 *   1 when there is at least one such event; units with none count as 0;
 * - capping applies to each unit's value (ratio metrics: to the numerator): `min(x, cap)`, with a
 *   percentile cap taken over every analysed unit's value (all variants, zeros included, linear
 *   interpolation between order statistics);
 * - the CUPED covariate is the same metric over `[t0 - covariateDays·24h, t0)`, capped alike.
 */
import type { EventAggregate } from '@cleave/core';

export interface AnalysisScope {
  projectId: string;
  environmentId: string;
  experimentKey: string;
  /** The experiment's variation keys, control first: exposures to any other variant are unknown. */
  variations: readonly string[];
  /** ISO-8601; exposures before it are not counted. Absent: none excluded. */
  startAt?: string;
  /** ISO-8601 end of the analysis (exclusive): exposures at or after it are not counted. */
  endAt: string;
}

export type MetricCapping = { type: 'absolute'; value: number } | { type: 'percentile'; value: number };

/** A metric as the queries need it: its events, window, capping and optional covariate. */
export interface AnalysedMetric {
  key: string;
  type: 'proportion' | 'mean' | 'ratio';
  numerator: EventAggregate;
  /** Ratio metrics only. */
  denominator?: EventAggregate;
  delayHours: number;
  windowHours?: number;
  capping?: MetricCapping;
  /** Days of pre-exposure data for the CUPED covariate; absent: no covariate. Not for ratios. */
  covariateDays?: number;
}

/** Σa, Σa², and Σa·x with x the metric's value. */
export interface SumsWithProduct {
  sum: number;
  sumSquares: number;
  sumProduct: number;
}

/** One variant's sufficient statistics for one metric (the statistics engine's input shape). */
export interface VariantSums {
  variant: string;
  n: number;
  sum: number;
  sumSquares: number;
  /** CUPED: the pre-exposure value y, with Σy·x. */
  covariate?: SumsWithProduct;
  /** Ratio metrics: the per-unit denominator d, with Σx·d. */
  denominator?: SumsWithProduct;
}

export interface MetricSums {
  metric: string;
  /** The cap actually applied (a percentile cap resolved to its value); absent without capping. */
  cap?: number;
  /** One entry per variation of the scope, in its order (a variant without units has n = 0). */
  variants: VariantSums[];
}

export interface ExposureCounts {
  /** Analysed units per variation key, every variation present (0 when none). */
  units: Record<string, number>;
  /** Units exposed to more than one variant: left out. */
  multipleVariantUnits: number;
  /** Units exposed only to a variant the experiment does not have: left out. */
  unknownVariantUnits: number;
  /** The earliest counted exposure, ISO-8601; absent when there is none. */
  firstExposureAt?: string;
}

/** Values of a first-exposure attribute, most units first; the rest grouped. */
export const OTHER_DIMENSION_VALUE = 'other';
export const UNSET_DIMENSION_VALUE = '(not set)';
/** How many attribute values a breakdown names before grouping the rest under "other". */
export const DIMENSION_VALUE_LIMIT = 20;

export interface DimensionSums {
  metric: string;
  values: { value: string; variants: VariantSums[] }[];
}

/** A metric's statistics as of the end of each UTC day (cumulative), for effect-over-time charts. */
export interface DailySums {
  metric: string;
  days: { date: string; variants: VariantSums[] }[];
}

/** The exposure health and the metrics' sums of one analysis. */
export interface AnalysisSums {
  exposures: ExposureCounts;
  sums: MetricSums[];
}

export interface AnalysisQueries {
  /** Analysed units per variant and the units left out, for the experiment's health. */
  exposures(scope: AnalysisScope): Promise<ExposureCounts>;
  /** Per-variant sufficient statistics of every metric, in one pass over the events. */
  metricSums(scope: AnalysisScope, metrics: readonly AnalysedMetric[]): Promise<MetricSums[]>;
  /**
   * {@link exposures} and {@link metricSums} together, over one state of the data: what an analysis
   * job reads. An implementation may share work between the two (the analysed units' count).
   */
  analysis(scope: AnalysisScope, metrics: readonly AnalysedMetric[]): Promise<AnalysisSums>;
  /**
   * The same broken down by an attribute of each unit's first exposure: the
   * {@link DIMENSION_VALUE_LIMIT} values with most units, the rest as {@link OTHER_DIMENSION_VALUE},
   * units without it as {@link UNSET_DIMENSION_VALUE}. Caps are the overall ones.
   */
  dimensionSums(
    scope: AnalysisScope,
    metrics: readonly AnalysedMetric[],
    dimension: string,
  ): Promise<DimensionSums[]>;
  /**
   * Statistics per UTC day (cumulative), from the day of the first counted exposure to the last day
   * with a counted exposure or an event of a name the metrics read: each day but the last as the
   * analysis would have computed them at its end (only exposures and events that occurred before
   * it; percentile caps over the units and values of then), the last day `totals` — the
   * {@link metricSums} of the same scope, which the caller passes when it has just read them.
   */
  dailySums(
    scope: AnalysisScope,
    metrics: readonly AnalysedMetric[],
    totals?: readonly MetricSums[],
  ): Promise<DailySums[]>;
}

/**
 * State derived from the events that must follow them when retention drops old ones: the
 * analysis' per-unit facts. Forgotten state is rebuilt from the remaining events when next needed.
 */
export interface EventsDerivedState {
  /** Forgets whatever depends on events before `cutoff`; returns how many fact sets. */
  forgetEventsBefore(cutoff: Date): Promise<number>;
  /** Forgets whatever was derived from a deleted project's events; returns how many fact sets. */
  forgetProject(projectId: string): Promise<number>;
}
