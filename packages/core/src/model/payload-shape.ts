/**
 * @module Zod-free checks of a config payload's objects, for the compile step.
 *
 * The compile step (evaluation/compile-*.ts) runs in browsers too, and zod alone weighs more
 * than the whole SDK may (issue #14). These hand-written checks accept exactly what the model's
 * zod schemas accept (a test compares them on thousands of mutated payloads): each `parse*`
 * returns the object, or the issues that make it unusable, like a schema's `safeParse`. They do
 * not copy what they check, except conditions: zod drops unknown keys, and a condition's form is
 * decided by its keys, so conditions come back rebuilt with only the keys of the form that
 * matched. The server keeps validating definitions with the zod schemas (model/validate.ts).
 *
 * `checkConfigPayload` is `validateConfigPayload` without zod: every object's shape, its
 * cross-field checks, and the references between objects.
 */
import { parseIsoDate } from '../evaluation/iso-date.js';
import { parseSemver } from '../evaluation/semver.js';
import { checkFlagBody } from './check-flag-body.js';
import { checkReferences } from './check-references.js';
import { checkRegexPattern } from './check-regex-pattern.js';
import type { Condition } from './condition.js';
import type { PayloadFlag } from './config-payload.js';
import type { Experiment } from './experiment.js';
import { FLAG_TYPES } from './flag-type.js';
import type { Holdout } from './holdout.js';
import type { Layer } from './layer.js';
import { MAX_CONDITION_DEPTH, MAX_LIST_VALUES, OPERATORS } from './operators.js';
import type { Rule } from './rule.js';
import type { Segment } from './segment.js';
import { toJsonPointer, type ValidationIssue, type ValidationResult } from './validation-result.js';

/** Payload layout version: bumped when an SDK could misread a new payload. */
export const CONFIG_SCHEMA_VERSION = 1;

/** Hashing version (docs/hashing.md): bumped only with a new, side-by-side hash scheme. */
export const HASH_VERSION = 1;

/**
 * Keys of flags, variants, rules, segments, experiments, variations, layers, holdouts and
 * environments. Lower case only and matched exactly: `Checkout` and `checkout` can never name
 * two different flags, and SDKs need no case folding. No `/` or `~`, which hash salts use as
 * separators (see hash-salts.ts).
 */
export const KEY_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,99}$/;

/** Path segments that would reach Object.prototype instead of a context attribute. */
export const FORBIDDEN_ATTRIBUTE_SEGMENTS: ReadonlySet<string> = new Set([
  '__proto__',
  'prototype',
  'constructor',
]);

/** Tolerance on the sum of weights: decimal weights like 0.1 + 0.2 never add up exactly. */
export const WEIGHT_SUM_TOLERANCE = 1e-9;

export const MAX_OVERRIDE_VALUES = 10_000;

/** The envelope as the compile step reads it: the object lists are checked one item at a time. */
export interface PayloadEnvelope {
  readonly environment: string;
  readonly version: number;
  readonly flags: readonly unknown[];
  readonly segments?: readonly unknown[];
  readonly experiments?: readonly unknown[];
  readonly layers?: readonly unknown[];
  readonly holdouts?: readonly unknown[];
}

/** A payload flag with its rules not yet checked (each rule is checked on its own). */
export type FlagShell = Omit<PayloadFlag, 'rules'> & { readonly rules?: readonly unknown[] };

type Fields = Record<string, unknown>;
/** Checks `value` at `path`; pushes the problems it finds. */
type Check = (value: unknown, path: string, issues: ValidationIssue[]) => void;

/** Records a problem; always `false`, so that a check can `return bad(…)`. One helper rather than
 * an object literal at each of the checks: the browser bundle's bytes (issue #14). */
const bad = (issues: ValidationIssue[], path: string, message: string): false => {
  issues.push({ path, message });
  return false;
};

const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const requireObject = (value: unknown, path: string, issues: ValidationIssue[]): value is Fields => {
  if (isObject(value)) return true;
  bad(issues, path, 'must be an object');
  return false;
};

const text =
  (min: number, max: number): Check =>
  (value, path, issues) => {
    if (typeof value !== 'string') bad(issues, path, 'must be a string');
    else if (value.length < min || value.length > max)
      bad(issues, path, `must be ${min} to ${max} characters`);
  };
