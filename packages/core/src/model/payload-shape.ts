/**
 * @module Zod-free checks of a config payload's objects, for the compile step.
 *
 * The compile step (evaluation/compile-*.ts) runs in browsers too, and zod alone weighs more
 * than the whole SDK may (issue #14). These checks, each object kind's fields a table (a `Shape`)
 * of checks read by `fields`, accept exactly what the model's zod schemas accept (a test compares
 * them on thousands of mutated payloads): each `parse*`
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
type Issues = ValidationIssue[];
/** Checks `value` at `path`; pushes the problems it finds. */
type Check = (value: unknown, path: string, issues: Issues) => unknown;
/** An object's fields, each with its check (optional fields' checks accept `undefined`). */
type Shape = Record<string, Check>;

// The checks below are data (shapes of checks built from a few combinators) read by `fields`,
// rather than code per field: the browser bundle's bytes (issue #14).

/** Records a problem; always `false`, so that a check can `return bad(…)`. */
const bad = (issues: Issues, path: string, message: string): false => {
  issues.push({ path, message });
  return false;
};

const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A check refusing with `message` what `ok` refuses. */
const is =
  (ok: (value: unknown) => unknown, message: string): Check =>
  (value, path, issues) =>
    ok(value) || bad(issues, path, message);
const optional =
  (check: Check): Check =>
  (value, path, issues) =>
    value === undefined || check(value, path, issues);
const ignore: Check = () => true;
const finite = (value: unknown): value is number => Number.isFinite(value);
const isString = (value: unknown): value is string => typeof value === 'string';

/** A string of `min` to `max` characters, then `more`'s checks of it. */
const text =
  (min: number, max: number, more?: (value: string, path: string, issues: Issues) => void): Check =>
  (value, path, issues) => {
    if (!isString(value)) return bad(issues, path, 'must be a string');
    if (value.length < min || value.length > max) bad(issues, path, `must be ${min} to ${max} characters`);
    more?.(value, path, issues);
  };
const key = is(
  (value) => isString(value) && KEY_PATTERN.test(value),
  'must be 1-100 characters of a-z, 0-9, "_", "." or "-", starting with a letter or digit',
);
const attribute = text(1, 200, (value, path, issues) => {
  if (value === '') return;
  const segments = value.split('.');
  if (segments.includes('')) bad(issues, path, 'must not have empty path segments');
  if (segments.some((segment) => FORBIDDEN_ATTRIBUTE_SEGMENTS.has(segment)))
    bad(issues, path, 'must not use __proto__, prototype or constructor');
});
const seed = text(1, 200, (value, path, issues) => {
  if (value.includes('~')) bad(issues, path, 'must not contain "~"');
});
const fraction = is((value) => finite(value) && value >= 0 && value <= 1, 'must be a number from 0 to 1');
const boolean = is((value) => typeof value === 'boolean', 'must be a boolean');
const isoDate = is(
  (value) => isString(value) && !Number.isNaN(parseIsoDate(value)),
  'must be an ISO-8601 date',
);
const array =
  (item: Check, min = 0, max = Infinity): Check =>
  (value, path, issues) => {
    if (!Array.isArray(value)) return bad(issues, path, 'must be an array');
    if (value.length < min || value.length > max)
      return bad(issues, path, `must have ${min}${max < Infinity ? ` to ${max}` : ' or more'} items`);
    for (let index = 0; index < value.length; index++) item(value[index], `${path}/${index}`, issues);
  };

/** Checks each field of `shape`; `false` if `value` is no object. */
function fields(value: unknown, path: string, issues: Issues, shape: Shape): value is Fields {
  if (!isObject(value)) return bad(issues, path, 'must be an object');
  for (const name in shape) shape[name]?.(value[name], `${path}/${name}`, issues);
  return true;
}

/** An object of `shape`, then `refine`'s cross-field checks if its fields have no problem. */
const object =
  (shape: Shape, refine?: (value: Fields, path: string, issues: Issues) => void): Check =>
  (value, path, issues) => {
    const before = issues.length;
    if (fields(value, path, issues, shape) && issues.length === before) refine?.(value, path, issues);
  };

