/**
 * @module @cleave/core
 * Cleave's pure domain: no I/O, runs in Node and browsers.
 *
 * - Model: zod schemas and types of flags, rules, conditions, segments, experiments, layers,
 *   holdouts and the environment config payload; save-time validation with paths.
 * - Hashing: MurmurHash3 x86 32-bit buckets (docs/hashing.md, vectors in `vectors/`).
 * - Evaluation: `compileConfig` once per payload version, then `evaluate` / `evaluateAll`.
 * - Statistics: `analyze` one metric's sufficient statistics (frequentist, bayesian, sequential;
 *   CUPED; ratio metrics), SRM, p-value corrections, sample sizes, verdicts (docs/statistics.md).
 *
 * @example
 * import { buildConfigPayload, compileConfig, evaluate } from '@cleave/core';
 * const compiled = compileConfig(buildConfigPayload({ environment: 'production', version: 7, flags,
 *   segments, experiments, layers, holdouts }));
 * evaluate(compiled, 'new-checkout', { targetingKey: 'user-42', country: 'NL' }, { explain: true });
 */

import { installRegexEngine } from './evaluation/regex/install-regex-engine.js';

// Whatever imports the main entry (the server, tools) has the `matches` engine at once; only the
// SDK's bundles, through `@cleave/core/evaluation`, load it on demand (regex/pattern-engine.ts).
installRegexEngine();