const anyText: Check = (value, path, issues) => {
  if (typeof value !== 'string') bad(issues, path, 'must be a string');
};
const key: Check = (value, path, issues) => {
  if (typeof value !== 'string' || !KEY_PATTERN.test(value)) {
    bad(
      issues,
      path,
      'must be 1-100 characters of a-z, 0-9, "_", "." or "-", starting with a letter or digit',
    );
  }
};
const attribute: Check = (value, path, issues) => {
  text(1, 200)(value, path, issues);
  if (typeof value !== 'string' || value === '') return;
  const segments = value.split('.');
  if (segments.some((segment) => segment.length === 0))
    bad(issues, path, 'must not have empty path segments');
  if (segments.some((segment) => FORBIDDEN_ATTRIBUTE_SEGMENTS.has(segment)))
    bad(issues, path, 'must not use __proto__, prototype or constructor');
};
const seed: Check = (value, path, issues) => {
  text(1, 200)(value, path, issues);
  if (typeof value === 'string' && value.includes('~')) bad(issues, path, 'must not contain "~"');
};
const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const fraction: Check = (value, path, issues) => {
  if (!finite(value) || value < 0 || value > 1) bad(issues, path, 'must be a number from 0 to 1');
};
const boolean: Check = (value, path, issues) => {
  if (typeof value !== 'boolean') bad(issues, path, 'must be a boolean');
};
const isoDate: Check = (value, path, issues) => {
  if (typeof value !== 'string' || Number.isNaN(parseIsoDate(value)))
    bad(issues, path, 'must be an ISO-8601 date');
};
const array =
  (item: Check, min: number, max: number): Check =>
  (value, path, issues) => {
    if (!Array.isArray(value)) bad(issues, path, 'must be an array');
    else if (value.length < min || value.length > max) bad(issues, path, `must have ${min} to ${max} items`);
    else for (let i = 0; i < value.length; i++) item(value[i], `${path}/${i}`, issues);
  };
const anyArray: Check = (value, path, issues) => {
  if (!Array.isArray(value)) bad(issues, path, 'must be an array');
};

/** Checks the fields of an object: each required field, and each optional one that is present. */
function fields(
  value: unknown,
  path: string,
  issues: ValidationIssue[],
  required: Record<string, Check>,
  optional: Record<string, Check> = {},
): value is Fields {
  if (!requireObject(value, path, issues)) return false;
  for (const name in required) required[name]?.(value[name], `${path}/${name}`, issues);
  for (const name in optional) {
    if (value[name] !== undefined) optional[name]?.(value[name], `${path}/${name}`, issues);
  }
  return true;
}

const described = { name: text(0, 200), description: text(0, 2000) };

/** Any JSON value (finite numbers only); throws RangeError on absurd nesting, like zod. */
function isJson(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJson);
  if (typeof value !== 'object') return false;
  for (const name in value) {
    if (Object.hasOwn(value, name) && !isJson((value as Fields)[name])) return false;
  }
  return true;
}

// Conditions --------------------------------------------------------------------------------

const scalar: Check = (value, path, issues) => {
  if (typeof value === 'string') text(0, 1000)(value, path, issues);
  else if (typeof value !== 'boolean' && !finite(value))
    bad(issues, path, 'must be a string, number or boolean');
};
const OPERATOR_SET: ReadonlySet<string> = new Set(OPERATORS);
const valueCheckOf = (operator: string): Check | undefined => {
  switch (operator) {
    case 'in':
    case 'not_in':
      return array(scalar, 1, MAX_LIST_VALUES);
    case 'starts_with':
    case 'ends_with':
      return text(0, 1000);
    case 'matches':
      return (value, path, issues) => {
        const problem = typeof value === 'string' ? checkRegexPattern(value) : 'must be a string';
        if (problem !== undefined) bad(issues, path, problem);
      };
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return (value, path, issues) => {
        if (!finite(value) && (typeof value !== 'string' || Number.isNaN(parseIsoDate(value))))
          bad(issues, path, 'must be a number or an ISO-8601 date');
      };
    case 'exists':
    case 'not_exists':
      return undefined;
    default:
      if (operator.startsWith('semver_')) {
        return (value, path, issues) => {
          if (typeof value !== 'string' || parseSemver(value) === undefined)
            bad(issues, path, 'must be a semantic version (1.2.3[-pre])');
        };
      }
      return scalar;
  }
};

/**
 * A condition rebuilt with the keys of the first form it matches, in the schema's order
 * (attribute test, all, any, not, segment), or `undefined` with the issues of the form its keys
 * point at. Depth is checked on the way down, so hostile nesting stops at the limit.
 */