const described: Shape = { name: optional(text(0, 200)), description: optional(text(0, 2000)) };

/** Any JSON value (finite numbers only); throws RangeError on absurd nesting, like zod. */
function isJson(value: unknown): boolean {
  if (value === null || isString(value) || typeof value === 'boolean') return true;
  if (typeof value === 'number') return finite(value);
  if (Array.isArray(value)) return value.every(isJson);
  if (typeof value !== 'object') return false;
  for (const name in value) {
    if (Object.hasOwn(value, name) && !isJson((value as Fields)[name])) return false;
  }
  return true;
}

// Conditions --------------------------------------------------------------------------------

const scalar: Check = (value, path, issues) =>
  isString(value)
    ? text(0, 1000)(value, path, issues)
    : typeof value === 'boolean' || finite(value) || bad(issues, path, 'must be a string, number or boolean');
const list = array(scalar, 1, MAX_LIST_VALUES);
const affix = text(0, 1000);
const order = is(
  (value) => finite(value) || (isString(value) && !Number.isNaN(parseIsoDate(value))),
  'must be a number or an ISO-8601 date',
);
const semver = is(
  (value) => isString(value) && parseSemver(value) !== undefined,
  'must be a semantic version (1.2.3[-pre])',
);
/** Each operator's value check; `null` for operators that take no value. */
const OWN_VALUE_CHECKS: Record<string, Check | null> = {
  in: list,
  not_in: list,
  starts_with: affix,
  ends_with: affix,
  matches: (value, path, issues) => {
    const problem = isString(value) ? checkRegexPattern(value) : 'must be a string';
    return problem === undefined || bad(issues, path, problem);
  },
  gt: order,
  gte: order,
  lt: order,
  lte: order,
  exists: null,
  not_exists: null,
};
const VALUE_CHECKS = new Map<string, Check | null>(
  OPERATORS.map((operator) => [
    operator,
    operator.startsWith('semver_')
      ? semver
      : Object.hasOwn(OWN_VALUE_CHECKS, operator)
        ? (OWN_VALUE_CHECKS[operator] as Check | null)
        : scalar,
  ]),
);
/** The keys naming each of a condition's forms, in the schema's union order (attribute test first). */
const FORMS = ['operator', 'all', 'any', 'not', 'segment'] as const;

/**
 * A condition rebuilt with the keys of the first form it matches, in the schema's order
 * (attribute test, all, any, not, segment), or `undefined` with the issues of the form its keys
 * point at. Depth is checked on the way down, so hostile nesting stops at the limit.
 */
function parseCondition(value: unknown, path: string, depth: number, issues: Issues): Condition | undefined {
  if (depth > MAX_CONDITION_DEPTH) {
    bad(issues, path, `conditions nest deeper than ${MAX_CONDITION_DEPTH} levels`);
    return undefined;
  }
  if (!fields(value, path, issues, {})) return undefined;
  // Report the form the author meant: the one named by a key the object has.
  const meant = FORMS.find((form, index) => index > 0 && form in value) ?? 'operator';
  let meantIssues: Issues = [];
  for (const form of FORMS) {
    const own: Issues = [];
    const at = `${path}/${form}`;
    let parsed: Condition | undefined;
    if (form === 'operator') {
      attribute(value.attribute, `${path}/attribute`, own);
      const check = VALUE_CHECKS.get(value.operator as string);
      if (check === undefined) bad(own, at, 'must be a known operator');
      else if (check === null) parsed = { attribute: value.attribute, operator: value.operator } as Condition;
      else {
        check(value.value, `${path}/value`, own);
        parsed = { attribute: value.attribute, operator: value.operator, value: value.value } as Condition;
      }
    } else if (form === 'not') {
      const inner = parseCondition(value.not, at, depth + 1, own);
      parsed = inner && { not: inner };
    } else if (form === 'segment') {
      key(value.segment, at, own);
      parsed = { segment: value.segment as string };
    } else {
      const items = parseConditionList(value[form], at, depth + 1, own, 1, Infinity);
      parsed = items && ({ [form]: items } as Condition);
    }
    if (own.length === 0) return parsed;
    if (form === meant) meantIssues = own;
  }
  issues.push(...meantIssues);
  return undefined;
}

