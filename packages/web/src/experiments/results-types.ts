/**
 * @module experiments/results-types
 * The shape of an experiment's results (`GET …/experiments/{key}/results`) and of analysis jobs,
 * named from the generated API types so they cannot drift from the server's response schemas.
 * Follows docs/analysis.md: numbers a method does not define are `null`, never NaN.
 */
import type { paths } from '../api/schema.gen.js';

type JsonOf<Response> = Response extends { content: { 'application/json': infer Body } } ? Body : never;

export type ExperimentResults = JsonOf<
  paths['/api/v1/projects/{projectKey}/experiments/{key}/results']['get']['responses'][200]
>;
export type AnalysisJob = JsonOf<
  paths['/api/v1/projects/{projectKey}/jobs/{jobId}']['get']['responses'][200]
>;

export type ResultsSettings = ExperimentResults['settings'];
export type MetricResult = ExperimentResults['metrics'][number];
export type MetricRole = MetricResult['role'];
export type VariantStatistics = MetricResult['variants'][number];
/** Relative (lift over control) or absolute (difference) `estimate`, per `settings.effect`. */
export type Comparison = MetricResult['comparisons'][number];
export type Verdict = Comparison['verdict'];
export type SeriesPoint = MetricResult['series'][number];