function parseCondition(
  value: unknown,
  path: string,
  depth: number,
  issues: ValidationIssue[],
): Condition | undefined {
  if (depth > MAX_CONDITION_DEPTH) {
    bad(issues, path, `conditions nest deeper than ${MAX_CONDITION_DEPTH} levels`);
    return undefined;
  }
  if (!requireObject(value, path, issues)) return undefined;
  const list =
    (name: 'all' | 'any') =>
    (own: ValidationIssue[]): Condition | undefined => {
      const items = parseConditionList(value[name], `${path}/${name}`, depth + 1, own, 1, Infinity);
      return items === undefined ? undefined : ({ [name]: items } as Condition);
    };
  // The schema's union, in its order; each form reports into its own list.
  const forms: ((own: ValidationIssue[]) => Condition | undefined)[] = [
    (own) => {
      attribute(value.attribute, `${path}/attribute`, own);
      const operator = value.operator;
      if (typeof operator !== 'string' || !OPERATOR_SET.has(operator)) {
        bad(own, `${path}/operator`, 'must be a known operator');
        return undefined;
      }
      const check = valueCheckOf(operator);
      if (check === undefined) return { attribute: value.attribute, operator } as Condition;
      check(value.value, `${path}/value`, own);
      return { attribute: value.attribute, operator, value: value.value } as Condition;
    },
    list('all'),
    list('any'),
    (own) => {
      const inner = parseCondition(value.not, `${path}/not`, depth + 1, own);
      return inner === undefined ? undefined : { not: inner };
    },
    (own) => {
      key(value.segment, `${path}/segment`, own);
      return { segment: value.segment as string };
    },
  ];
  const formIssues = forms.map(() => [] as ValidationIssue[]);
  for (const [index, form] of forms.entries()) {
    const own = formIssues[index] as ValidationIssue[];
    const parsed = form(own);
    if (parsed !== undefined && own.length === 0) return parsed;
  }
  // Report the form the author meant: the one named by a key the object has.
  const meant = 'all' in value ? 1 : 'any' in value ? 2 : 'not' in value ? 3 : 'segment' in value ? 4 : 0;
  issues.push(...(formIssues[meant] ?? []));
  return undefined;
}

function parseConditionList(
  value: unknown,
  path: string,
  depth: number,
  issues: ValidationIssue[],
  min: number,
  max: number,
): Condition[] | undefined {
  if (!Array.isArray(value)) {
    bad(issues, path, 'must be an array');
    return undefined;
  }
  if (value.length < min || value.length > max) {
    bad(issues, path, `must have ${min} to ${max} conditions`);
    return undefined;
  }
  const before = issues.length;
  const parsed = value.map((item, i) => parseCondition(item, `${path}/${i}`, depth, issues));
  return issues.length === before ? (parsed as Condition[]) : undefined;
}

// Objects ------------------------------------------------------------------------------------

const result = <T>(value: unknown, issues: ValidationIssue[]): ValidationResult<T> =>
  issues.length === 0 ? { ok: true, value: value as T } : { ok: false, issues };

/** Rebuilds `value[name]` as parsed conditions (a top-level list: rule or segment). */
function withConditions(value: Fields, path: string, issues: ValidationIssue[], min: number): Fields {
  if (value.conditions === undefined && min === 0) return value;
  const conditions = parseConditionList(value.conditions, `${path}/conditions`, 1, issues, min, 100);
  return conditions === undefined ? value : { ...value, conditions };
}

const schedule: Check = (value, path, issues) => {
  const before = issues.length;
  if (!fields(value, path, issues, {}, { from: isoDate, until: isoDate }) || issues.length > before) return;
  const { from, until } = value;
  if (typeof from === 'string' && typeof until === 'string' && !(parseIsoDate(from) < parseIsoDate(until))) {
    bad(issues, `${path}/until`, 'from must be before until');
  }
};

/** A targeting rule, as `RuleSchema` accepts it. */
export function parseRule(value: unknown, path = ''): ValidationResult<Rule> {
  const issues: ValidationIssue[] = [];
  if (!requireObject(value, path, issues)) return { ok: false, issues };
  const common = { description: text(0, 2000), schedule };
  switch (value.type) {
    case 'force':
      fields(value, path, issues, { id: key, variant: key }, common);
      break;
    case 'rollout':
      fields(
        value,
        path,
        issues,
        { id: key, variant: key, fraction },
        { ...common, hashAttribute: attribute, seed },
      );
      break;
    case 'experiment': {
      const variants: Check = (inner, innerPath, innerIssues) => {
        if (!requireObject(inner, innerPath, innerIssues)) return;
        for (const name of Object.keys(inner)) {
          key(name, innerPath, innerIssues);
          key(inner[name], `${innerPath}/${toJsonPointer([name]).slice(1)}`, innerIssues);
        }
      };
      fields(value, path, issues, { id: key, experimentKey: key }, { ...common, variants });
      break;
    }
    default:
      bad(issues, `${path}/type`, 'must be force, rollout or experiment');
      return { ok: false, issues };
  }
  return result<Rule>(withConditions(value, path, issues, 0), issues);
}

