/**
 * @module @cleave/core/evaluation
 * What evaluating a configuration payload needs, and nothing else: the entry the SDK imports so
 * that browser bundles carry the evaluation engine but not the management model (zod schemas,
 * save-time validation, metrics) the server uses. The main entry (`@cleave/core`) still exports
 * all of it; this one is a subset with the same objects, so server and SDK run one engine.
 *
 * Only value exports listed here reach a bundle; types are erased. Nothing here reaches zod: the
 * compile step checks shapes by hand (model/payload-shape.ts, kept equal to the zod schemas by
 * its test), and a test of the SDK's bundle graph (bench/sdk-size) fails if zod or a module of
 * the model's schemas ever enters it. Nor does the `matches` regex engine: it is installed, from
 * `@cleave/core/regex`, when a configuration needs it (evaluation/regex/pattern-engine.ts).
 *
 * @example
 * import { compileConfig, evaluate } from '@cleave/core/evaluation';
 * const compiled = compileConfig(payload);
 * evaluate(compiled, 'new-checkout', { targetingKey: 'user-42' });
 */

export type { CompiledConfig } from './evaluation/compile-config.js';
export { compileConfig } from './evaluation/compile-config.js';
export type { CompiledFlag, CompiledRule } from './evaluation/compile-flag.js';
export type { ContextValue, EvaluationContext } from './evaluation/context.js';
export type { EvaluateAllOptions, EvaluateOptions } from './evaluation/evaluate.js';
export { evaluate, evaluateWithoutTrace } from './evaluation/evaluate.js';
export type {
  ErrorCode,
  EvaluationResult,
  ExperimentAssignment,
  FlagMetadata,
  Reason,
} from './evaluation/evaluation-result.js';
export type { PatternCompiler } from './evaluation/regex/pattern-engine.js';
export { installPatternCompiler, isRegexEngineInstalled } from './evaluation/regex/pattern-engine.js';
export type { StickyBucketStore } from './evaluation/sticky-bucket-store.js';
export { MemoryStickyBucketStore } from './evaluation/sticky-bucket-store.js';
export type { Condition, Operator } from './model/condition.js';
export type { ConfigPayload, PayloadFlag } from './model/config-payload.js';
export type { Experiment, Variation } from './model/experiment.js';
export type { FlagType, FlagValue, JsonValue } from './model/flag-value.js';
export type { Holdout } from './model/holdout.js';
export { MAX_EVENT_PROPERTIES_DEPTH, nestsDeeperThan } from './model/json-depth.js';
export type { Layer } from './model/layer.js';
export { OPERATORS as CONDITION_OPERATORS } from './model/operators.js';
export type { Rule, RuleType } from './model/rule.js';
export type { Segment } from './model/segment.js';
export type { ValidationIssue } from './model/validation-result.js';