function parseConditionList(
  value: unknown,
  path: string,
  depth: number,
  issues: Issues,
  min: number,
  max: number,
): Condition[] | undefined {
  const before = issues.length;
  const parsed: Condition[] = [];
  array(
    (item, itemPath) => parsed.push(parseCondition(item, itemPath, depth, issues) as Condition),
    min,
    max,
  )(value, path, issues);
  return issues.length === before ? parsed : undefined;
}

// Objects ------------------------------------------------------------------------------------

const result = <T>(value: unknown, issues: Issues): ValidationResult<T> =>
  issues.length === 0 ? { ok: true, value: value as T } : { ok: false, issues };

/** Checks `value` with `check` from the root, as a schema's `safeParse` would. */
const parseWith =
  <T>(check: Check) =>
  (value: unknown, path = ''): ValidationResult<T> => {
    const issues: Issues = [];
    check(value, path, issues);
    return result<T>(value, issues);
  };

/** `value` with its conditions rebuilt as parsed (a top-level list: rule or segment). */
function withConditions(value: Fields, path: string, issues: Issues, min: number): Fields {
  if (value.conditions === undefined && min === 0) return value;
  const conditions = parseConditionList(value.conditions, `${path}/conditions`, 1, issues, min, 100);
  return conditions === undefined ? value : { ...value, conditions };
}

const schedule = optional(
  object({ from: optional(isoDate), until: optional(isoDate) }, ({ from, until }, path, issues) => {
    if (isString(from) && isString(until) && !(parseIsoDate(from) < parseIsoDate(until)))
      bad(issues, `${path}/until`, 'from must be before until');
  }),
);
const ruleCommon: Shape = { id: key, description: optional(text(0, 2000)), schedule };
/** Each rule type's fields, as `RuleSchema`'s union has them. */
const RULE_SHAPES: Record<string, Shape> = {
  force: { ...ruleCommon, variant: key },
  rollout: {
    ...ruleCommon,
    variant: key,
    fraction,
    hashAttribute: optional(attribute),
    seed: optional(seed),
  },
  experiment: {
    ...ruleCommon,
    experimentKey: key,
    variants: optional((value, path, issues) => {
      if (!fields(value, path, issues, {})) return;
      for (const name of Object.keys(value)) {
        key(name, path, issues);
        key(value[name], path + toJsonPointer([name]), issues);
      }
    }),
  },
};

/** A targeting rule, as `RuleSchema` accepts it. */
export function parseRule(value: unknown, path = ''): ValidationResult<Rule> {
  const issues: Issues = [];
  if (!fields(value, path, issues, {})) return { ok: false, issues };
  const type = value.type;
  // A string, not anything naming one: `Object.hasOwn` would take ["force"] for "force".
  if (typeof type !== 'string' || !Object.hasOwn(RULE_SHAPES, type)) {
    bad(issues, `${path}/type`, 'must be force, rollout or experiment');
    return { ok: false, issues };
  }
  fields(value, path, issues, RULE_SHAPES[type] as Shape);
  return result<Rule>(withConditions(value, path, issues, 0), issues);
}

const variant = object({ key, value: is(isJson, 'must be a JSON value'), ...described });
const prerequisite = object({ flagKey: key, variants: array(key, 1, 100) });
const override = object({
  values: array(text(1, 1000), 1, MAX_OVERRIDE_VALUES),
  variant: key,
  attribute: optional(attribute),
});
const flagShell = object({
  key,
  type: is(
    (value) => (FLAG_TYPES as readonly unknown[]).includes(value),
    'must be boolean, string, number or json',
  ),
  variants: array(variant, 1, 100),
  defaultVariant: key,
  offVariant: key,
  enabled: boolean,
  prerequisites: optional(array(prerequisite, 0, 50)),
  overrides: optional(array(override, 0, 100)),
  rules: optional(array(ignore, 0, 500)),
});

/** A flag with its rules unchecked (the compile step checks each rule on its own). */
export const parseFlagShell = parseWith<FlagShell>(flagShell);