const variant: Check = (value, path, issues) => {
  fields(value, path, issues, { key }, described);
  if (isObject(value) && !isJson(value.value)) bad(issues, `${path}/value`, 'must be a JSON value');
};
const prerequisite: Check = (value, path, issues) => {
  fields(value, path, issues, { flagKey: key, variants: array(key, 1, 100) });
};
const override: Check = (value, path, issues) => {
  fields(
    value,
    path,
    issues,
    { values: array(text(1, 1000), 1, MAX_OVERRIDE_VALUES), variant: key },
    { attribute },
  );
};
const flagType: Check = (value, path, issues) => {
  if (!(FLAG_TYPES as readonly unknown[]).includes(value))
    bad(issues, path, 'must be boolean, string, number or json');
};

/** A flag with its rules unchecked (the compile step checks each rule on its own). */
export function parseFlagShell(value: unknown, path = ''): ValidationResult<FlagShell> {
  const issues: ValidationIssue[] = [];
  fields(
    value,
    path,
    issues,
    {
      key,
      type: flagType,
      variants: array(variant, 1, 100),
      defaultVariant: key,
      offVariant: key,
      enabled: boolean,
    },
    {
      prerequisites: array(prerequisite, 0, 50),
      overrides: array(override, 0, 100),
      rules: (rules, rulesPath, rulesIssues) => {
        anyArray(rules, rulesPath, rulesIssues);
        if (Array.isArray(rules) && rules.length > 500)
          bad(rulesIssues, rulesPath, 'must have at most 500 rules');
      },
    },
  );
  return result<FlagShell>(value, issues);
}

/** A segment, as `SegmentSchema` accepts it. */
export function parseSegment(value: unknown, path = ''): ValidationResult<Segment> {
  const issues: ValidationIssue[] = [];
  if (!fields(value, path, issues, { key }, described)) return { ok: false, issues };
  return result<Segment>(withConditions(value, path, issues, 1), issues);
}

/** An experiment, as `ExperimentSchema` accepts it (weights summing to 1, unique variations). */
export function parseExperiment(value: unknown, path = ''): ValidationResult<Experiment> {
  const issues: ValidationIssue[] = [];
  const variation: Check = (inner, innerPath, innerIssues) =>
    fields(inner, innerPath, innerIssues, { key, weight: fraction }, described);
  const layer: Check = (inner, innerPath, innerIssues) => {
    const range: Check = (r, rangePath, rangeIssues) => {
      const before = rangeIssues.length;
      if (
        fields(r, rangePath, rangeIssues, { start: fraction, end: fraction }) &&
        rangeIssues.length === before
      ) {
        if (!((r.start as number) < (r.end as number)))
          bad(rangeIssues, `${rangePath}/end`, 'start must be below end');
      }
    };
    fields(inner, innerPath, innerIssues, { key, range });
  };
  fields(
    value,
    path,
    issues,
    { key, variations: array(variation, 1, 100) },
    { ...described, seed, hashAttribute: attribute, coverage: fraction, layer, stickyBucketing: boolean },
  );
  if (issues.length > 0 || !isObject(value)) return { ok: false, issues };
  const variations = value.variations as { key: string; weight: number }[];
  const seen = new Set<string>();
  let sum = 0;
  variations.forEach((item, index) => {
    if (seen.has(item.key))
      bad(issues, `${path}/variations/${index}/key`, `duplicate variation key "${item.key}"`);
    seen.add(item.key);
    sum += item.weight;
  });
  if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE)
    bad(issues, `${path}/variations`, `weights must sum to 1 (they sum to ${sum})`);
  return result<Experiment>(value, issues);
}

export function parseLayer(value: unknown, path = ''): ValidationResult<Layer> {
  const issues: ValidationIssue[] = [];
  fields(value, path, issues, { key }, { ...described, seed });
  return result<Layer>(value, issues);
}

