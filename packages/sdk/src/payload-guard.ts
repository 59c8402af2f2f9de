/**
 * @module A structural check of received config payloads, small enough for browser bundles.
 *
 * The server validates definitions fully before it publishes them (core's zod schemas); the SDK
 * only has to make sure that what arrived has the payload's shape before it replaces the
 * configuration in use: the envelope, and every flag, variant, prerequisite, override, rule,
 * condition, segment, experiment, layer and holdout with its required fields, types, enums,
 * ranges, key syntax and variant references. A payload that fails is refused whole with the
 * paths of its problems, and the last good configuration stays in use.
 *
 * What needs parsing beyond shape (regex safety, semantic versions, dates, weight sums,
 * references between objects) is the compile step's: core degrades such an object on its own.
 */

import type { ConfigPayload } from '@cleave/core/evaluation';
import { CONDITION_OPERATORS } from '@cleave/core/evaluation';

/** Core's `CONFIG_SCHEMA_VERSION` and `HASH_VERSION` (a test keeps them equal). */
export const SUPPORTED_SCHEMA_VERSION = 1;
export const SUPPORTED_HASH_VERSION = 1;
/** Core's `KEY_PATTERN` (a test keeps them equal). */
export const KEY = /^[a-z0-9][a-z0-9_.-]{0,99}$/;
/** Core's operators, from its zod-free module (one list for core, server and SDK). */
export const OPERATORS: ReadonlySet<string> = new Set(CONDITION_OPERATORS);
/** Conditions nest at most this deep (core's `MAX_CONDITION_DEPTH`). */
const MAX_DEPTH = 10;

export interface PayloadIssue {
  /** JSON Pointer of the offending value. */
  readonly path: string;
  readonly message: string;
}

export type GuardResult =
  | { readonly ok: true; readonly payload: ConfigPayload }
  | { readonly ok: false; readonly issues: readonly PayloadIssue[] };

type Check = (value: unknown, path: string) => void;
type Fields = Record<string, unknown>;

/**
 * @example
 * const result = guardPayload(JSON.parse(body));
 * if (!result.ok) report(result.issues); // [{ path: '/flags/0/type', message: 'must be one of …' }]
 */