/** A segment, as `SegmentSchema` accepts it. */
export function parseSegment(value: unknown, path = ''): ValidationResult<Segment> {
  const issues: Issues = [];
  if (!fields(value, path, issues, { key, ...described })) return { ok: false, issues };
  return result<Segment>(withConditions(value, path, issues, 1), issues);
}

/** An experiment, as `ExperimentSchema` accepts it (weights summing to 1, unique variations). */
export const parseExperiment = parseWith<Experiment>(
  object(
    {
      key,
      variations: array(object({ key, weight: fraction, ...described }), 1, 100),
      ...described,
      seed: optional(seed),
      hashAttribute: optional(attribute),
      coverage: optional(fraction),
      layer: optional(
        object({
          key,
          range: object({ start: fraction, end: fraction }, ({ start, end }, path, issues) => {
            if (!((start as number) < (end as number))) bad(issues, `${path}/end`, 'start must be below end');
          }),
        }),
      ),
      stickyBucketing: optional(boolean),
    },
    (value, path, issues) => {
      const seen = new Set<string>();
      let sum = 0;
      (value.variations as { key: string; weight: number }[]).forEach((item, index) => {
        if (seen.has(item.key))
          bad(issues, `${path}/variations/${index}/key`, `duplicate variation key "${item.key}"`);
        seen.add(item.key);
        sum += item.weight;
      });
      if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE)
        bad(issues, `${path}/variations`, `weights must sum to 1 (they sum to ${sum})`);
    },
  ),
);

export const parseLayer = parseWith<Layer>(object({ key, ...described, seed: optional(seed) }));

export const parseHoldout = parseWith<Holdout>(
  object({ key, fraction, ...described, seed: optional(seed), layerKey: optional(key) }),
);

const versions: Shape = {
  schemaVersion: is((value) => value === CONFIG_SCHEMA_VERSION, `must be ${CONFIG_SCHEMA_VERSION}`),
  hashVersion: is((value) => value === HASH_VERSION, `must be ${HASH_VERSION}`),
};

/** The envelope the compile step needs: known versions, an environment, a version, a flag list. */
export const parseEnvelope = parseWith<PayloadEnvelope>(
  object({
    ...versions,
    environment: is(isString, 'must be a string'),
    version: is(finite, 'must be a number'),
    flags: array(ignore),
    segments: optional(array(ignore)),
    experiments: optional(array(ignore)),
    layers: optional(array(ignore)),
    holdouts: optional(array(ignore)),
  }),
);

/**
 * Validates a config payload completely, as `validateConfigPayload` does, without zod: the
 * envelope, every object's shape and cross-field checks, then the references between objects.
 */
export function checkConfigPayload(value: unknown): ValidationIssue[] {
  try {
    const issues: Issues = [];
    const parsed: Record<string, unknown[]> = {};
    const each = (name: string, parse: (item: unknown, path: string) => ValidationResult<unknown>): Shape => {
      const items: unknown[] = [];
      parsed[name] = items;
      return {
        [name]: array((item, path, listIssues) => {
          const itemResult = parse(item, path);
          if (itemResult.ok) items.push(itemResult.value);
          else listIssues.push(...itemResult.issues);
        }),
      };
    };
    fields(value, '', issues, {
      ...versions,
      environment: key,
      version: is(
        (inner) => Number.isSafeInteger(inner) && (inner as number) >= 0,
        'must be a non-negative integer',
      ),
      ...each('flags', parsePayloadFlag),
      ...each('segments', parseSegment),
      ...each('experiments', parseExperiment),
      ...each('layers', parseLayer),
      ...each('holdouts', parseHoldout),
      generatedAt: optional(is(isString, 'must be a string')),
    });
    if (issues.length > 0) return issues;
    const list = <T>(name: string) => (parsed[name] ?? []) as T[];
    const flags = list<PayloadFlag>('flags');
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
        group: '',
        path: ['flags', index],
        environment: flag,
      })),
      segments: list('segments'),
      experiments: list('experiments'),
      layers: list('layers'),
      holdouts: list('holdouts'),
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
  const issues: Issues = [];
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