export function parseHoldout(value: unknown, path = ''): ValidationResult<Holdout> {
  const issues: ValidationIssue[] = [];
  fields(value, path, issues, { key, fraction }, { ...described, seed, layerKey: key });
  return result<Holdout>(value, issues);
}

const versionCheck =
  (expected: number): Check =>
  (value, path, issues) => {
    if (value !== expected) bad(issues, path, `must be ${expected}`);
  };

/** The envelope the compile step needs: known versions, an environment, a version, a flag list. */
export function parseEnvelope(value: unknown): ValidationResult<PayloadEnvelope> {
  const issues: ValidationIssue[] = [];
  const number: Check = (inner, path, innerIssues) => {
    if (!finite(inner)) bad(innerIssues, path, 'must be a number');
  };
  fields(
    value,
    '',
    issues,
    {
      schemaVersion: versionCheck(CONFIG_SCHEMA_VERSION),
      hashVersion: versionCheck(HASH_VERSION),
      environment: anyText,
      version: number,
      flags: anyArray,
    },
    { segments: anyArray, experiments: anyArray, layers: anyArray, holdouts: anyArray },
  );
  return result<PayloadEnvelope>(value, issues);
}

/**
 * Validates a config payload completely, as `validateConfigPayload` does, without zod: the
 * envelope, every object's shape and cross-field checks, then the references between objects.
 */
export function checkConfigPayload(value: unknown): ValidationIssue[] {
  try {
    const issues: ValidationIssue[] = [];
    const each =
      <T>(parse: (item: unknown, path: string) => ValidationResult<T>, parsed: T[]): Check =>
      (list, path, listIssues) => {
        if (!Array.isArray(list)) {
          bad(listIssues, path, 'must be an array');
          return;
        }
        list.forEach((item, index) => {
          const itemResult = parse(item, `${path}/${index}`);
          if (itemResult.ok) parsed.push(itemResult.value);
          else listIssues.push(...itemResult.issues);
        });
      };
    const flags: PayloadFlag[] = [];
    const segments: Segment[] = [];
    const experiments: Experiment[] = [];
    const layers: Layer[] = [];
    const holdouts: Holdout[] = [];
    const version: Check = (inner, path, innerIssues) => {
      if (!Number.isSafeInteger(inner) || (inner as number) < 0)
        bad(innerIssues, path, 'must be a non-negative integer');
    };
    fields(
      value,
      '',
      issues,
      {
        schemaVersion: versionCheck(CONFIG_SCHEMA_VERSION),
        hashVersion: versionCheck(HASH_VERSION),
        environment: key,
        version,
        flags: each(parsePayloadFlag, flags),
        segments: each(parseSegment, segments),
        experiments: each(parseExperiment, experiments),
        layers: each(parseLayer, layers),
        holdouts: each(parseHoldout, holdouts),
      },
      { generatedAt: anyText },
    );
    if (issues.length > 0) return issues;
    const flagRefs = flags.map((flag, index) => ({
      key: flag.key,
      variantKeys: new Set(flag.variants.map((item) => item.key)),
      path: ['flags', index] as const,
    }));
    return checkReferences({
      flags: flagRefs,
      scopes: flags.map((flag, index) => ({
        flagKey: flag.key,
        variantKeys: flagRefs[index]?.variantKeys ?? new Set<string>(),
        group: (value as Fields).environment as string,
        path: ['flags', index],
        environment: flag,
      })),
      segments,
      experiments,
      layers,
      holdouts,
    });
  } catch (error) {
    return [
      { path: '', message: `cannot be validated: ${error instanceof Error ? error.message : String(error)}` },
    ];
  }
}

/** A payload flag with its rules, then the cross-field checks (`PayloadFlagSchema`). */
function parsePayloadFlag(value: unknown, path: string): ValidationResult<PayloadFlag> {
  const shell = parseFlagShell(value, path);
  if (!shell.ok) return shell;
  const issues: ValidationIssue[] = [];
  const rules: Rule[] = [];
  (shell.value.rules ?? []).forEach((raw, index) => {
    const rule = parseRule(raw, `${path}/rules/${index}`);
    if (rule.ok) rules.push(rule.value);
    else issues.push(...rule.issues);
  });
  if (issues.length > 0) return { ok: false, issues };
  const flag = { ...shell.value, rules: shell.value.rules === undefined ? undefined : rules } as PayloadFlag;
  checkFlagBody(flag, [{ path: [], environment: flag }], {
    addIssue: (issue) => bad(issues, `${path}${toJsonPointer(issue.path)}`, issue.message),
  });
  return result<PayloadFlag>(flag, issues);
}