export function guardPayload(raw: unknown): GuardResult {
  const issues: PayloadIssue[] = [];
  const fail = (path: string, message: string) => {
    issues.push({ path, message });
  };

  const isObject = (value: unknown, path: string): value is Fields => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return true;
    fail(path, 'must be an object');
    return false;
  };
  const key: Check = (value, path) => {
    if (typeof value !== 'string' || !KEY.test(value)) fail(path, 'must be a key (a-z, 0-9, "_", ".", "-")');
  };
  const text: Check = (value, path) => {
    if (typeof value !== 'string') fail(path, 'must be a string');
  };
  const boolean: Check = (value, path) => {
    if (typeof value !== 'boolean') fail(path, 'must be a boolean');
  };
  const fraction: Check = (value, path) => {
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) fail(path, 'must be a number from 0 to 1');
  };
  const list = (value: unknown, path: string, item: Check, nonEmpty = false): void => {
    if (!Array.isArray(value)) fail(path, 'must be an array');
    else if (nonEmpty && value.length === 0) fail(path, 'must not be empty');
    else for (const [index, entry] of value.entries()) item(entry, `${path}/${index}`);
  };
  /** Checks the fields of an object: each present (or required) field with its check. */
  const fields = (
    value: unknown,
    path: string,
    required: Record<string, Check>,
    optional: Record<string, Check> = {},
  ): value is Fields => {
    if (!isObject(value, path)) return false;
    for (const [name, check] of Object.entries(required)) check(value[name], `${path}/${name}`);
    for (const [name, check] of Object.entries(optional)) {
      if (value[name] !== undefined) check(value[name], `${path}/${name}`);
    }
    return true;
  };
  const described = { name: text, description: text };

  const scalar: Check = (value, path) => {
    if (!['string', 'number', 'boolean'].includes(typeof value))
      fail(path, 'must be a string, number or boolean');
  };
  const condition = (value: unknown, path: string, depth: number): void => {
    const nested = (item: unknown, itemPath: string) => condition(item, itemPath, depth + 1);
    if (depth > MAX_DEPTH) fail(path, `conditions nest deeper than ${MAX_DEPTH} levels`);
    else if (!isObject(value, path)) return;
    else if ('all' in value) list(value.all, `${path}/all`, nested, true);
    else if ('any' in value) list(value.any, `${path}/any`, nested, true);
    else if ('not' in value) nested(value.not, `${path}/not`);
    else if ('segment' in value) key(value.segment, `${path}/segment`);
    else {
      text(value.attribute, `${path}/attribute`);
      const operator = value.operator;
      if (typeof operator !== 'string' || !OPERATORS.has(operator))
        fail(`${path}/operator`, 'must be a known operator');
      else if (operator === 'in' || operator === 'not_in') list(value.value, `${path}/value`, scalar, true);
      else if (operator !== 'exists' && operator !== 'not_exists') scalar(value.value, `${path}/value`);
    }
  };
  const conditions = (nonEmpty: boolean) => (value: unknown, path: string) =>
    list(value, path, (item, itemPath) => condition(item, itemPath, 1), nonEmpty);

  const flag = (value: unknown, path: string) => {
    const type = (value as Fields | null)?.type;
    const typeCheck: Check = (inner, innerPath) => {
      if (!['boolean', 'string', 'number', 'json'].includes(inner as string)) {
        fail(innerPath, 'must be boolean, string, number or json');
      }
    };
    const variantValue: Check = (inner, innerPath) => {
      const matches =
        type === 'json'
          ? inner !== undefined
          : type === 'number'
            ? Number.isFinite(inner)
            : typeof inner === type;
      if (!matches)
        fail(innerPath, `must be a ${type === 'json' ? 'JSON value' : String(type)} (the flag's type)`);
    };
    const variant = (inner: unknown, innerPath: string) =>
      fields(inner, innerPath, { key, value: variantValue }, described);
    if (
      !fields(value, path, {
        key,
        type: typeCheck,
        variants: (v, p) => list(v, p, variant, true),
        enabled: boolean,
      })
    ) {
      return;
    }
    const variantKeys = new Set(
      Array.isArray(value.variants) ? value.variants.map((entry) => (entry as Fields | null)?.key) : [],
    );
    const existing: Check = (inner, innerPath) => {
      key(inner, innerPath);
      if (typeof inner === 'string' && !variantKeys.has(inner)) fail(innerPath, `unknown variant "${inner}"`);
    };
    existing(value.defaultVariant, `${path}/defaultVariant`);
    existing(value.offVariant, `${path}/offVariant`);
    const prerequisite = (inner: unknown, innerPath: string) =>
      fields(inner, innerPath, { flagKey: key, variants: (v, p) => list(v, p, key, true) });
    const override = (inner: unknown, innerPath: string) =>
      fields(
        inner,
        innerPath,
        { values: (v, p) => list(v, p, text, true), variant: existing },
        { attribute: text },
      );
    const rule = (inner: unknown, innerPath: string) => {
      const common = { conditions: conditions(false), schedule: schedule, description: text };
      const kind = (inner as Fields | null)?.type;
      if (kind === 'force') fields(inner, innerPath, { id: key, variant: existing }, common);
      else if (kind === 'rollout') {
        fields(
          inner,
          innerPath,
          { id: key, variant: existing, fraction },
          { ...common, hashAttribute: text, seed: text },
        );
      } else if (kind === 'experiment') {
        const variants: Check = (v, p) => {
          if (isObject(v, p))
            for (const [name, target] of Object.entries(v)) existing(target, `${p}/${name}`);
        };
        fields(inner, innerPath, { id: key, experimentKey: key }, { ...common, variants });
      } else if (isObject(inner, innerPath))
        fail(`${innerPath}/type`, 'must be force, rollout or experiment');
    };
    const optional: Record<string, Check> = {
      prerequisites: (v, p) => list(v, p, prerequisite),
      overrides: (v, p) => list(v, p, override),
      rules: (v, p) => list(v, p, rule),
    };
    fields(value, path, {}, optional);
  };
  const schedule: Check = (value, path) => {
    fields(value, path, {}, { from: text, until: text });
  };
  const segment = (value: unknown, path: string) =>
    fields(value, path, { key, conditions: conditions(true) }, described);
  const experiment = (value: unknown, path: string) => {
    const variation = (inner: unknown, innerPath: string) =>
      fields(inner, innerPath, { key, weight: fraction }, described);
    const layer: Check = (inner, innerPath) =>
      fields(inner, innerPath, { key, range: (v, p) => fields(v, p, { start: fraction, end: fraction }) });
    fields(
      value,
      path,
      { key, variations: (v, p) => list(v, p, variation, true) },
      { ...described, seed: text, hashAttribute: text, coverage: fraction, layer, stickyBucketing: boolean },
    );
  };
  const layer = (value: unknown, path: string) => fields(value, path, { key }, { ...described, seed: text });
  const holdout = (value: unknown, path: string) =>
    fields(value, path, { key, fraction }, { ...described, seed: text, layerKey: key });

  const envelope = fields(raw, '', {
    schemaVersion: (value, path) => {
      if (value !== SUPPORTED_SCHEMA_VERSION) fail(path, `must be ${SUPPORTED_SCHEMA_VERSION}`);
    },
    hashVersion: (value, path) => {
      if (value !== SUPPORTED_HASH_VERSION) fail(path, `must be ${SUPPORTED_HASH_VERSION}`);
    },
    environment: key,
    version: (value, path) => {
      if (!Number.isSafeInteger(value) || (value as number) < 0) fail(path, 'must be a non-negative integer');
    },
    flags: (value, path) => list(value, path, flag),
    segments: (value, path) => list(value, path, segment),
    experiments: (value, path) => list(value, path, experiment),
    layers: (value, path) => list(value, path, layer),
    holdouts: (value, path) => list(value, path, holdout),
  });
  if (envelope && raw.generatedAt !== undefined) text(raw.generatedAt, '/generatedAt');
  return issues.length === 0 ? { ok: true, payload: raw as ConfigPayload } : { ok: false, issues };
}
