/**
 * @module Compiling a config payload once per version into the form evaluation reads.
 *
 * `compileConfig` never throws, whatever it is given. Invalid input degrades as locally as
 * possible, so that one bad object cannot take every flag down:
 * - an unusable envelope (not an object, unknown schemaVersion or hashVersion, no flag list)
 *   yields a config whose every flag evaluates to PARSE_ERROR (`compiled.error` says why);
 * - an invalid flag evaluates to PARSE_ERROR; the others work;
 * - an invalid rule, or one referencing an unknown or invalid segment or experiment, is broken:
 *   evaluation reaching it serves the flag's default variant with PARSE_ERROR.
 * `compiled.issues` lists every validation issue of the payload (empty when it is valid), as
 * `validateConfigPayload` would, but found without zod (model/payload-shape.ts), so that this
 * step fits browser bundles; the server still validates definitions with the zod schemas.
 */
import {
  checkConfigPayload,
  parseEnvelope,
  parseExperiment,
  parseHoldout,
  parseLayer,
  parseSegment,
} from '../model/payload-shape.js';
import type { ValidationIssue, ValidationResult } from '../model/validation-result.js';
import { type CompiledCondition, ConditionCompileError, compileConditionList } from './compile-condition.js';
import { type CompiledExperiment, compileExperiment } from './compile-experiment.js';
import { brokenFlag, type CompiledFlag, compileFlag, describeIssues } from './compile-flag.js';

export interface CompiledConfig {
  readonly environment: string;
  readonly version: number;
  /** Whether the payload passed full validation. */
  readonly valid: boolean;
  /** Every validation issue of the payload, with JSON Pointer paths. */
  readonly issues: readonly ValidationIssue[];
  /** Why the payload could not be used at all; then every flag evaluates to PARSE_ERROR. */
  readonly error: string | null;
  readonly flags: ReadonlyMap<string, CompiledFlag>;
  /** Flag keys in payload order (the order of `evaluateAll`). */
  readonly flagKeys: readonly string[];
}

function keyOf(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const key = (raw as Record<string, unknown>).key;
  return typeof key === 'string' ? key : undefined;
}

/** Parses each item on its own; invalid items are left out, keyed items remembered as invalid. */
function parseEach<T extends { key: string }>(
  items: readonly unknown[] | undefined,
  parse: (raw: unknown) => ValidationResult<T>,
): { valid: Map<string, T>; invalid: Map<string, string> } {
  const valid = new Map<string, T>();
  const invalid = new Map<string, string>();
  for (const raw of items ?? []) {
    const key = keyOf(raw);
    if (key === undefined || valid.has(key) || invalid.has(key)) continue;
    try {
      const parsed = parse(raw);
      if (parsed.ok) valid.set(key, parsed.value);
      else invalid.set(key, describeIssues(parsed.issues));
    } catch (error) {
      invalid.set(key, error instanceof Error ? error.message : String(error));
    }
  }
  return { valid, invalid };
}

function unusableConfig(payload: unknown, error: string, issues: readonly ValidationIssue[]): CompiledConfig {
  const record = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
  const rawFlags = Array.isArray(record.flags) ? record.flags : [];
  const flags = new Map<string, CompiledFlag>();
  for (const raw of rawFlags) {
    const key = keyOf(raw);
    if (key !== undefined && !flags.has(key)) flags.set(key, brokenFlag(key, error));
  }
  return {
    environment: typeof record.environment === 'string' ? record.environment : '',
    version: typeof record.version === 'number' ? record.version : -1,
    valid: false,
    issues,
    error,
    flags,
    flagKeys: [...flags.keys()],
  };
}

function compileUnsafe(payload: unknown): CompiledConfig {
  const issues = checkConfigPayload(payload);
  const envelope = parseEnvelope(payload);
  if (!envelope.ok) {
    return unusableConfig(payload, `unusable config payload (${describeIssues(envelope.issues)})`, issues);
  }
  const data = envelope.value;

  const segments = parseEach(data.segments, parseSegment);
  const layers = parseEach(data.layers, parseLayer);
  const holdouts = parseEach(data.holdouts, parseHoldout);
  const experiments = parseEach(data.experiments, parseExperiment);

  const compiledSegments = new Map<string, CompiledCondition | Error>();
  const resolving = new Set<string>();
  const resolveSegment = (key: string): CompiledCondition => {
    const known = compiledSegments.get(key);
    if (known instanceof Error) throw known;
    if (known !== undefined) return known;
    const invalid = segments.invalid.get(key);
    if (invalid !== undefined) throw new ConditionCompileError(`segment "${key}" is invalid: ${invalid}`);
    const segment = segments.valid.get(key);
    if (segment === undefined) throw new ConditionCompileError(`unknown segment "${key}"`);
    if (resolving.has(key)) throw new ConditionCompileError(`segment cycle through "${key}"`);
    resolving.add(key);
    try {
      const compiled = compileConditionList(segment.conditions, '/conditions', resolveSegment);
      // Validation requires at least one condition; an empty segment would match everyone.
      if (compiled === null) throw new ConditionCompileError(`segment "${key}" has no conditions`);
      compiledSegments.set(key, compiled);
      return compiled;
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      compiledSegments.set(key, failure);
      throw failure;
    } finally {
      resolving.delete(key);
    }
  };

  const holdoutList = [...holdouts.valid.values()];
  const compiledExperiments = new Map<string, CompiledExperiment | string>();
  for (const [key, reason] of experiments.invalid) compiledExperiments.set(key, reason);
  for (const [key, experiment] of experiments.valid) {
    try {
      compiledExperiments.set(key, compileExperiment(experiment, layers.valid, holdoutList));
    } catch (error) {
      compiledExperiments.set(key, error instanceof Error ? error.message : String(error));
    }
  }

  const flags = new Map<string, CompiledFlag>();
  const context = { resolveSegment, experiment: (key: string) => compiledExperiments.get(key) };
  for (const raw of data.flags) {
    const key = keyOf(raw);
    if (key === undefined || flags.has(key)) continue;
    flags.set(key, compileFlag(raw, key, context));
  }
  return {
    environment: data.environment,
    version: data.version,
    valid: issues.length === 0,
    issues,
    error: null,
    flags,
    flagKeys: [...flags.keys()],
  };
}

/**
 * Compiles a config payload for evaluation. Call it once per payload version and reuse the
 * result: evaluation then does no parsing, no regex building and no JSON work.
 * Never throws; see the module comment for how invalid payloads degrade.
 *
 * @example
 * const compiled = compileConfig(await response.json());
 * if (!compiled.valid) logger.warn({ issues: compiled.issues }, 'config payload has problems');
 * evaluate(compiled, 'new-checkout', { targetingKey: 'user-42' });
 */
export function compileConfig(payload: unknown): CompiledConfig {
  try {
    return compileUnsafe(payload);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    try {
      return unusableConfig(payload, `config payload cannot be compiled: ${message}`, [
        { path: '', message },
      ]);
    } catch {
      // A payload hostile enough to throw while being read (a Proxy, a throwing getter).
      return unusableConfig(undefined, `config payload cannot be compiled: ${message}`, [
        { path: '', message },
      ]);
    }
  }
}