export { type CompiledConfig, compileConfig } from './evaluation/compile-config.js';
export type { CompiledFlag, CompiledRule } from './evaluation/compile-flag.js';
export type { ContextValue, EvaluationContext } from './evaluation/context.js';
export {
  type EvaluateAllOptions,
  type EvaluateOptions,
  evaluate,
  evaluateAll,
  evaluateWithoutTrace,
  MAX_PREREQUISITE_DEPTH,
} from './evaluation/evaluate.js';
export {
  type ErrorCode,
  type EvaluationResult,
  type ExperimentAssignment,
  type FlagMetadata,
  REASONS,
  type Reason,
} from './evaluation/evaluation-result.js';
export type { ConditionFailure } from './evaluation/explain-condition.js';
export { parseIsoDate } from './evaluation/iso-date.js';
export { compareSemver, parseSemver, type Semver } from './evaluation/semver.js';
export { MemoryStickyBucketStore, type StickyBucketStore } from './evaluation/sticky-bucket-store.js';
export type { RuleOutcome, RuleTraceEntry, TraceEntry } from './evaluation/trace.js';
export { encodeUtf8Into, utf8Bytes } from './hashing/encode-utf8.js';
export { bucketOf, createHashSalt, type HashSalt, hashBucket, hashUnit } from './hashing/hash-bucket.js';
export {
  coverageSalt,
  defaultRolloutSeed,
  holdoutSalt,
  layerSalt,
  rolloutSalt,
  variationSalt,
} from './hashing/hash-salts.js';
export { murmur3X86_32 } from './hashing/murmur3.js';
export { chooseVariation, variationRanges } from './hashing/variation-ranges.js';
export { API_KEY_KINDS, type ApiKeyKind, PROJECT_ROLES, type ProjectRole } from './model/access.js';
export { type BuildConfigPayloadInput, buildConfigPayload } from './model/build-config-payload.js';
export { checkRegexPattern, MAX_PATTERN_LENGTH } from './model/check-regex-pattern.js';
export {
  type AttributeCondition,
  AttributeConditionSchema,
  type Condition,
  type ConditionScalar,
  ConditionSchema,
  OPERATORS,
  type Operator,
} from './model/condition.js';
export {
  CONFIG_SCHEMA_VERSION,
  type ConfigPayload,
  ConfigPayloadSchema,
  HASH_VERSION,
  type PayloadFlag,
  PayloadFlagSchema,
} from './model/config-payload.js';
export {
  type DefinitionKindName,
  type DefinitionReference,
  definitionReferences,
} from './model/definition-references.js';
export { EVENT_TYPES, type EventType } from './model/event-type.js';
export {
  type Experiment,
  ExperimentSchema,
  type LayerRange,
  type Variation,
  VariationSchema,
  WEIGHT_SUM_TOLERANCE,
} from './model/experiment.js';
export {
  type Flag,
  type FlagEnvironment,
  FlagEnvironmentSchema,
  FlagSchema,
  type Override,
  OverrideSchema,
  type Prerequisite,
  PrerequisiteSchema,
  type Variant,
  VariantSchema,
} from './model/flag.js';
export {
  FLAG_TYPES,
  type FlagType,
  FlagTypeSchema,
  type FlagValue,
  type JsonValue,
  valueMatchesType,
} from './model/flag-value.js';
export { type Holdout, HoldoutSchema } from './model/holdout.js';
export { MAX_EVENT_PROPERTIES_DEPTH, nestsDeeperThan } from './model/json-depth.js';
export { AttributeSchema, KEY_PATTERN, KeySchema, SeedSchema } from './model/key.js';
export { type Layer, LayerSchema } from './model/layer.js';
export {
  CappingSchema,
  ConversionWindowSchema,
  type EventAggregate,
  EventAggregateSchema,
  EventNameSchema,
  type Metric,
  MetricSchema,
  type PropertyFilter,
  PropertyFilterSchema,
  validateMetric,
} from './model/metric.js';
export {
  type ExperimentRule,
  type ForceRule,
  type RolloutRule,
  type Rule,
  RuleSchema,
  type RuleType,
  type Schedule,
} from './model/rule.js';
export { type Segment, SegmentSchema } from './model/segment.js';
export {
  type DefinitionSet,
  DefinitionSetSchema,
  validateConfigPayload,
  validateDefinitionSet,
  validateExperiment,
  validateFlag,
  validateHoldout,
  validateLayer,
  validateSegment,
} from './model/validate.js';
export { toJsonPointer, type ValidationIssue, type ValidationResult } from './model/validation-result.js';
export { adjustPValues, type PValueAdjustment } from './statistics/adjust-p-values.js';
export {
  type AnalyzeResult,
  analyze,
  analyzeJson,
  type VariantResult,
  validateAnalyzeRequest,
} from './statistics/analyze.js';
export { normalLinearLoss } from './statistics/bayesian.js';
export type { Comparison } from './statistics/comparison.js';
export { type DescribeComparisonOptions, describeComparison } from './statistics/describe-comparison.js';
export {
  chiSquareSurvival,
  normalCdf,
  normalPdf,
  normalQuantile,
  normalSurvival,
  studentTCdf,
  studentTPdf,
  studentTSurvival,
  studentTTwoSided,
  studentTUpperQuantile,
} from './statistics/distributions.js';
export {
  AdjustResponseSchema,
  AnalyzeResponseSchema,
  ComparisonSchema,
  SampleSizeResponseSchema,
  SrmResponseSchema,
  VariantResultSchema,
} from './statistics/response-schemas.js';
export {
  isSampleRatioMismatch,
  SRM_P_VALUE_THRESHOLD,
  type SrmResult,
  sampleRatioMismatch,
} from './statistics/sample-ratio-mismatch.js';
export { type SampleSizeResult, sampleSize } from './statistics/sample-size.js';
export {
  type AdjustRequest,
  AdjustRequestSchema,
  type AnalyzeInput,
  type AnalyzeRequest,
  AnalyzeRequestSchema,
  DIRECTIONS,
  type Direction,
  EFFECTS,
  type Effect,
  MAX_VARIANTS,
  METHODS,
  METRIC_KINDS,
  type Method,
  type MetricKind,
  P_VALUE_ADJUSTMENTS,
  type PairedSums,
  PairedSumsSchema,
  type SampleSizeInput,
  type SampleSizeRequest,
  SampleSizeRequestSchema,
  type SrmRequest,
  SrmRequestSchema,
  type VariantStatistics,
  VariantStatisticsSchema,
} from './statistics/schemas.js';
export { StatisticsInputError } from './statistics/statistics-input-error.js';
export { comparisonVerdict, type Verdict, type VerdictSettings } from './statistics/verdict.js';
export { installRegexEngine };
